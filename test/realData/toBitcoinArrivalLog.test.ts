import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Observation } from '../../src/core/observation.ts';
import { type ArrivalRow, toBitcoinArrivalLog } from './toBitcoinArrivalLog.ts';

const h = (n: number, tag = 'c') => `${tag}${String(n).padStart(5, '0')}`.padEnd(64, '0');
const row = (height: number, arrivalMs: number, tag = 'c'): ArrivalRow => ({
  height: BigInt(height),
  hash: h(height, tag),
  arrivalMs,
});
const STALE = { height: 11n, hash: h(11, 'e'), prevHash: h(10), timestamp: 1_000 };

/** `type node height tag time` for blocks, `tick time` for ticks. */
function brief(log: Observation[]): string[] {
  return log.map((o) =>
    o.type === 'tick'
      ? `tick ${o.observedAtMs}`
      : o.type === 'head' || o.type === 'block'
        ? `${o.type} ${o.node} ${o.number} ${o.hash[0]} ${o.observedAtMs}`
        : o.type,
  );
}

describe('toBitcoinArrivalLog', () => {
  const cases: Array<[string, ArrivalRow[][], string[]]> = [
    [
      'saw the stale block first: head, then the canonical one as a block, then the child as head',
      [[row(10, 0), row(11, 100, 'e'), row(11, 200), row(12, 200)]],
      ['head n0 11 e 100', 'block n0 11 c 200', 'head n0 12 c 200'],
    ],
    [
      'saw the canonical block first: the stale one is only a block',
      [[row(10, 0), row(11, 100), row(11, 150, 'e'), row(12, 300)]],
      ['head n0 11 c 100', 'block n0 11 e 150', 'head n0 12 c 300'],
    ],
    [
      'a hash listed twice counts once',
      [[row(10, 0), row(11, 100), row(11, 200), row(12, 300)]],
      ['head n0 11 c 100', 'head n0 12 c 300'],
    ],
    [
      'a gap is backfilled from the other node, nearest two (maxBackfill 2)',
      [
        [row(10, 0), row(11, 100), row(12, 200), row(13, 300), row(14, 400), row(15, 500)],
        [row(11, 110), row(15, 510)],
      ],
      [
        'head n0 11 c 100',
        'head n1 11 c 110',
        'head n0 12 c 200',
        'head n0 13 c 300',
        'head n0 14 c 400',
        'head n0 15 c 500',
        'block n1 13 c 510',
        'block n1 14 c 510',
        'head n1 15 c 510',
      ],
    ],
  ];
  for (const [name, nodes, want] of cases) {
    it(`behavior: ${name}`, () => {
      const log = toBitcoinArrivalLog(
        { nodes: nodes.map((arrivals, i) => ({ name: `n${i}`, arrivals })), staleHeaders: [STALE] },
        { tickMs: 1e9, maxBackfill: 2 },
      );
      assert.deepEqual(brief(log), want);
    });
  }

  it('default: headers, parents, timestamps and ticks; the lowest height has no known parent and is left out', () => {
    const log = toBitcoinArrivalLog(
      {
        nodes: [{ name: 'a', arrivals: [row(10, 0), row(11, 61_500, 'e'), row(11, 125_000)] }],
        staleHeaders: [STALE],
      },
      { tickMs: 60_000 },
    );
    assert.deepEqual(log, [
      {
        type: 'head',
        chain: 'bitcoin',
        node: 'a',
        client: 'bitcoin-core',
        number: 11n,
        hash: h(11, 'e'),
        parentHash: h(10),
        timestamp: 1_000,
        observedAtMs: 61_500,
      },
      { type: 'tick', chain: 'bitcoin', observedAtMs: 120_000 },
      {
        type: 'block',
        chain: 'bitcoin',
        node: 'a',
        client: 'bitcoin-core',
        number: 11n,
        hash: h(11),
        parentHash: h(10),
        timestamp: 125,
        observedAtMs: 125_000,
      },
    ]);
  });

  it('error: two canonical hashes at one height', () => {
    assert.throws(
      () =>
        toBitcoinArrivalLog({
          nodes: [{ name: 'a', arrivals: [row(10, 0), row(11, 1), row(11, 2, 'f')] }],
          staleHeaders: [],
        }),
      /two canonical blocks at 11/,
    );
  });
});
