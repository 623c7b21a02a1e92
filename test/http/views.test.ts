import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createChainState } from '../../src/core/chainView.ts';
import type { Observation } from '../../src/core/observation.ts';
import { toChainParams } from '../../src/core/params.ts';
import { createEngineState, step } from '../../src/engine/step.ts';
import { createRateLimiter } from '../../src/http/createRateLimiter.ts';
import { toBlockTree } from '../../src/http/toBlockTree.ts';
import { toChainSummaries } from '../../src/http/toChainSummaries.ts';
import { toNodeSummaries } from '../../src/http/toNodeSummaries.ts';
import { createScript } from '../support/script.ts';

/** Three nodes on `test` (devnet preset): a and b on branch a up to a6, c forked at a3 onto c4..c5. */
function forkedEngine() {
  const s = createScript('test');
  s.fork('c', 'a3');
  const script: Observation[] = [];
  for (let h = 1; h <= 3; h++) for (const node of ['a', 'b', 'c']) script.push(s.head(node, `a${h}`, h));
  script.push(s.finalized('a', 'a2', 3), s.finalized('b', 'a2', 3));
  script.push(s.head('a', 'a4', 4), s.head('b', 'a4', 4), s.head('c', 'c4', 4, { client: 'other/v1' }));
  script.push(s.head('a', 'a5', 5), s.head('b', 'a5', 5), s.head('c', 'c5', 5));
  script.push(s.head('a', 'a6', 6), s.head('b', 'a6', 6));
  const state = createEngineState({ chains: { test: { preset: 'devnet' } } });
  for (const o of script) step(state, o);
  return { state, s };
}

describe('toBlockTree', () => {
  test('default: both branches, canonical and finalized marks, which nodes follow which block', () => {
    const { state, s } = forkedEngine();
    const tree = toBlockTree(state.chains.get('test')!, 16);
    const rows = tree.blocks.map((b) => ({
      label: ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'c4', 'c5'].find((l) => s.block(l).hash === b.hash),
      canonical: b.canonical,
      finalized: b.finalized,
      nodes: b.nodes.join(','),
      heads: b.heads.join(','),
    }));
    const byLabel = (label: string) => rows.find((r) => r.label === label);
    const cases: Array<[string, boolean, boolean, string, string]> = [
      ['a1', true, true, 'a,b,c', ''],
      ['a2', true, true, 'a,b,c', ''],
      ['a3', true, false, 'a,b,c', ''],
      ['a4', true, false, 'a,b', ''],
      ['a5', true, false, 'a,b', ''],
      ['a6', true, false, 'a,b', 'a,b'],
      ['c4', false, false, 'c', ''],
      ['c5', false, false, 'c', 'c'],
    ];
    for (const [label, canonical, finalized, nodes, heads] of cases) {
      assert.deepEqual(byLabel(label), { label, canonical, finalized, nodes, heads }, label);
    }
    assert.equal(tree.toHeight, 6n);
    assert.deepEqual(tree.heads.c, { number: 5n, hash: s.block('c5').hash });
    assert.deepEqual(tree.finalized, { number: 2n, hash: s.block('a2').hash });
  });

  test('args: depth bounds the window below the highest stored block, down to a competing branch', () => {
    const { state } = forkedEngine();
    // c's branch leaves the canonical line at a3: the window reaches down to it.
    const tree = toBlockTree(state.chains.get('test')!, 2);
    assert.equal(tree.fromHeight, 3n);
    assert.deepEqual(
      tree.blocks.map((b) => b.number),
      [3n, 4n, 4n, 5n, 5n, 6n],
    );
    const s = createScript('test');
    const line = createEngineState({ chains: { test: { preset: 'devnet' } } });
    for (let h = 1; h <= 10; h++) for (const node of ['a', 'b']) step(line, s.head(node, `a${h}`, h));
    const plain = toBlockTree(line.chains.get('test')!, 2);
    assert.equal(plain.fromHeight, 8n);
    assert.deepEqual(
      plain.blocks.map((b) => b.number),
      [8n, 9n, 10n],
    );
  });

  test('behavior: a node that stopped on its branch stays in view while the others go on', () => {
    // c forks at a3 and stops at c5; a and b reach a40, far above the 16 heights asked for.
    const s = createScript('test');
    s.fork('c', 'a3');
    const state = createEngineState({ chains: { test: { preset: 'devnet' } } });
    for (let h = 1; h <= 3; h++) for (const node of ['a', 'b', 'c']) step(state, s.head(node, `a${h}`, h));
    step(state, s.head('c', 'c4', 4));
    step(state, s.head('c', 'c5', 5));
    for (let h = 4; h <= 40; h++) for (const node of ['a', 'b']) step(state, s.head(node, `a${h}`, h));
    const tree = toBlockTree(state.chains.get('test')!, 16);
    assert.equal(tree.toHeight, 40n);
    assert.equal(tree.fromHeight, 3n, 'down to the fork point');
    const fork = tree.blocks.filter((b) => !b.canonical);
    assert.deepEqual(
      fork.map((b) => ({ hash: b.hash, heads: b.heads, nodes: b.nodes })),
      [
        { hash: s.block('c4').hash, heads: [], nodes: ['c'] },
        { hash: s.block('c5').hash, heads: ['c'], nodes: ['c'] },
      ],
    );
    const forkPoint = tree.blocks.find((b) => b.number === 3n)!;
    assert.deepEqual([forkPoint.hash, forkPoint.canonical], [s.block('a3').hash, true]);
    assert.equal(fork[0]!.parentHash, forkPoint.hash);
  });

  test('behavior: an empty chain has no window', () => {
    const tree = toBlockTree(createChainState('test', toChainParams('devnet'), 0), 8);
    assert.deepEqual(tree.blocks, []);
    assert.equal(tree.fromHeight, null);
    assert.equal(tree.canonicalHead, null);
  });
});

