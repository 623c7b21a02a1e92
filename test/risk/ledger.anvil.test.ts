import assert from 'node:assert/strict';
import * as files from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { toHash } from '../../src/core/observation.ts';
import { createEngineState, type EngineState, step } from '../../src/engine/step.ts';
import { createJsonLinesLedgerStore } from '../../src/risk/settlement/createJsonLinesLedgerStore.ts';
import type { LedgerFact, LedgerState } from '../../src/risk/settlement/ledgerTypes.ts';
import { createLedgerState, reduceLedger } from '../../src/risk/settlement/reduceLedger.ts';
import { replayLedger } from '../../src/risk/settlement/replayLedger.ts';
import { toLedgerFacts } from '../../src/risk/settlement/toLedgerFacts.ts';
import { toSettlementReport } from '../../src/risk/settlement/toSettlementReport.ts';
import { createEvmSource } from '../../src/sources/evm/createEvmSource.ts';
import { getBlockTransactionHashes } from '../../src/sources/evm/getBlockTransactionHashes.ts';
import { type RunningNode, startAnvil } from '../peers/nodes.ts';
import { type Observed, observe } from '../peers/observe.ts';

// Anvil's first two dev accounts (public test keys of every Anvil node).
const KEY_A: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const KEY_B: Hex = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const CHAIN = 'devnet';
const policy = { confirmations: 3, finality: { kind: 'checkpoint' as const }, invalidateAfterBlocks: 4 };

type RpcBlock = { hash: string; number: string; transactions: string[] };

/**
 * The engine and the ledger side by side, fed from an EVM source: every observation goes through
 * `step`; the canonical updates become ledger facts; each canonical block's transactions are
 * fetched by number and passed on as `block_txs`.
 */
class Harness {
  engine: EngineState = createEngineState({ chains: { [CHAIN]: { preset: 'devnet' } } });
  ledger: LedgerState = createLedgerState({ policies: { [CHAIN]: policy } });
  store;
  fed = 0;
  last: { head?: string; finalized?: string } = {};
  /** Highest canonical height whose transactions were passed on. */
  txCursor = -1n;
  constructor(
    readonly node: RunningNode,
    readonly observed: Observed,
    path: string,
  ) {
    this.store = createJsonLinesLedgerStore({ path, files });
  }

  async apply(facts: LedgerFact[]): Promise<void> {
    for (const fact of facts) reduceLedger(this.ledger, fact);
    await this.store.append(facts);
  }

  /** Waits for the node's latest block to be the engine's canonical head, then syncs the ledger. */
  async sync(): Promise<RpcBlock> {
    const tip = (await this.node.rpc('eth_getBlockByNumber', ['latest', false])) as RpcBlock;
    await this.observed.waitFor((o) => o.type === 'head' && o.hash === toHash(tip.hash), { from: 0 });
    const finalized = (await this.node.rpc('eth_getBlockByNumber', ['finalized', false])) as RpcBlock;
    await this.observed.waitFor(
      (o) => o.type === 'checkpoint' && o.kind === 'finalized' && o.hash === toHash(finalized.hash),
    );
    for (const observation of this.observed.observations.slice(this.fed)) {
      this.fed += 1;
      const result = step(this.engine, observation);
      const chain = this.engine.chains.get(CHAIN);
      if (!chain) continue;
      const facts = toLedgerFacts({
        chain,
        signals: result.signals,
        atMs: observation.observedAtMs,
        last: this.last,
      });
      for (const fact of facts) {
        if (fact.type === 'head') this.last.head = fact.head.hash;
        if (fact.type === 'finalized') this.last.finalized = fact.checkpoint.hash;
        if (fact.type === 'reorg' && fact.commonAncestor.number < this.txCursor)
          this.txCursor = fact.commonAncestor.number;
      }
      await this.apply(facts);
    }
    const chain = this.engine.chains.get(CHAIN)!;
    const head = chain.canonical!;
    assert.equal(head.hash, toHash(tip.hash));
    // Before the first sync nothing is recorded: start at the head (the tree may not reach genesis).
    if (this.txCursor < 0n) this.txCursor = head.number - 1n;
    for (let height = this.txCursor + 1n; height <= head.number; height += 1n) {
      const { block, txHashes } = await getBlockTransactionHashes({
        url: this.node.url,
        block: { number: height },
      });
      assert.equal(block.hash, chain.canonicalByHeight.get(height), `canonical block ${height}`);
      await this.apply([{ type: 'block_txs', chain: CHAIN, atMs: chain.nowMs, block, txHashes }]);
      this.txCursor = height;
    }
    return tip;
  }

  status(id: string) {
    return this.ledger.executions.get(id)?.status;
  }
}

