import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Transition } from '../../src/breaker/levels.ts';
import type { ProofOfWork } from '../../src/core/params.ts';
import type { Signal } from '../../src/core/signal.ts';
import { toForkResolution } from '../../src/engine/toForkResolution.ts';
import { createBitcoinSource } from '../../src/sources/bitcoin/createBitcoinSource.ts';
import { createTestGuard, type TestGuard } from '../support/createTestGuard.ts';
import { type RunningLitecoind, startLitecoind, waitFor } from './litecoind.ts';

const MINE_A = 'raw(51)#8lvh9jxk';
const MINE_B = 'raw(52)#qu92mhx7';
const REGTEST: ProofOfWork = {
  algorithm: 'scrypt',
  retarget: 'fixed',
  retargetInterval: 2016,
  powLimitBits: 0x207fffff,
};

describe('bitcoin source against two litecoind regtest nodes', () => {
  let a: RunningLitecoind;
  let b: RunningLitecoind;
  let guard: TestGuard;
  const signals: Signal[] = [];
  const transitions: Transition[] = [];

  before(async () => {
    a = await startLitecoind();
    b = await startLitecoind({ addnode: a.p2pPort });
    await waitFor('peering', async () =>
      ((await a.rpc('getconnectioncount')) as number) > 0 ? true : undefined,
    );
    await a.rpc('generatetodescriptor', [5, MINE_A]);
    await waitFor('b to sync', async () =>
      ((await b.rpc('getblockcount')) as number) === 5 ? true : undefined,
    );
    guard = createTestGuard({
      engine: {
        chains: {
          litecoin: {
            preset: 'bitcoin',
            params: {
              pow: REGTEST,
              divergence: { toleranceBlocks: 2, toleranceMs: 600_000, settleMs: 200, criticalBlocks: 6 },
              lag: { maxBlocks: 5, graceMs: 600_000 },
            },
          },
        },
      },
      sources: [
        createBitcoinSource({
          chain: 'litecoin',
          node: 'ltc-a',
          url: a.url,
          pollIntervalMs: 100,
          tipsEveryPolls: 2,
          pow: REGTEST,
        }),
        createBitcoinSource({
          chain: 'litecoin',
          node: 'ltc-b',
          url: b.url,
          pollIntervalMs: 100,
          tipsEveryPolls: 2,
          pow: REGTEST,
        }),
      ],
      onSignal: (s) => signals.push(s),
      onTransition: (t) => transitions.push(t),
    });
    await guard.start();
    await waitFor('both heads at 5', () =>
      [...(guard.state.chains.get('litecoin')?.nodes.values() ?? [])].filter((n) => n.head?.number === 5n)
        .length === 2
        ? true
        : undefined,
    );
  });

  after(async () => {
    await guard?.stop();
    await Promise.allSettled([a?.stop(), b?.stop()]);
  });

  it('behavior: the nodes agree, nothing fires, the client is learned', () => {
    assert.deepEqual(signals, []);
    const node = guard.state.chains.get('litecoin')?.nodes.get('ltc-a');
    assert.match(node?.client ?? '', /LitecoinCore/);
  });

  it('behavior: a partition is a divergence at the fork height, healing is a reorg of the right depth', async () => {
    await a.rpc('setnetworkactive', [false]);
    await waitFor('disconnect', async () =>
      ((await b.rpc('getconnectioncount')) as number) === 0 ? true : undefined,
    );
    await a.rpc('generatetodescriptor', [2, MINE_A]);
    // Let the watcher see side A first, so that the canonical head is on A's branch during the split.
    await waitFor('ltc-a at 7', () =>
      guard.state.chains.get('litecoin')?.canonical?.number === 7n ? true : undefined,
    );
    await b.rpc('generatetodescriptor', [4, MINE_B]);
    const divergence = await waitFor('divergence', () => signals.find((s) => s.kind === 'divergence'));
    assert.ok(divergence.kind === 'divergence');
    assert.equal(divergence.forkHeight, 6);
    assert.equal(divergence.nodeBranchLength + divergence.canonicalBranchLength, 6);
    // One node against one: node weight would keep A's line; B's branch has more verified work.
    const bTip = (await b.rpc('getbestblockhash')) as string;
    await waitFor('B canonical by chainwork', () =>
      guard.state.chains.get('litecoin')?.canonical?.hash === bTip ? true : undefined,
    );
    assert.equal(guard.state.chains.get('litecoin')?.canonical?.chainwork, 20n);
    const resolution = toForkResolution(guard.state, 'litecoin');
    assert.equal(resolution.status, 'follow');
    assert.equal(resolution.basis, 'chainwork');
    assert.equal(resolution.winner?.head.hash, bTip);
    assert.deepEqual(resolution.winner?.nodes, ['ltc-b']);
    assert.deepEqual(resolution.drain, ['ltc-a']);
    assert.equal(resolution.rollbackHeight, 6n);

    await a.rpc('setnetworkactive', [true]);
    await a.rpc('addnode', [`127.0.0.1:${b.p2pPort}`, 'onetry']);
    const nodeReorg = await waitFor('reorg at ltc-a', () =>
      signals.find((s) => s.kind === 'reorg' && s.scope === 'node' && s.node === 'ltc-a'),
    );
    assert.ok(nodeReorg.kind === 'reorg');
    assert.equal(nodeReorg.depth, 2);
    assert.equal(nodeReorg.commonAncestor.number, 5n);
    assert.equal(nodeReorg.newHead.number, 9n);
    const chainReorg = await waitFor('chain reorg', () =>
      signals.find((s) => s.kind === 'reorg' && s.scope === 'chain'),
    );
    assert.ok(chainReorg.kind === 'reorg');
    assert.equal(chainReorg.depth, 2);
    assert.equal(chainReorg.commonAncestor.number, 5n);
    // Verified work outweighs node count: the move to the heavier chain is backed, and one node
    // against one on a chain chosen by chainwork is no loss of quorum.
    assert.equal(chainReorg.uncorroborated, undefined);
    assert.deepEqual(
      signals.filter((s) => s.kind === 'quorum'),
      [],
    );
  });
});