describe('toNodeSummaries and toChainSummaries', () => {
  test('default: lag, fork, client, latency and head minus finalized', () => {
    const { state } = forkedEngine();
    const nodes = toNodeSummaries(state, (_chain, node) => (node === 'a' ? 12 : undefined));
    assert.deepEqual(
      nodes.map((n) => [
        n.name,
        n.client,
        n.head?.number,
        n.lagBlocks,
        n.onCanonical,
        n.lastLatencyMs,
        n.headMinusFinalized,
      ]),
      [
        ['a', null, 6n, 0, true, 12, 4],
        ['b', null, 6n, 0, true, null, 4],
        ['c', 'other/v1', 5n, 1, false, null, null],
      ],
    );
    const [chain] = toChainSummaries(state);
    assert.equal(chain!.canonicalHead!.number, 6n);
    assert.equal(chain!.finalized!.number, 2n);
    assert.equal(chain!.level, state.breakers.get('test')!.level);
    assert.equal(chain!.nodes, 3);
  });

  test("behavior: a node's condition names the node and the place it is seen from, whatever the name holds", () => {
    const s = createScript('test');
    s.fork('c', 'a3');
    const far = '127.0.0.1:8545';
    const script: Observation[] = [{ ...s.head(far, 'a1', 1), location: 'asia' }];
    for (let h = 1; h <= 3; h++) for (const node of ['a', 'b', 'c']) script.push(s.head(node, `a${h}`, h));
    script.push(s.head('c', 'c4', 4), s.head('c', 'c5', 5), s.head('c', 'c6', 6));
    for (let h = 4; h <= 12; h++) script.push(s.head('a', `a${h}`, h), s.head('b', `a${h}`, h));
    script.sort((x, y) => x.observedAtMs - y.observedAtMs);
    const state = createEngineState({ chains: { test: { preset: 'devnet' } } });
    for (const o of script) step(state, o);
    const [chain] = toChainSummaries(state);
    // c left the line at a3 (a divergence of the guard's own node); the node named host:port, seen
    // only from asia, stayed at a1 (its lag, and a failure asia alone sees).
    assert.deepEqual(
      chain!.conditions.map((c) => [c.key, c.node, c.location]),
      [
        ['divergence:c', 'c', ''],
        ['monitor_partition:asia', undefined, undefined],
        ['lag:127.0.0.1:8545@asia', '127.0.0.1:8545', 'asia'],
      ],
    );
  });
});

describe('createRateLimiter', () => {
  test('behavior: burst, refill, and a bounded number of clients', () => {
    const limiter = createRateLimiter({ ratePerSecond: 1, burst: 2, maxClients: 10 });
    assert.equal(limiter.take('x', 0), 0);
    assert.equal(limiter.take('x', 0), 0);
    assert.equal(limiter.take('x', 0), 1);
    assert.equal(limiter.take('x', 500), 0.5);
    assert.equal(limiter.take('x', 1000), 0);
    for (let i = 0; i < 100; i++) limiter.take(`client-${i}`, 2000);
    assert.equal(limiter.take('client-99', 2000), 0, 'the newest client keeps its bucket');
    assert.equal(limiter.take('client-99', 2000), 1, 'and it is the same bucket');
  });
});
