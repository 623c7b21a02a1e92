import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BlockObservation, Observation } from '../../src/core/observation.ts';
import { toEthereumSlotLog } from './toEthereumSlotLog.ts';

const nodes = [
  { name: 'a', client: 'Lighthouse', offsetMs: 1_000 },
  { name: 'b', client: 'Teku', offsetMs: 2_000 },
];

describe('toEthereumSlotLog', () => {
  it('default: a tick per slot, each canonical block at every node, missed slots only tick', () => {
    const log = toEthereumSlotLog(
      [
        { slot: 100, slotStartUnix: 1_200, canonical: true },
        { slot: 101, slotStartUnix: 1_212, canonical: false },
        { slot: 102, slotStartUnix: 1_224, canonical: true },
      ],
      { nodes },
    );
    const brief = (o: Observation) =>
      o.type === 'head'
        ? `head ${o.node} ${o.number} ${o.observedAtMs} ${o.timestamp}`
        : `${o.type} ${o.observedAtMs}`;
    assert.deepEqual(log.map(brief), [
      'tick 1200000',
      'head a 1 1201000 1200',
      'head b 1 1202000 1200',
      'tick 1212000',
      'tick 1224000',
      'head a 2 1225000 1224',
      'head b 2 1226000 1224',
    ]);
    const heads = log.filter((o): o is BlockObservation => o.type === 'head');
    assert.equal(heads[2]!.parentHash, heads[0]!.hash);
    assert.notEqual(heads[2]!.hash, heads[0]!.hash);
    assert.match(heads[0]!.hash, /^[0-9a-f]{64}$/);
    assert.equal(
      log.some((o) => o.type === 'checkpoint'),
      false,
    );
  });

  it('args: no slots, no observations', () => assert.deepEqual(toEthereumSlotLog([]), []));
});