describe('settlement ledger on Anvil: anvil_reorg orphans, reincludes and invalidates', () => {
  let anvil: RunningNode;
  let dir: string;
  before(async () => {
    anvil = await startAnvil({ blockTimeS: 0, slotsInAnEpoch: 4 });
    dir = await files.mkdtemp(join(tmpdir(), 'cg-ledger-'));
  });
  after(async () => {
    await anvil?.stop();
    if (dir) await files.rm(dir, { recursive: true, force: true });
  });

  it('behavior: a replaced trade is invalidated, a re-mined one reincluded; only final trades settle; the report names both', async () => {
    const observed = await observe(
      createEvmSource({ chain: CHAIN, node: 'anvil', url: anvil.url, pollIntervalMs: 100 }),
    );
    const path = join(dir, 'ledger.jsonl');
    const h = new Harness(anvil, observed, path);
    try {
      await anvil.rpc('anvil_mine', ['0xa']);
      await h.sync();

      const chainId = Number(await anvil.rpc('eth_chainId'));
      const sign = (key: Hex) =>
        privateKeyToAccount(key).signTransaction({
          chainId,
          nonce: 0,
          to: '0x000000000000000000000000000000000000dEaD',
          value: 1n,
          gas: 21_000n,
          maxFeePerGas: 10_000_000_000n,
          maxPriorityFeePerGas: 1n,
          type: 'eip1559',
        });
      const rawA = await sign(KEY_A);
      const rawB = await sign(KEY_B);
      const txA = (await anvil.rpc('eth_sendRawTransaction', [rawA])) as string;
      const txB = (await anvil.rpc('eth_sendRawTransaction', [rawB])) as string;
      await anvil.rpc('anvil_mine', ['0x1']);
      const tradeBlock = await h.sync();
      assert.deepEqual(tradeBlock.transactions.sort(), [txA, txB].sort());
      const atMs = h.engine.chains.get(CHAIN)!.nowMs;
      const blockNumber = BigInt(tradeBlock.number);
      await h.apply([
        {
          type: 'execution',
          atMs,
          execution: {
            id: 'A',
            kind: 'trade',
            account: 'alice',
            chain: CHAIN,
            txHash: txA,
            blockNumber,
            blockHash: tradeBlock.hash,
            payoutUsd: 100,
          },
        },
        {
          type: 'execution',
          atMs,
          execution: {
            id: 'B',
            kind: 'trade',
            account: 'bob',
            chain: CHAIN,
            txHash: txB,
            blockNumber,
            blockHash: tradeBlock.hash,
            payoutUsd: 250,
            marginReleaseUsd: 40,
          },
        },
      ]);
      assert.equal(h.status('A'), 'included');

      await anvil.rpc('anvil_mine', ['0x2']);
      await h.sync();
      assert.equal(h.status('A'), 'confirmed');
      assert.equal(h.status('B'), 'confirmed');
      assert.equal(h.ledger.settlements.length, 0, 'confirmed is not final');

      const ancestor = (await anvil.rpc('eth_getBlockByNumber', [
        `0x${(blockNumber - 1n).toString(16)}`,
        false,
      ])) as RpcBlock;
      // Replace the last 3 blocks; B is mined again one block above the fork, A is not.
      await anvil.rpc('anvil_reorg', [3, [[rawB, 1]]]);
      await h.sync();
      assert.equal(h.status('A'), 'orphaned');
      assert.equal(h.status('B'), 'reincluded');
      const b = h.ledger.executions.get('B')!;
      assert.equal(b.block.number, blockNumber + 1n);
      const remined = (await anvil.rpc('eth_getBlockByNumber', [
        `0x${(blockNumber + 1n).toString(16)}`,
        false,
      ])) as RpcBlock;
      assert.equal(b.block.hash, toHash(remined.hash));
      assert.deepEqual(remined.transactions, [txB]);
      assert.deepEqual(
        b.history.map((change) => change.status),
        ['included', 'confirmed', 'orphaned', 'reincluded'],
      );

      await anvil.rpc('anvil_mine', ['0x1']);
      await h.sync();
      assert.equal(h.status('A'), 'orphaned', 'one block after the reorg: still waiting');
      assert.equal(h.status('B'), 'confirmed');
      await anvil.rpc('anvil_mine', ['0x3']);
      await h.sync();
      assert.equal(h.status('A'), 'invalidated', '4 blocks after the reorg');
      assert.equal(h.status('B'), 'confirmed');
      assert.equal(h.ledger.settlements.length, 0, 'B is not final yet: finalized is 8 below the head');

      await anvil.rpc('anvil_mine', ['0x3']);
      await h.sync();
      assert.equal(h.status('B'), 'final');
      assert.deepEqual(
        h.ledger.settlements.map((s) => [s.executionId, s.payoutUsd, s.marginReleaseUsd, s.block.number]),
        [['B', 250, 40, blockNumber + 1n]],
      );
      assert.equal(h.status('A'), 'invalidated');

      const report = toSettlementReport(h.ledger);
      assert.deepEqual(
        report.invalidated.map((e) => e.id),
        ['A'],
      );
      assert.deepEqual(
        report.reincluded.map((e) => e.id),
        ['B'],
      );
      for (const entry of [...report.invalidated, ...report.reincluded]) {
        assert.equal(entry.reorg?.depth, 3);
        assert.deepEqual(entry.reorg?.commonAncestor, {
          number: blockNumber - 1n,
          hash: toHash(ancestor.hash),
        });
        assert.equal(entry.reorg?.oldHead.number, blockNumber + 2n);
      }
      assert.equal(report.invalidated[0]!.txHash, toHash(txA));
      assert.deepEqual(report.settled, { count: 1, payoutUsd: 250, marginReleaseUsd: 40 });

      await h.store.close();
      const restarted = await replayLedger(createJsonLinesLedgerStore({ path, files }), {
        policies: { [CHAIN]: policy },
      });
      assert.deepEqual(toSettlementReport(restarted), report, 'the ledger survives a restart');
    } finally {
      await observed.stop();
    }
  });
});
