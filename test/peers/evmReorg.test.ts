import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toHash } from '../../src/core/observation.ts';
import { createEvmSource } from '../../src/sources/evm/createEvmSource.ts';
import { type RunningNode, startAnvil, startGanache, startHardhat } from './nodes.ts';
import { observe } from './observe.ts';
import { findReorg } from './reorgView.ts';

type RpcBlock = { hash: string; number: string };

async function blockAt(node: RunningNode, tag: string | number): Promise<RpcBlock> {
  const param = typeof tag === 'number' ? `0x${tag.toString(16)}` : tag;
  return (await node.rpc('eth_getBlockByNumber', [param, false])) as RpcBlock;
}

function isHeadWithHash(hash: string) {
  return (o: { type: string; hash?: string }) => o.type === 'head' && o.hash === toHash(hash);
}

describe('EVM source: reorgs on real nodes', () => {
  describe('anvil_reorg depth 3', () => {
    let anvil: RunningNode;
    before(async () => {
      anvil = await startAnvil({ blockTimeS: 0 });
    });
    after(async () => {
      await anvil?.stop();
    });

    for (const transport of ['http', 'ws'] as const) {
      it(`behavior: the reorg is visible with depth 3 and the common ancestor known (${transport})`, async () => {
        const url = transport === 'http' ? anvil.url : anvil.wsUrl;
        const observed = await observe(
          createEvmSource({ chain: 'devnet', node: `anvil-${transport}`, url, pollIntervalMs: 100 }),
        );
        try {
          await anvil.rpc('anvil_mine', ['0x6']);
          const tip = await blockAt(anvil, 'latest');
          await observed.waitFor(isHeadWithHash(tip.hash));
          const height = Number(tip.number);
          const ancestor = await blockAt(anvil, height - 3);
          const from = observed.observations.length;

          await anvil.rpc('anvil_reorg', [3, []]);
          const newTip = await blockAt(anvil, 'latest');
          assert.notEqual(newTip.hash, tip.hash);
          await observed.waitFor(isHeadWithHash(newTip.hash), { from });

          const reorg = findReorg(observed.observations, from);
          assert.ok(reorg, 'a head that does not descend from the previous head');
          assert.equal(reorg.depth, 3);
          assert.equal(reorg.oldHead.hash, toHash(tip.hash));
          assert.equal(reorg.commonAncestor.number, BigInt(height - 3));
          assert.equal(reorg.commonAncestor.hash, toHash(ancestor.hash));
          assert.equal(reorg.newHead.client?.startsWith('anvil'), true);
          const errors = observed.observations.filter((o) => o.type === 'error');
          assert.deepEqual(errors, []);
        } finally {
          await observed.stop();
        }
      });
    }
  });

  describe('Hardhat evm_snapshot / evm_revert', () => {
    let hardhat: RunningNode;
    before(async () => {
      hardhat = await startHardhat();
    });
    after(async () => {
      await hardhat?.stop();
    });

    for (const transport of ['http', 'ws'] as const) {
      it(`behavior: a revert and re-mine of 3 blocks is a reorg of depth 3 (${transport})`, async () => {
        const url = transport === 'http' ? hardhat.url : hardhat.wsUrl;
        const observed = await observe(
          createEvmSource({ chain: 'devnet', node: `hardhat-${transport}`, url, pollIntervalMs: 100 }),
        );
        try {
          await hardhat.rpc('hardhat_mine', ['0x3']);
          const base = await blockAt(hardhat, 'latest');
          const snapshot = await hardhat.rpc('evm_snapshot');
          await hardhat.rpc('hardhat_mine', ['0x3']);
          const tip = await blockAt(hardhat, 'latest');
          await observed.waitFor(isHeadWithHash(tip.hash));
          const from = observed.observations.length;

          assert.equal(await hardhat.rpc('evm_revert', [snapshot]), true);
          const baseTimestamp = Number(
            ((await hardhat.rpc('eth_getBlockByNumber', [base.number, false])) as { timestamp: string })
              .timestamp,
          );
          for (let i = 1; i <= 3; i += 1) await hardhat.rpc('evm_mine', [baseTimestamp + 1000 + i]);
          const newTip = await blockAt(hardhat, 'latest');
          assert.equal(newTip.number, tip.number);
          assert.notEqual(newTip.hash, tip.hash);
          await observed.waitFor(isHeadWithHash(newTip.hash), { from });

          const reorg = findReorg(observed.observations, from);
          assert.ok(reorg, 'a head that does not descend from the previous head');
          assert.equal(reorg.depth, 3);
          assert.equal(reorg.oldHead.hash, toHash(tip.hash));
          assert.equal(reorg.commonAncestor.number, BigInt(base.number));
          assert.equal(reorg.commonAncestor.hash, toHash(base.hash));
          assert.equal(reorg.newHead.client?.startsWith('HardhatNetwork'), true);
          assert.deepEqual(
            observed.observations.filter((o) => o.type === 'error'),
            [],
          );
        } finally {
          await observed.stop();
        }
      });
    }
  });
});

