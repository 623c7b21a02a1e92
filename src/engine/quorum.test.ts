import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createScript } from '../../test/support/script.ts';
import { levelRank } from '../breaker/levels.ts';
import type { Observation } from '../core/observation.ts';
import type { Signal } from '../core/signal.ts';
import type { EngineConfig } from './config.ts';
import { runObservations } from './run.ts';
import { createEngineState, step } from './step.ts';

const devnet: EngineConfig = { chains: { test: { preset: 'devnet' } } };
const GENESIS_MS = 1_700_000_000_000;

/**
 * A self-consistent chain of a misbehaving node: heights from `from`, each block's parent the
 * previous one, its own hashes (prefix `tag`), a head a second from `t0`.
 */
function foreignChain(node: string, tag: string, from: bigint, count: number, t0: number): Observation[] {
  const out: Observation[] = [];
  const hash = (n: bigint) => `${tag}${n.toString(16)}`.padEnd(64, 'e').slice(0, 64);
  for (let i = 0; i < count; i++) {
    const number = from + BigInt(i);
    out.push(head(node, number, hash(number), hash(number - 1n), t0 + i));
  }
  return out;
}

function head(node: string, number: bigint, hash: string, parentHash: string, atS: number): Observation {
  return {
    type: 'head',
    chain: 'test',
    node,
    number,
    hash,
    parentHash,
    timestamp: Math.floor(GENESIS_MS / 1000) + atS,
    observedAtMs: GENESIS_MS + atS * 1000,
  };
}

function finalized(node: string, number: bigint, hash: string, atS: number): Observation {
  return {
    type: 'checkpoint',
    chain: 'test',
    node,
    kind: 'finalized',
    number,
    hash,
    observedAtMs: GENESIS_MS + atS * 1000,
  };
}

/** Merges observation lists by time, stable. */
function byTime(...lists: Observation[][]): Observation[] {
  return lists.flat().sort((a, b) => a.observedAtMs - b.observedAtMs);
}

const maxLevel = (result: ReturnType<typeof runObservations>) => result.summary.maxLevels.test ?? 'normal';
const atMostCaution = (result: ReturnType<typeof runObservations>) =>
  levelRank(maxLevel(result)) <= levelRank('caution');
const kindsOf = (signals: Signal[]) => [...new Set(signals.map((s) => s.kind))].sort();

