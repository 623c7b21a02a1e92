import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inStep } from '../../test/support/describeSignalCases.ts';
import { createScript } from '../../test/support/script.ts';
import { CodedError } from '../core/codedError.ts';
import type { Observation } from '../core/observation.ts';
import type { Signal } from '../core/signal.ts';
import type { EngineConfig } from './config.ts';
import { runObservations } from './run.ts';
import { createEngineState, step } from './step.ts';

const devnet: EngineConfig = { chains: { test: { preset: 'devnet' } } };

const kinds = (signals: Signal[]) =>
  signals.map((x) => `${x.kind}:${x.severity}${x.node ? `:${x.node}` : ''}`);

describe('step', () => {
  it('default: nodes in step raise nothing', () => {
    const s = createScript();
    const result = runObservations(devnet, inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 50));
    assert.deepEqual(result.signals, []);
    assert.deepEqual(result.transitions, []);
    assert.equal(result.summary.chains.test?.canonicalHead?.number, 50n);
  });

  it('behavior: a reorg of depth 3 on every node is reported per node and at chain level', () => {
    const s = createScript();
    s.fork('b', 'a2');
    const obs = [...inStep(s, ['n1', 'n2'], 'a', 1, 5), s.head('n1', 'b3', 6), s.head('n2', 'b3', 6)];
    const result = runObservations(devnet, obs);
    const reorgs = result.signals.filter((x) => x.kind === 'reorg');
    assert.deepEqual(
      reorgs.map((r) =>
        r.kind === 'reorg' ? [r.scope, r.node ?? '-', r.depth, r.commonAncestor.number] : [],
      ),
      [
        ['node', 'n1', 3, 2n],
        ['node', 'n2', 3, 2n],
        ['chain', '-', 3, 2n],
      ],
    );
    const chainReorg = reorgs[2];
    assert.ok(chainReorg?.kind === 'reorg');
    assert.deepEqual(chainReorg.replaced, [s.block('a3').hash, s.block('a4').hash, s.block('a5').hash]);
    assert.equal(chainReorg.severity, 'warning');
    assert.deepEqual(
      result.transitions.map((t) => [t.from, t.to]),
      [['normal', 'caution']],
    );
  });

  it('behavior: a reorg is reported within the head event that reveals it', () => {
    const s = createScript();
    s.fork('b', 'a1');
    const state = createEngineState(devnet);
    for (const o of inStep(s, ['n1'], 'a', 1, 6)) assert.deepEqual(step(state, o).signals, []);
    const out = step(state, s.head('n1', 'b2', 7));
    assert.deepEqual(kinds(out.signals), ['reorg:critical:n1', 'reorg:critical']);
  });

  it('behavior: a stuck node while others advance is lag, not a chain halt', () => {
    const s = createScript();
    const obs = [...inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 5)];
    for (let h = 6; h <= 30; h++) {
      obs.push(s.head('n1', `a${h}`, h), s.head('n2', `a${h}`, h), s.error('n3', h));
    }
    const result = runObservations(devnet, obs);
    assert.deepEqual(kinds(result.signals), ['lag:warning:n3']);
    const lag = result.signals[0];
    assert.ok(lag?.kind === 'lag' && lag.unreachable);
    assert.deepEqual(result.transitions, []);
  });

  it('behavior: a node stuck on an old head (answering) is lag after the grace period', () => {
    const s = createScript();
    const obs = [...inStep(s, ['n1', 'n2'], 'a', 1, 5)];
    for (let h = 6; h <= 20; h++) obs.push(s.head('n1', `a${h}`, h), s.head('n2', 'a5', h));
    const result = runObservations(devnet, obs);
    assert.deepEqual(kinds(result.signals), ['lag:warning:n2']);
    const lag = result.signals[0];
    assert.ok(lag?.kind === 'lag' && !lag.unreachable && lag.lagBlocks === 7 && lag.atMs === s.atMs(12));
  });

  it('behavior: silence raises liveness warning then critical and halts; recovery waits for the grace period', () => {
    const s = createScript();
    const obs = [...inStep(s, ['n1', 'n2'], 'a', 1, 5)];
    for (let t = 6; t <= 20; t++) obs.push(s.tick(t));
    obs.push(...inStep(s, ['n1', 'n2'], 'a', 6, 200, 21));
    const result = runObservations(devnet, obs);
    const liveness = result.signals.filter((x) => x.kind === 'liveness');
    assert.deepEqual(kinds(liveness), ['liveness:warning', 'liveness:critical']);
    // devnet: warning after 4.5 slots, critical after 8 slots without a head.
    assert.equal(liveness[0]?.atMs, s.atMs(10));
    assert.equal(liveness[1]?.atMs, s.atMs(13));
    assert.deepEqual(
      result.transitions.map((t) => [t.from, t.to, t.atMs]),
      [
        ['normal', 'caution', s.atMs(10)],
        ['caution', 'halt', s.atMs(13)],
        ['halt', 'normal', s.atMs(81)],
      ],
    );
    assert.equal(result.transitions[2]?.idempotencyKey, 'test:3:halt>normal');
  });

  it('behavior: a node on its own branch past the tolerance is a divergence at the fork height', () => {
    const s = createScript();
    s.fork('c', 'a3');
    const obs = [...inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 3)];
    for (let h = 4; h <= 9; h++)
      obs.push(s.head('n1', `a${h}`, h), s.head('n2', `a${h}`, h), s.head('n3', `c${h}`, h));
    const result = runObservations(devnet, obs);
    const divergence = result.signals.filter((x) => x.kind === 'divergence');
    assert.deepEqual(kinds(divergence), ['divergence:warning:n3', 'divergence:critical:n3']);
    assert.ok(divergence[0]?.kind === 'divergence');
    assert.equal(divergence[0].forkHeight, 4);
    // One node of three on its own branch is that node's word: uncorroborated, at most caution.
    assert.ok(divergence.every((x) => x.uncorroborated === true));
    assert.equal(result.summary.maxLevels.test, 'caution');
  });

  it('behavior: two nodes of five on another branch are a backed divergence that asks reduce_only', () => {
    const s = createScript();
    s.fork('c', 'a3');
    const obs = [...inStep(s, ['n1', 'n2', 'n3', 'n4', 'n5'], 'a', 1, 3)];
    for (let h = 4; h <= 9; h++) {
      for (const n of ['n1', 'n2', 'n3']) obs.push(s.head(n, `a${h}`, h));
      for (const n of ['n4', 'n5']) obs.push(s.head(n, `c${h}`, h));
    }
    const result = runObservations(devnet, obs);
    const divergence = result.signals.filter((x) => x.kind === 'divergence');
    assert.deepEqual(kinds(divergence), [
      'divergence:warning:n4',
      'divergence:warning:n5',
      'divergence:critical:n4',
      'divergence:critical:n5',
    ]);
    assert.ok(divergence.every((x) => x.uncorroborated === undefined));
    assert.equal(result.summary.maxLevels.test, 'reduce_only');
  });

  it('behavior: finalized checkpoint that stops advancing raises finality, critical asks reduce_only', () => {
    const s = createScript();
    const obs: Observation[] = [];
    for (let h = 1; h <= 100; h++) {
      obs.push(s.head('n1', `a${h}`, h));
      if (h > 8 && h <= 20) obs.push(s.finalized('n1', `a${h - 8}`, h));
    }
    const result = runObservations(devnet, obs);
    // Finalized last advances at t = 20 s; devnet epochs are 4 s: warning from 4 epochs, critical
    // from 8, emitted again at each further epoch until t = 100 s (20 epochs).
    const finality = result.signals.filter((x) => x.kind === 'finality');
    const expected = [4, 5, 6, 7].map((e) => `warning:${e}`);
    for (let e = 8; e <= 20; e++) expected.push(`critical:${e}`);
    assert.deepEqual(
      finality.map((x) => (x.kind === 'finality' ? `${x.severity}:${x.epochsWithoutFinality}` : '')),
      expected,
    );
    assert.equal(finality[4]?.atMs, s.atMs(20 + 32));
    assert.equal(result.summary.maxLevels.test, 'reduce_only');
  });

  it('behavior: one node of two finalizing a conflicting block is a safety signal held at caution', () => {
    const s = createScript();
    s.fork('b', 'a2');
    const b3 = { ...(s.head('n2', 'b3', 6) as Observation & { type: 'head' }), type: 'block' as const };
    const obs = [
      ...inStep(s, ['n1', 'n2'], 'a', 1, 5),
      b3,
      s.finalized('n1', 'a4', 6),
      s.finalized('n2', 'b3', 6),
    ];
    const result = runObservations(devnet, obs);
    assert.deepEqual(kinds(result.signals), ['divergence:safety:n2']);
    const safety = result.signals[0];
    assert.ok(safety?.kind === 'divergence');
    // a4 and b3 fork after a2: the finalized histories first differ at height 3.
    assert.equal(safety.forkHeight, 3);
    assert.equal(safety.commonAncestor?.number, 2n);
    // One node of two finalized b3: its word alone holds nothing above caution.
    assert.equal(safety.uncorroborated, true);
    assert.equal(result.transitions.at(-1)?.to, 'caution');
  });

  it('behavior: two groups of nodes finalizing conflicting blocks hold settlement', () => {
    const s = createScript();
    s.fork('b', 'a2');
    const block = (node: string, label: string) => ({
      ...(s.head(node, label, 6) as Observation & { type: 'head' }),
      type: 'block' as const,
    });
    const obs = [
      ...inStep(s, ['n1', 'n2', 'n3', 'n4', 'n5'], 'a', 1, 5),
      block('n4', 'b3'),
      s.finalized('n1', 'a4', 6),
      s.finalized('n2', 'a4', 6),
      s.finalized('n3', 'a4', 6),
      s.finalized('n4', 'b3', 6),
      s.finalized('n5', 'b3', 6),
    ];
    const result = runObservations(devnet, obs);
    assert.deepEqual(kinds(result.signals), ['divergence:safety:n4', 'divergence:safety:n5']);
    assert.equal(result.signals[0]?.uncorroborated, true);
    assert.equal(result.signals[1]?.uncorroborated, undefined);
    assert.equal(result.transitions.at(-1)?.to, 'settlement_hold');
  });

  it('behavior: an integrity error leaves the node out of the quorum', () => {
    const s = createScript();
    const obs: Observation[] = [...inStep(s, ['n1', 'n2'], 'a', 1, 3)];
    obs.push({
      type: 'error',
      chain: 'test',
      node: 'n2',
      code: 'integrity',
      message: 'hash mismatch',
      observedAtMs: s.atMs(4),
    });
    const result = runObservations(devnet, obs);
    assert.deepEqual(kinds(result.signals), ['integrity:critical:n2']);
    assert.equal(result.transitions[0]?.to, 'caution');
  });

  it('behavior: a hash served with another parent is a conflicting header', () => {
    const s = createScript();
    const obs: Observation[] = [...inStep(s, ['n1', 'n2'], 'a', 1, 3)];
    const a3 = s.block('a3');
    obs.push({
      ...(s.head('n2', 'a3', 4) as Observation & { type: 'head' }),
      parentHash: 'ff'.repeat(32),
      hash: a3.hash,
    });
    const result = runObservations(devnet, obs);
    assert.deepEqual(kinds(result.signals), ['integrity:critical:n2']);
    assert.ok(result.signals[0]?.kind === 'integrity' && result.signals[0].code === 'conflicting_header');
  });

  it('behavior: RPC latency and propagation outliers, once per episode', () => {
    const s = createScript();
    const obs: Observation[] = [
      s.head('n1', 'a1', 1, { latencyMs: 50 }),
      s.head('n1', 'a2', 2, { latencyMs: 5000 }),
      s.head('n1', 'a3', 3, { latencyMs: 5000 }),
      s.head('n2', 'a3', 6),
    ];
    const result = runObservations(devnet, obs);
    assert.deepEqual(
      result.signals.map((x) => (x.kind === 'latency' ? [x.measure, x.node, x.latencyMs] : [])),
      [
        ['rpc', 'n1', 5000],
        ['propagation', 'n2', 3000],
      ],
    );
  });

  it('behavior: canonical head follows the weight of healthy nodes', () => {
    const s = createScript();
    s.fork('b', 'a2');
    const cfg: EngineConfig = { chains: { test: { preset: 'devnet', params: { weights: { heavy: 3 } } } } };
    const obs = [
      ...inStep(s, ['heavy', 'l1', 'l2'], 'a', 1, 2),
      s.head('l1', 'b3', 3),
      s.head('l2', 'b3', 3),
      s.head('heavy', 'a3', 3),
    ];
    const result = runObservations(cfg, obs);
    assert.equal(result.summary.chains.test?.canonicalHead?.hash, s.block('a3').hash);
  });

  it('behavior: memory stays flat: blocks are pruned below the depth bound', () => {
    const s = createScript();
    const state = createEngineState(devnet);
    let maxStored = 0;
    for (let h = 1; h <= 5000; h++) {
      step(state, s.head('n1', `a${h}`, h));
      maxStored = Math.max(maxStored, state.chains.get('test')!.blocks.size);
    }
    assert.ok(maxStored <= 256 + 64 + 1, `stored ${maxStored}`);
    assert.ok(state.chains.get('test')!.canonicalByHeight.size <= 256 + 64 + 1);
  });

  it('behavior: same observations, same output', () => {
    const s = createScript();
    s.fork('b', 'a2');
    const obs = [...inStep(s, ['n1', 'n2'], 'a', 1, 9), s.head('n1', 'b3', 10), s.head('n2', 'b3', 10)];
    assert.deepEqual(runObservations(devnet, obs), runObservations(devnet, obs));
  });

  it('behavior: observations of an unknown chain are ignored without a default preset', () => {
    const s = createScript('other');
    const result = runObservations(devnet, [s.head('n1', 'a1', 1)]);
    assert.equal(result.summary.ignored, 1);
    const withDefault = runObservations({ ...devnet, defaultPreset: 'devnet' }, [s.head('n1', 'a1', 1)]);
    assert.equal(withDefault.summary.ignored, 0);
  });

  it('error: an unknown preset is refused', () => {
    assert.throws(() => createEngineState({ chains: { x: { preset: 'nope' } } }), /unknown preset "nope"/);
    assert.throws(
      () => createEngineState({ chains: { x: { preset: 'nope' } } }),
      (error) => error instanceof CodedError && error.code === 'unknown_preset',
    );
  });
});
