import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toPrintable } from './toPrintable.ts';

describe('toPrintable', () => {
  const cases: Array<[name: string, input: string, expected: string]> = [
    ['plain text is kept', 'alice: reorg under review', 'alice: reorg under review'],
    ['non-ASCII letters are kept', 'Zoë über 日本 🚨', 'Zoë über 日本 🚨'],
    ['backslashes are kept', 'C:\\data\\n', 'C:\\data\\n'],
    ['empty', '', ''],
    ['CR LF forging a line', 'x\r\naudit: forged', 'x\\r\\naudit: forged'],
    ['tab', 'a\tb', 'a\\tb'],
    ['NUL', 'a\u0000b', 'a\\u0000b'],
    ['ESC colour code', '\u001b[31mred\u001b[0m', '\\u001b[31mred\\u001b[0m'],
    ['bell and backspace', '\u0007\u0008', '\\u0007\\u0008'],
    ['unit separator, last C0', '\u001f', '\\u001f'],
    ['space, first printable', ' ', ' '],
    ['DEL', 'a\u007fb', 'a\\u007fb'],
    ['C1 NEL and CSI', '\u0085\u009b2J', '\\u0085\\u009b2J'],
    ['C1 bounds', '\u0080\u009f\u00a0', '\\u0080\\u009f\u00a0'],
    ['line and paragraph separators', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
    ['bidi override and isolate', '\u202eevil\u2066x\u2069', '\\u202eevil\\u2066x\\u2069'],
  ];
  for (const [name, input, expected] of cases) {
    it(`args: ${name}`, () => assert.equal(toPrintable(input), expected));
  }

  it('behavior: no character below U+0020, from U+007F to U+009F, U+2028 or U+2029 survives', () => {
    let all = '';
    for (let code = 0; code < 0x2100; code++) all += String.fromCharCode(code);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for them
    assert.doesNotMatch(toPrintable(all), /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  });

  it('behavior: a JSON text stays JSON with the same value', () => {
    const value = { actor: 'a\u007f\u0085\u2028\u202e', reason: 'r\r\n\u001b' };
    assert.deepEqual(JSON.parse(toPrintable(JSON.stringify(value))), value);
  });
});
