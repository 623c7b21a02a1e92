import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseObservationLog } from './parseObservationLog.ts';

const TICK = (ms: number): string => `{"type":"tick","observedAtMs":${ms}}`;

describe('parseObservationLog', () => {
  it('default: one observation per line, in order', () => {
    const { observations, errors } = parseObservationLog(`${TICK(1)}\n${TICK(2)}\n${TICK(3)}\n`);
    assert.deepEqual(
      observations.map((o) => o.observedAtMs),
      [1, 2, 3],
    );
    assert.deepEqual(errors, []);
  });

  it('behavior: garbage lines in the middle are reported with their line numbers and skipped', () => {
    const text = [
      TICK(1),
      'garbage',
      '',
      TICK(2),
      '{"type":"tick"}',
      '   ',
      '{"type":"head","chain":"c","node":"a","number":-1,"hash":"ab","parentHash":"cd","timestamp":1,"observedAtMs":2}',
      TICK(3),
    ].join('\n');
    const { observations, errors } = parseObservationLog(text);
    assert.deepEqual(
      observations.map((o) => o.observedAtMs),
      [1, 2, 3],
    );
    assert.deepEqual(
      errors.map((e) => e.line),
      [2, 5, 7],
    );
    assert.match(errors[0]!.message, /^not valid JSON/);
    assert.equal(errors[1]!.message, 'missing field "observedAtMs"');
    assert.equal(
      errors[2]!.message,
      'field "number" must be a non-negative integer or a decimal string, got -1',
    );
  });

  const empty: Array<[string, string]> = [
    ['empty text', ''],
    ['blank lines only', '\n\n  \n\t\r\n'],
  ];
  for (const [name, text] of empty) {
    it(`args: ${name}`, () => assert.deepEqual(parseObservationLog(text), { observations: [], errors: [] }));
  }

  it('behavior: CRLF line ends and no final line break', () => {
    const { observations, errors } = parseObservationLog(`${TICK(1)}\r\n${TICK(2)}`);
    assert.equal(observations.length, 2);
    assert.deepEqual(errors, []);
  });
});
