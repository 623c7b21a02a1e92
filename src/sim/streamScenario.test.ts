import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BlockObservation, CheckpointObservation, Observation } from '../core/observation.ts';
import type { Scenario } from './scenario.ts';
import { SIM_START_MS } from './simStartMs.ts';
import { streamScenario } from './streamScenario.ts';

const SLOT_MS = 1_000;
const EPOCH_MS = 4 * SLOT_MS;
const START_EPOCH = SIM_START_MS / EPOCH_MS;

/** A three-node devnet (1 s slots, 4-slot epochs) with the given producers and events. */
function devnet(overrides: Partial<Scenario>): Scenario {
  return {
    name: 'test',
    description: 'test network',
    incident: null,
    chain: 'devnet',
    preset: 'devnet',
    consensus: 'pos',
    genesisHeight: 100n,
    nodes: [
      { name: 'n1', client: 'a', watched: true },
      { name: 'n2', client: 'a', watched: true },
      { name: 'n3', client: 'b', watched: true },
    ],
    producers: [
      { name: 'p1', node: 'n1', weight: 2 },
      { name: 'p3', node: 'n3', weight: 1 },
    ],
    durationMs: 40 * SLOT_MS,
    events: [],
    expect: { signals: [] },
    ...overrides,
  };
}

function run(scenario: Scenario, seed = 1): Observation[] {
  return [...streamScenario(scenario, { seed })];
}

function checkpoints(observations: Observation[], node: string, kind: 'finalized' | 'justified'): number[] {
  return observations
    .filter((o): o is CheckpointObservation => o.type === 'checkpoint' && o.node === node && o.kind === kind)
    .map((o) => (o.epoch ?? 0) - START_EPOCH);
}

function heads(observations: Observation[], node: string): BlockObservation[] {
  return observations.filter((o): o is BlockObservation => o.type === 'head' && o.node === node);
}

/** Every parent link the observations reveal, hash to parent hash. */
function parents(observations: Observation[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const o of observations) if (o.type === 'head' || o.type === 'block') map.set(o.hash, o.parentHash);
  return map;
}

function isAncestor(links: Map<string, string>, ancestor: string, hash: string): boolean {
  for (let h: string | undefined = hash; h !== undefined; h = links.get(h)) if (h === ancestor) return true;
  return false;
}