describe('quorum', () => {
  it('behavior: a node that took the canonical head at height 1e12 and then fails leaves the engine responsive', () => {
    const s = createScript();
    const honest: Observation[] = [];
    for (let h = 1; h <= 40; h++) honest.push(s.head('honest', `a${h}`, 20 + h));
    const liar = foreignChain('liar', 'f', 1_000_000_000_000n, 18, 1);
    const failures: Observation[] = [];
    for (let t = 19; t <= 60; t++)
      failures.push({
        type: 'error',
        chain: 'test',
        node: 'liar',
        code: 'rpc',
        message: 'internal error',
        observedAtMs: GENESIS_MS + t * 1000,
      });
    const state = createEngineState(devnet);
    let walkedMax = 0;
    for (const observation of byTime(liar, honest, failures)) {
      const before = state.chains.get('test')?.counts.walked ?? 0;
      step(state, observation);
      const chain = state.chains.get('test');
      walkedMax = Math.max(walkedMax, (chain?.counts.walked ?? 0) - before);
    }
    const chain = state.chains.get('test');
    // The honest node alone answers: it holds the canonical head, the frozen liar no longer counts.
    assert.equal(chain?.canonical?.number, 40n);
    assert.ok(walkedMax < 10_000, `at most ${walkedMax} parent links followed in one step`);
  });

  it('behavior: an unrelated chain walking backwards with a higher finalized checkpoint neither finalizes nor holds settlement', () => {
    const s = createScript();
    const obs: Observation[] = [];
    for (let h = 1; h <= 30; h++) {
      obs.push(s.head('honest', `a${h}`, h));
      if (h > 8) obs.push(s.finalized('honest', `a${h - 8}`, h));
    }
    // The liar's chain at 392..420, then its head walks back to a new branch every few seconds.
    const liar = foreignChain('liar', 'b', 392n, 12, 1);
    liar.push(finalized('liar', 392n, `b${(392).toString(16)}`.padEnd(64, 'e'), 2));
    for (let k = 0; k < 5; k++) liar.push(...foreignChain('liar', `c${k}`, 396n - BigInt(k), 3, 14 + 3 * k));
    const result = runObservations(devnet, byTime(obs, liar));
    assert.equal(result.summary.chains.test?.finalized?.number, 22n);
    assert.ok(atMostCaution(result), `reached ${maxLevel(result)}`);
    const safety = result.signals.filter((x) => x.severity === 'safety');
    assert.ok(
      safety.every((x) => x.uncorroborated === true),
      'a safety signal of one node is uncorroborated',
    );
  });

  it('behavior: numbers at the top of the 64-bit range move no breaker above caution', () => {
    const s = createScript();
    const obs: Observation[] = [];
    for (let h = 1; h <= 30; h++) obs.push(s.head('honest', `a${h}`, h));
    const top = 18446744073709551391n;
    const liar = foreignChain('liar', 'd', top, 30, 1);
    liar.push(finalized('liar', top, `d${top.toString(16)}`.padEnd(64, 'e').slice(0, 64), 3));
    const result = runObservations(devnet, byTime(obs, liar));
    assert.ok(atMostCaution(result), `reached ${maxLevel(result)}`);
    assert.notEqual(result.summary.chains.test?.finalized?.number, top);
  });

  it('behavior: a node removed from the config is ignored, even in a stored log', () => {
    const s = createScript();
    const obs = byTime(
      Array.from({ length: 30 }, (_, i) => s.head('honest', `a${i + 1}`, i + 1)),
      foreignChain('liar', 'd', 18446744073709551391n, 30, 1),
    );
    const config: EngineConfig = { chains: { test: { preset: 'devnet', nodes: ['honest'] } } };
    const result = runObservations(config, obs);
    assert.deepEqual(
      result.summary.chains.test?.nodes.map((n) => n.name),
      ['honest'],
    );
    assert.equal(result.summary.ignored, 30);
    assert.deepEqual(result.transitions, []);
    assert.equal(result.summary.chains.test?.canonicalHead?.number, 30n);
  });

  it('behavior: the honest node unreachable at start does not leave a stale chain canonical', () => {
    const s = createScript();
    const stale = foreignChain('stale', 'e', 200n, 1, 0);
    const errors: Observation[] = [];
    for (let t = 1; t <= 10; t++) errors.push(s.error('honest', t));
    const honest: Observation[] = [];
    for (let h = 1; h <= 40; h++) honest.push(s.head('honest', `a${h}`, 10 + h));
    const ticks: Observation[] = [];
    for (let t = 1; t <= 50; t++) ticks.push(s.tick(t));
    const state = createEngineState(devnet);
    const levels: string[] = [];
    for (const observation of byTime(stale, errors, honest, ticks)) {
      const out = step(state, observation);
      for (const t of out.transitions) levels.push(t.to);
    }
    const chain = state.chains.get('test');
    assert.equal(chain?.canonical?.number, 40n, 'the advancing honest chain is canonical');
    assert.ok(
      levels.every((level) => levelRank(level as 'normal') <= levelRank('caution')),
      levels.join(' '),
    );
  });

  it('behavior: a node on another chain beside two honest ones is a foreign_chain integrity signal, never canonical', () => {
    const s = createScript();
    const honest: Observation[] = [];
    for (let h = 1; h <= 30; h++) honest.push(s.head('n1', `a${h}`, h), s.head('n2', `a${h}`, h));
    const liar = foreignChain('liar', 'f', 5n, 30, 1);
    const result = runObservations(devnet, byTime(honest, liar));
    const integrity = result.signals.filter((x) => x.kind === 'integrity');
    assert.ok(integrity.length > 0);
    assert.ok(
      integrity.every((x) => x.kind === 'integrity' && x.node === 'liar' && x.check === 'foreign_chain'),
    );
    assert.equal(result.summary.chains.test?.canonicalHead?.hash, s.block('a30').hash);
    // Until its branch disagrees at enough heights it is a divergence of one node (uncorroborated);
    // after it is found foreign, no divergence.
    const foundAt = integrity[0]!.atMs;
    const divergence = result.signals.filter((x) => x.kind === 'divergence');
    assert.ok(divergence.every((x) => x.uncorroborated === true && x.atMs <= foundAt));
    assert.ok(atMostCaution(result), `reached ${maxLevel(result)}`);
  });

  it('behavior: a height beyond reach of a backed canonical head is refused as implausible_height', () => {
    const s = createScript();
    const honest: Observation[] = [];
    for (let h = 1; h <= 10; h++) honest.push(s.head('n1', `a${h}`, h), s.head('n2', `a${h}`, h));
    const liar = foreignChain('liar', 'f', 1_000_000_000_000n, 3, 6);
    const result = runObservations(devnet, byTime(honest, liar));
    const integrity = result.signals.filter((x) => x.kind === 'integrity');
    assert.ok(integrity.length > 0);
    assert.ok(integrity.every((x) => x.kind === 'integrity' && x.check === 'implausible_height'));
    assert.equal(result.summary.chains.test?.canonicalHead?.number, 10n);
    assert.ok(result.summary.chains.test!.blocksStored <= 11);
  });

  it('behavior: two nodes on two branches for longer than the tolerance have no quorum, which asks caution', () => {
    const s = createScript();
    s.fork('b', 'a3');
    const obs: Observation[] = [];
    for (let h = 1; h <= 3; h++) obs.push(s.head('n1', `a${h}`, h), s.head('n2', `a${h}`, h));
    for (let h = 4; h <= 20; h++) obs.push(s.head('n1', `a${h}`, h), s.head('n2', `b${h}`, h));
    const result = runObservations(devnet, obs);
    assert.deepEqual(kindsOf(result.signals), ['divergence', 'quorum']);
    assert.ok(result.signals.filter((x) => x.kind === 'divergence').every((x) => x.uncorroborated === true));
    assert.equal(maxLevel(result), 'caution');
  });

  it('behavior: one node alone is still trusted on a chain watched through one node', () => {
    const s = createScript();
    s.fork('b', 'a2');
    const obs: Observation[] = [];
    for (let h = 1; h <= 8; h++) obs.push(s.head('n1', `a${h}`, h));
    obs.push(s.head('n1', 'b3', 9));
    const result = runObservations(devnet, obs);
    const reorgs = result.signals.filter((x) => x.kind === 'reorg');
    assert.deepEqual(
      reorgs.map((x) => [x.kind === 'reorg' && x.scope, x.severity, x.uncorroborated]),
      [
        ['node', 'critical', undefined],
        ['chain', 'critical', undefined],
      ],
    );
    assert.equal(maxLevel(result), 'reduce_only');
  });
});