describe('EVM source: Ganache evm_snapshot / evm_revert', () => {
  let ganache: RunningNode;
  before(async () => {
    ganache = await startGanache();
  });
  after(async () => {
    await ganache?.stop();
  });

  for (const transport of ['http', 'ws'] as const) {
    it(`behavior: a revert and re-mine of 3 blocks is a reorg of depth 3 (${transport})`, async () => {
      const url = transport === 'http' ? ganache.url : ganache.wsUrl;
      const observed = await observe(
        createEvmSource({ chain: 'devnet', node: `ganache-${transport}`, url, pollIntervalMs: 100 }),
      );
      try {
        await observed.waitFor((o) => o.type === 'head');
        for (let i = 0; i < 3; i += 1) await ganache.rpc('evm_mine');
        const base = await blockAt(ganache, 'latest');
        const snapshot = await ganache.rpc('evm_snapshot');
        for (let i = 0; i < 3; i += 1) await ganache.rpc('evm_mine');
        const tip = await blockAt(ganache, 'latest');
        await observed.waitFor(isHeadWithHash(tip.hash));
        const from = observed.observations.length;

        assert.equal(await ganache.rpc('evm_revert', [snapshot]), true);
        const baseTimestamp = Number(
          ((await ganache.rpc('eth_getBlockByNumber', [base.number, false])) as { timestamp: string })
            .timestamp,
        );
        for (let i = 1; i <= 3; i += 1)
          await ganache.rpc('evm_mine', [{ timestamp: baseTimestamp + 1000 + i }]);
        const newTip = await blockAt(ganache, 'latest');
        assert.equal(newTip.number, tip.number);
        assert.notEqual(newTip.hash, tip.hash);
        await observed.waitFor(isHeadWithHash(newTip.hash), { from });

        const reorg = findReorg(observed.observations, from);
        assert.ok(reorg, 'a head that does not descend from the previous head');
        assert.equal(reorg.depth, 3);
        assert.equal(reorg.oldHead.hash, toHash(tip.hash));
        assert.deepEqual(reorg.commonAncestor, { number: BigInt(base.number), hash: toHash(base.hash) });
        assert.equal(reorg.newHead.client?.startsWith('Ganache'), true);
        assert.deepEqual(
          observed.observations.filter((o) => o.type === 'error'),
          [],
        );
      } finally {
        await observed.stop();
      }
    });
  }
});

describe('EVM source: walk-back bounds', () => {
  it('behavior: a gap longer than maxBackfill is filled with at most maxBackfill blocks, lowest first', async () => {
    const anvil = await startAnvil({ blockTimeS: 0 });
    const observed = await observe(
      createEvmSource({ chain: 'devnet', node: 'anvil', url: anvil.url, pollIntervalMs: 50, maxBackfill: 5 }),
    );
    try {
      await observed.waitFor((o) => o.type === 'head');
      const from = observed.observations.length;
      await anvil.rpc('anvil_mine', ['0x14']);
      const tip = await blockAt(anvil, 'latest');
      const head = await observed.waitFor(isHeadWithHash(tip.hash), { from });
      const filled = observed.observations
        .slice(from, observed.observations.indexOf(head))
        .filter((o) => o.type === 'block')
        .map((o) => (o.type === 'block' ? Number(o.number) : -1));
      const height = Number(tip.number);
      assert.deepEqual(filled, [height - 5, height - 4, height - 3, height - 2, height - 1]);
    } finally {
      await observed.stop();
      await anvil.stop();
    }
  });
});
