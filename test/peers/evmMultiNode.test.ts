import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Transition } from '../../src/breaker/levels.ts';
import type { Observation } from '../../src/core/observation.ts';
import { toHash } from '../../src/core/observation.ts';
import type { ChainParamsOverrides } from '../../src/core/params.ts';
import type { DivergenceSignal, LagSignal, Signal } from '../../src/core/signal.ts';
import { createEvmSource } from '../../src/sources/evm/createEvmSource.ts';
import { createTestGuard, type TestGuard } from '../support/createTestGuard.ts';
import { type RunningNode, startAnvil, startGanache, startHardhat } from './nodes.ts';

type Kind = 'hardhat' | 'anvil' | 'ganache';
type Member = { name: string; kind: Kind; node: RunningNode };
type RpcBlock = { hash: string; number: string };

const chain = 'devnet';
/** 2024-01-01T00:00:00Z, the genesis time of every node started here. */
const genesisS = 1704067200;
const waitTimeoutMs = 45_000;

/**
 * Tolerances that are not under test, widened so that a busy shared machine cannot raise them:
 * a slow request (`latency`), and a late round of in-step mining (`liveness`, whose devnet
 * warning comes after 4.5 s without a head). The tests that judge liveness keep the preset.
 */
const quietTolerances: ChainParamsOverrides = {
  latency: { rpcThresholdMs: 30_000, propagationThresholdMs: 30_000 },
  liveness: { maxMissedSlots: 40, criticalMissedSlots: 80 },
};

type Watch = {
  guard: TestGuard;
  observations: Observation[];
  signals: Signal[];
  transitions: Transition[];
  /** Resolves with the first match from index `from`; rejects after a generous timeout. */
  waitForSignal<T extends Signal>(predicate: (signal: Signal) => signal is T, from?: number): Promise<T>;
  waitForTransition(predicate: (transition: Transition) => boolean): Promise<Transition>;
  waitForHead(member: Member, hash: string): Promise<void>;
  stop(): Promise<void>;
};

async function watch(members: Member[], params: ChainParamsOverrides = {}): Promise<Watch> {
  const observations: Observation[] = [];
  const signals: Signal[] = [];
  const transitions: Transition[] = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
  };
  const waitUntil = <T>(what: string, check: () => T | undefined): Promise<T> =>
    new Promise((resolve, reject) => {
      const attempt = () => {
        const found = check();
        if (found === undefined) return;
        waiters.delete(attempt);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(attempt);
        reject(
          new Error(
            `timed out waiting for ${what}; signals: ${signals.map((s) => `${s.kind}/${s.severity} ${s.message}`).join(' | ')}`,
          ),
        );
      }, waitTimeoutMs);
      waiters.add(attempt);
      attempt();
    });
  const guard = createTestGuard({
    engine: { chains: { [chain]: { preset: 'devnet', params } } },
    sources: members.map((member) =>
      createEvmSource({ chain, node: member.name, url: member.node.url, pollIntervalMs: 200 }),
    ),
    onObservation: (observation) => {
      observations.push(observation);
      wake();
    },
    onSignal: (signal) => {
      signals.push(signal);
      wake();
    },
    onTransition: (transition) => {
      transitions.push(transition);
      wake();
    },
  });
  await guard.start();
  return {
    guard,
    observations,
    signals,
    transitions,
    waitForSignal: (predicate, from = 0) => waitUntil('a signal', () => signals.slice(from).find(predicate)),
    waitForTransition: (predicate) => waitUntil('a transition', () => transitions.find(predicate)),
    async waitForHead(member, hash) {
      const wanted = toHash(hash);
      await waitUntil(`head ${wanted.slice(0, 10)} of ${member.name}`, () =>
        observations.find((o) => o.type === 'head' && o.node === member.name && o.hash === wanted),
      );
    },
    stop: () => guard.stop(),
  };
}

/** Mines one block on every member with the same timestamp (seconds). */
async function mineInStep(members: Member[], timestampS: number): Promise<void> {
  await Promise.all(
    members.map(async ({ kind, node }) => {
      if (kind === 'ganache') {
        await node.rpc('evm_mine', [{ timestamp: timestampS }]);
      } else {
        await node.rpc('evm_setNextBlockTimestamp', [timestampS]);
        await node.rpc('evm_mine', []);
      }
    }),
  );
}

async function latest(member: Member): Promise<RpcBlock> {
  return (await member.node.rpc('eth_getBlockByNumber', ['latest', false])) as RpcBlock;
}

