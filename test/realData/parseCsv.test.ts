import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsv, parseCsvRecords } from './parseCsv.ts';

describe('parseCsv', () => {
  const cases: Array<[string, string, string[][]]> = [
    [
      'plain',
      'a,b\n1,2\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'no final line break, CRLF',
      'a,b\r\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'quoted comma',
      '1,"reorged(block seen in gossip, orphaned)",x\n',
      [['1', 'reorged(block seen in gossip, orphaned)', 'x']],
    ],
    ['escaped quote', '"say ""hi""",2\n', [['say "hi"', '2']]],
    ['empty fields', '1,,,\n', [['1', '', '', '']]],
    ['blank lines skipped', '\n1\n\n2\n', [['1'], ['2']]],
  ];
  for (const [name, text, rows] of cases) it(`args: ${name}`, () => assert.deepEqual(parseCsv(text), rows));
  it('error: unterminated quote', () => assert.throws(() => parseCsv('"abc\n'), /unterminated/));
  it('default: records keyed by header', () => {
    assert.deepEqual(parseCsvRecords('h,x\n1,a\n2,b\n'), [
      { h: '1', x: 'a' },
      { h: '2', x: 'b' },
    ]);
  });
  it('error: a row with the wrong field count', () =>
    assert.throws(() => parseCsvRecords('a,b\n1\n'), /line 2/));
});
