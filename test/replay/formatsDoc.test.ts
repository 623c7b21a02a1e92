import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseObservation } from '../../src/sources/replay/parseObservation.ts';
import { toObservationLine } from '../../src/sources/replay/toObservationLine.ts';

const doc = readFileSync(new URL('../../docs/formats.md', import.meta.url), 'utf8');
const section = doc.slice(doc.indexOf('## The observation log'));
const examples = [...section.matchAll(/```json\n([\s\S]*?)```/g)].flatMap((m) =>
  m[1]!.split('\n').filter((line) => line.length > 0),
);

describe('docs/formats.md observation log examples', () => {
  it('default: the document has an example of every type', () => {
    const types = new Set(examples.map((line) => (JSON.parse(line) as { type: string }).type));
    assert.deepEqual([...types].sort(), ['block', 'checkpoint', 'error', 'head', 'tick']);
  });
  for (const line of examples) {
    it(`behavior: reads ${line.slice(0, 60)}...`, () => {
      const result = parseObservation(line, 1);
      assert.equal(result.ok, true, result.ok ? '' : result.error.message);
      if (!result.ok) return;
      const again = parseObservation(toObservationLine(result.observation), 1);
      assert.deepEqual(again, result);
    });
  }
});