describe('streamScenario: proof of stake finality', () => {
  it('default: every epoch is justified and the one before it finalized', () => {
    const observations = run(devnet({}));
    // History starts two epochs before monitoring (epoch 0) with the genesis epoch -2 justified and
    // finalized; at the start of epoch e + 1, epoch e is justified and e - 1 finalized.
    assert.deepEqual(checkpoints(observations, 'n1', 'justified'), [-2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(checkpoints(observations, 'n1', 'finalized'), [-2, -1, 0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('behavior: exactly 2/3 of stake attesting is enough to justify', () => {
    const observations = run(
      devnet({ events: [{ atMs: 2 * EPOCH_MS, action: { type: 'degrade', producers: ['p3'] } }] }),
    );
    assert.deepEqual(checkpoints(observations, 'n1', 'finalized'), [-2, -1, 0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('behavior: below 2/3 no epoch is justified; finality resumes after two justified epochs in a row', () => {
    const observations = run(
      devnet({
        events: [
          { atMs: 2 * EPOCH_MS, action: { type: 'degrade', producers: ['p1'] } },
          { atMs: 5 * EPOCH_MS, action: { type: 'restore', producers: ['p1'] } },
        ],
      }),
    );
    // Votes of epochs 2, 3 and 4 are lost: epoch 5 is justified at the start of 6 (no finality:
    // the previous justified epoch is 1), epoch 6 at the start of 7, which finalizes 5.
    assert.deepEqual(checkpoints(observations, 'n1', 'justified'), [-2, -1, 0, 1, 5, 6, 7, 8]);
    assert.deepEqual(checkpoints(observations, 'n1', 'finalized'), [-2, -1, 0, 5, 6, 7]);
  });

  it('behavior: blocks keep coming while finality stops', () => {
    const observations = run(
      devnet({ events: [{ atMs: 0, action: { type: 'degrade', producers: ['p1'] } }] }),
    );
    assert.deepEqual(checkpoints(observations, 'n1', 'justified'), [-2, -1]);
    assert.deepEqual(checkpoints(observations, 'n1', 'finalized'), [-2]);
    const n1 = heads(observations, 'n1');
    assert.ok(n1.length >= 40, `${n1.length} heads`);
  });
});

describe('streamScenario: partitions', () => {
  const partitioned = devnet({
    durationMs: 60 * SLOT_MS,
    producers: [
      { name: 'p1', node: 'n1', weight: 3 },
      { name: 'p3', node: 'n3', weight: 1 },
    ],
    events: [
      { atMs: 10 * SLOT_MS, action: { type: 'partition', groups: [['n1', 'n2'], ['n3']] } },
      { atMs: 30 * SLOT_MS + 500, action: { type: 'heal' } },
    ],
  });
  const observations = run(partitioned);
  const during = (o: BlockObservation) =>
    o.observedAtMs > SIM_START_MS + 11 * SLOT_MS && o.observedAtMs < SIM_START_MS + 30 * SLOT_MS;

  it('behavior: the two sides see no common new head while partitioned', () => {
    const a = new Set(
      heads(observations, 'n1')
        .filter(during)
        .map((o) => o.hash),
    );
    const b = heads(observations, 'n3').filter(during);
    assert.ok(a.size > 0 && b.length > 0);
    for (const o of b) assert.equal(a.has(o.hash), false, `${o.number} seen on both sides`);
  });

  it('behavior: after the heal every node follows the heavier side, the other side reorganizes', () => {
    const lastA = heads(observations, 'n1').filter(during).at(-1)!;
    const lastB = heads(observations, 'n3').filter(during).at(-1)!;
    const finals = ['n1', 'n2', 'n3'].map((n) => heads(observations, n).at(-1)!.hash);
    assert.equal(new Set(finals).size, 1);
    const links = parents(observations);
    assert.equal(isAncestor(links, lastA.hash, finals[0]!), true);
    assert.equal(isAncestor(links, lastB.hash, finals[0]!), false);
  });
});

describe('streamScenario: proof of work', () => {
  const pow: Scenario = {
    ...devnet({}),
    preset: 'bitcoin',
    params: { blockTime: { kind: 'exponential', meanBlockMs: 10_000 } },
    consensus: 'pow',
    producers: [
      { name: 'm1', node: 'n1', weight: 3 },
      { name: 'm3', node: 'n3', weight: 1 },
    ],
    durationMs: 1_800_000,
    events: [
      { atMs: 300_000, action: { type: 'partition', groups: [['n1', 'n2'], ['n3']] } },
      { atMs: 900_000, action: { type: 'heal' } },
    ],
  };
  const observations = run(pow);
  const before = (node: string, ms: number) =>
    heads(observations, node)
      .filter((o) => o.observedAtMs < SIM_START_MS + ms)
      .at(-1)!;

  it('behavior: block gaps are exponential with the configured mean', () => {
    const n1 = heads(observations, 'n1').filter((o) => o.observedAtMs < SIM_START_MS + 300_000);
    const stamps = run({ ...pow, events: [], durationMs: 20_000_000 })
      .filter((o): o is BlockObservation => o.type === 'head' && o.node === 'n1')
      .map((o) => o.timestamp);
    const gaps = stamps.slice(1).map((t, i) => t - stamps[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    // About 2000 gaps of mean 10 s: standard error 0.22 s.
    assert.ok(Math.abs(mean - 10) < 1, `mean gap ${mean} s over ${gaps.length}`);
    assert.ok(n1.length > 5);
  });

  it('behavior: the longest chain wins after the heal', () => {
    const a = before('n1', 900_000);
    const b = before('n3', 900_000);
    assert.notEqual(a.hash, b.hash);
    const longer = a.number >= b.number ? a : b;
    const shorter = longer === a ? b : a;
    const finals = ['n1', 'n2', 'n3'].map((n) => heads(observations, n).at(-1)!);
    assert.equal(new Set(finals.map((f) => f.hash)).size, 1);
    const links = parents(observations);
    assert.equal(isAncestor(links, longer.hash, finals[0]!.hash), true);
    if (shorter.number < longer.number) assert.equal(isAncestor(links, shorter.hash, finals[0]!.hash), false);
  });
});

describe('streamScenario: faults', () => {
  it('behavior: a client bug splits the nodes of that client off at the fork height', () => {
    const observations = run(
      devnet({
        durationMs: 60 * SLOT_MS,
        producers: [
          { name: 'p1', node: 'n1', weight: 3 },
          { name: 'p3', node: 'n3', weight: 1 },
        ],
        events: [{ atMs: 0, action: { type: 'clientBug', client: 'b', fromHeight: 140n, mutual: true } }],
      }),
    );
    const a = heads(observations, 'n1');
    const b = heads(observations, 'n3');
    const aAt = new Map(a.map((o) => [o.number, o.hash]));
    for (const o of b) {
      if (o.number < 140n) assert.equal(aAt.get(o.number) ?? o.hash, o.hash);
      else assert.notEqual(aAt.get(o.number), o.hash);
    }
    assert.ok(
      b.some((o) => o.number >= 140n),
      'the split-off side builds its own branch',
    );
  });

  it('behavior: a halt stops every head; resume brings them back', () => {
    const observations = run(
      devnet({
        events: [
          { atMs: 10 * SLOT_MS, action: { type: 'halt' } },
          { atMs: 30 * SLOT_MS, action: { type: 'resume' } },
        ],
      }),
    );
    const n1 = heads(observations, 'n1').map((o) => o.observedAtMs - SIM_START_MS);
    assert.equal(n1.filter((t) => t > 11 * SLOT_MS && t < 30 * SLOT_MS).length, 0);
    assert.ok(n1.filter((t) => t > 31 * SLOT_MS).length > 5);
  });

  it('behavior: a frozen node reports nothing, then its backlog as one head with the gap filled', () => {
    const observations = run(
      devnet({
        events: [
          { atMs: 10 * SLOT_MS + 500, action: { type: 'freeze', nodes: ['n2'] } },
          { atMs: 25 * SLOT_MS + 500, action: { type: 'unfreeze', nodes: ['n2'] } },
        ],
      }),
    );
    const n2 = observations.filter(
      (o): o is BlockObservation =>
        (o.type === 'head' || o.type === 'block') &&
        o.node === 'n2' &&
        o.observedAtMs > SIM_START_MS + 11 * SLOT_MS &&
        o.observedAtMs < SIM_START_MS + 26 * SLOT_MS,
    );
    assert.equal(n2.filter((o) => o.type === 'head').length, 1);
    assert.ok(n2.filter((o) => o.type === 'block').length >= 13);
    assert.equal(n2.at(-1)!.type, 'head');
  });

  it('behavior: a corrupt header becomes an integrity error naming both hashes', () => {
    const observations = run(
      devnet({ events: [{ atMs: 5 * SLOT_MS, action: { type: 'corruptHeader', node: 'n2' } }] }),
    );
    const errors = observations.filter((o) => o.type === 'error');
    assert.equal(errors.length, 1);
    const error = errors[0]!;
    assert.equal(error.type === 'error' && error.code, 'integrity');
    assert.match(
      error.type === 'error' ? error.message : '',
      /served hash [0-9a-f]{64} but .* hash to [0-9a-f]{64}/,
    );
  });

  it('behavior: a late block arrives late at every node', () => {
    const observations = run(devnet({ lateSlots: { 10: 700 } }));
    const late = heads(observations, 'n1').find((o) => o.timestamp === (SIM_START_MS + 10 * SLOT_MS) / 1000);
    assert.ok(late);
    assert.ok(late.observedAtMs - (SIM_START_MS + 10 * SLOT_MS) >= 700);
  });
});