/** Mines in step and waits until the guard has seen every member's new head. */
async function roundInStep(w: Watch, members: Member[], timestampS: number): Promise<RpcBlock[]> {
  await mineInStep(members, timestampS);
  const tips = await Promise.all(members.map(latest));
  await Promise.all(members.map((member, index) => w.waitForHead(member, tips[index]?.hash ?? '')));
  return tips;
}

/** A node on another branch than the canonical one (not a conflict of finalized checkpoints). */
const isBranchDivergence = (signal: Signal): signal is DivergenceSignal =>
  signal.kind === 'divergence' && !signal.conflictingFinalized;

async function stopAll(nodes: Array<RunningNode | undefined>): Promise<void> {
  await Promise.allSettled(nodes.map((node) => node?.stop()));
}

describe('several EVM nodes watched as one chain (createTestGuard, devnet preset)', () => {
  it('behavior: two Hardhat nodes with the same genesis agree in step; a transaction on one only makes it diverge', async () => {
    const nodes: RunningNode[] = [];
    let w: Watch | undefined;
    try {
      const [a, b] = await Promise.all([
        startHardhat({ chainId: 31337, initialDate: '2024-01-01T00:00:00Z' }),
        startHardhat({ chainId: 31337, initialDate: '2024-01-01T00:00:00Z' }),
      ]);
      nodes.push(a, b);
      const members: Member[] = [
        { name: 'hardhat-a', kind: 'hardhat', node: a },
        { name: 'hardhat-b', kind: 'hardhat', node: b },
      ];
      const [memberA, memberB] = members as [Member, Member];
      // Two nodes of weight 1 on two branches are a tie with no principled winner; weight 2 on
      // hardhat-a makes its branch the canonical one, so the divergent node is hardhat-b.
      w = await watch(members, { ...quietTolerances, weights: { 'hardhat-a': 2 } });

      let timestampS = genesisS;
      for (let round = 0; round < 5; round++) {
        const tips = await roundInStep(w, members, ++timestampS);
        assert.equal(tips[0]?.hash, tips[1]?.hash, 'same genesis, same timestamps: same blocks');
      }
      assert.deepEqual(
        w.signals.map((s) => s.message),
        [],
      );
      assert.equal(w.transitions.length, 0);
      assert.equal(w.guard.state.breakers.get(chain)?.level, 'normal');

      const forkHeight = Number((await latest(memberA)).number) + 1;
      const accounts = (await b.rpc('eth_accounts')) as string[];
      await b.rpc('eth_sendTransaction', [{ from: accounts[0], to: accounts[1], value: '0x1' }]);
      const from = w.signals.length;
      // Hardhat reports `finalized` = `latest`, so from the first block after the fork the two
      // nodes also claim conflicting finalized blocks: `safety` signals, judged elsewhere. The
      // branch divergence is what names the node that left the canonical line.
      let divergence: DivergenceSignal | undefined;
      for (let round = 0; round < 12 && !divergence; round++) {
        const tips = await roundInStep(w, members, ++timestampS);
        assert.notEqual(tips[0]?.hash, tips[1]?.hash);
        divergence = w.signals.slice(from).find(isBranchDivergence);
      }
      divergence ??= await w.waitForSignal(isBranchDivergence, from);
      assert.equal(divergence.node, memberB.name);
      assert.match(divergence.client ?? '', /^HardhatNetwork\//);
      assert.equal(divergence.forkHeight, forkHeight);
      assert.equal(
        w.signals.some((s) => isBranchDivergence(s) && s.node === memberA.name),
        false,
      );
    } finally {
      await w?.stop();
      await stopAll(nodes);
    }
  });

  it('behavior: an Anvil forked from a Hardhat node at block N and mining its own blocks is a client split at N + 1', async () => {
    const nodes: RunningNode[] = [];
    let w: Watch | undefined;
    try {
      const [a, b] = await Promise.all([
        startHardhat({ chainId: 31337, initialDate: '2024-01-01T00:00:00Z' }),
        startHardhat({ chainId: 31337, initialDate: '2024-01-01T00:00:00Z' }),
      ]);
      nodes.push(a, b);
      const hardhats: Member[] = [
        { name: 'hardhat-a', kind: 'hardhat', node: a },
        { name: 'hardhat-b', kind: 'hardhat', node: b },
      ];
      let timestampS = genesisS;
      for (let round = 0; round < 4; round++) await mineInStep(hardhats, ++timestampS);
      const forkBlock = Number((await latest(hardhats[0] as Member)).number);
      assert.equal(forkBlock, 4);

      const anvil = await startAnvil({
        blockTimeS: 0,
        args: ['--fork-url', a.url, '--fork-block-number', String(forkBlock)],
      });
      nodes.push(anvil);
      const anvilMember: Member = { name: 'anvil', kind: 'anvil', node: anvil };
      assert.equal((await latest(anvilMember)).hash, (await latest(hardhats[0] as Member)).hash);
      const members = [...hardhats, anvilMember];
      w = await watch(members, quietTolerances);
      const tips = await Promise.all(members.map(latest));
      await Promise.all(members.map((member, index) => w?.waitForHead(member, tips[index]?.hash ?? '')));
      assert.deepEqual(
        w.signals.map((s) => s.message),
        [],
        'one history up to the fork block',
      );

      // Anvil's `finalized` is latest - 8 (--slots-in-an-epoch 4): fewer than 8 blocks past the
      // fork keep it on the shared history, so only the split itself is judged.
      let divergence: DivergenceSignal | undefined;
      for (let round = 0; round < 6 && !divergence; round++) {
        const mined = await roundInStep(w, members, ++timestampS);
        assert.equal(mined[0]?.hash, mined[1]?.hash);
        assert.notEqual(mined[2]?.hash, mined[0]?.hash);
        divergence = w.signals.find(isBranchDivergence);
      }
      divergence ??= await w.waitForSignal(isBranchDivergence);
      assert.equal(divergence.node, 'anvil');
      assert.match(divergence.client ?? '', /^anvil\//);
      assert.equal(divergence.forkHeight, forkBlock + 1);
      assert.equal(divergence.commonAncestor?.number, BigInt(forkBlock));
      assert.deepEqual(
        w.signals.filter((s) => s.kind === 'divergence' && s.conflictingFinalized),
        [],
        "Anvil's finalized block is still on the shared history",
      );
      assert.deepEqual(
        w.signals.filter((s) => s.kind === 'divergence' && s.node !== 'anvil'),
        [],
      );
    } finally {
      await w?.stop();
      await stopAll(nodes);
    }
  });

  it('behavior: three Ganache nodes in step; one stopped is node lag (unreachable), not a halt; all stopped is a liveness halt', async () => {
    const nodes: RunningNode[] = [];
    let w: Watch | undefined;
    try {
      nodes.push(...(await Promise.all([startGanache(), startGanache(), startGanache()])));
      const members: Member[] = nodes.map((node, index) => ({
        name: `ganache-${index + 1}`,
        kind: 'ganache',
        node,
      }));
      const [first, ...rest] = members as [Member, Member, Member];
      // The devnet liveness thresholds are kept (warning 4.5 s, critical 8 s without a head):
      // they are what this test judges, and the rounds below follow each other well within them.
      w = await watch(members, { latency: quietTolerances.latency ?? {} });

      let timestampS = genesisS;
      for (let round = 0; round < 3; round++) {
        const tips = await roundInStep(w, members, ++timestampS);
        assert.equal(new Set(tips.map((tip) => tip.hash)).size, 1, 'same genesis, same timestamps');
      }
      assert.deepEqual(
        w.signals.filter((s) => s.kind === 'divergence' || s.kind === 'lag' || s.kind === 'reorg'),
        [],
        'three nodes in step agree',
      );

      await first.node.stop();
      const isFirstLag = (signal: Signal): signal is LagSignal =>
        signal.kind === 'lag' && signal.node === first.name;
      let lag: LagSignal | undefined;
      // The others keep mining until the lag grace period (3 s) has passed for the stopped node.
      for (let round = 0; round < 200 && !lag; round++) {
        await roundInStep(w, rest, ++timestampS);
        lag = w.signals.find(isFirstLag);
      }
      lag ??= await w.waitForSignal(isFirstLag);
      assert.equal(lag.unreachable, true);
      assert.match(lag.client ?? '', /^Ganache\//);
      await roundInStep(w, rest, ++timestampS);
      assert.deepEqual(
        w.signals.filter((s) => s.kind === 'liveness' && s.severity === 'critical'),
        [],
      );
      assert.deepEqual(
        w.transitions.filter((t) => t.to === 'halt'),
        [],
      );
      assert.deepEqual(
        w.signals.filter((s) => s.kind === 'lag' && s.node !== first.name),
        [],
      );
      assert.deepEqual(
        w.signals.filter((s) => s.kind === 'divergence' || s.kind === 'reorg'),
        [],
      );

      const from = w.signals.length;
      await stopAll(rest.map((member) => member.node));
      const halt = await w.waitForTransition((t) => t.to === 'halt');
      const liveness = w.signals.slice(from).find((s) => s.kind === 'liveness' && s.severity === 'critical');
      assert.ok(liveness, 'a critical liveness signal before the halt');
      assert.ok(halt.causes.includes('liveness'));
    } finally {
      await w?.stop();
      await stopAll(nodes);
    }
  });
});
