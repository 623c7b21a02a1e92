import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Observation } from '../core/observation.ts';
import { SimError } from './simError.ts';
import { getScenario, listScenarios, simulate } from './simulate.ts';
import { streamScenario } from './streamScenario.ts';
import { toEngineConfig } from './toEngineConfig.ts';
import { GENESIS_PARENT_HASH } from './world/simBlock.ts';

const REQUIRED = [
  'reorg-7',
  'finality-loss-4',
  'finality-loss-9',
  'client-split',
  'client-halt',
  'full-halt',
  'deep-reorg',
  'pow-fork',
  'partition-heal',
  'lagging-node',
  'quiet',
];
const HEX64 = /^[0-9a-f]{64}$/;

describe('listScenarios', () => {
  it('default: the library holds every required scenario, each described', () => {
    const names = listScenarios().map((s) => s.name);
    for (const name of REQUIRED) assert.ok(names.includes(name), name);
    assert.equal(new Set(names).size, names.length);
    for (const s of listScenarios()) {
      assert.ok(s.description.length > 100, s.name);
      assert.ok(
        s.nodes.some((n) => n.watched),
        s.name,
      );
    }
  });
});

describe('simulate', () => {
  it('error: an unknown scenario names the known ones', () => {
    assert.throws(() => simulate('nope'), /unknown scenario "nope": use one of reorg-7, /);
    assert.throws(
      () => simulate('nope'),
      (error) => error instanceof SimError && error.code === 'unknown_scenario',
    );
  });

  it('behavior: the array form is the stream collected', () => {
    const scenario = getScenario('partition-heal');
    assert.deepEqual(simulate('partition-heal', { seed: 5 }).observations, [
      ...streamScenario(scenario, { seed: 5 }),
    ]);
  });

  for (const scenario of listScenarios()) {
    describe(scenario.name, () => {
      const first = simulate(scenario.name, { seed: 1 }).observations;

      it('behavior: same seed, deep-equal observations; another seed, others', () => {
        assert.deepEqual(simulate(scenario.name, { seed: 1 }).observations, first);
        assert.notDeepEqual(simulate(scenario.name, { seed: 2 }).observations, first);
      });

      it('behavior: observations are valid and in time order', () => {
        assertValid(
          first,
          scenario.chain,
          new Set(scenario.nodes.filter((n) => n.watched).map((n) => n.name)),
        );
        assert.ok(first.length < 10_000, `${first.length} observations`);
      });
    });
  }
});

describe('toEngineConfig', () => {
  it('default: the scenario chain with its preset and overrides', () => {
    assert.deepEqual(toEngineConfig(getScenario('quiet')), { chains: { ethereum: { preset: 'ethereum' } } });
    const halt = getScenario('full-halt');
    assert.deepEqual(toEngineConfig(halt), {
      chains: { solana: { preset: 'ethereum', params: halt.params } },
    });
  });
});

/** Time order, field shapes, and every head's and new block's parent known at its node before it
 * (or the genesis). */
function assertValid(observations: Observation[], chain: string, watched: Set<string>): void {
  let lastMs = Number.NEGATIVE_INFINITY;
  const known = new Map<string, Set<string>>();
  for (const [i, o] of observations.entries()) {
    assert.ok(Number.isInteger(o.observedAtMs) && o.observedAtMs >= lastMs, `order at ${i}`);
    lastMs = o.observedAtMs;
    if (o.type === 'tick') continue;
    assert.equal(o.chain, chain);
    assert.ok(watched.has(o.node), `unwatched node ${o.node}`);
    if (o.type === 'checkpoint') {
      assert.match(o.hash, HEX64);
      assert.equal(typeof o.number, 'bigint');
      assert.ok(Number.isInteger(o.epoch));
      continue;
    }
    if (o.type === 'error') continue;
    assert.match(o.hash, HEX64);
    assert.match(o.parentHash, HEX64);
    assert.equal(typeof o.number, 'bigint');
    assert.ok(Number.isInteger(o.timestamp) && o.timestamp > 1_700_000_000, `timestamp at ${i}`);
    let seen = known.get(o.node);
    if (!seen) known.set(o.node, (seen = new Set()));
    // A block served again under a known hash is the lying node's conflicting header: its parent is
    // made up on purpose.
    if (o.type === 'block' && seen.has(o.hash)) continue;
    assert.ok(
      o.parentHash === GENESIS_PARENT_HASH || seen.has(o.parentHash),
      `${o.type} ${o.number} at ${o.node} (index ${i}): parent not known`,
    );
    seen.add(o.hash);
  }
}
