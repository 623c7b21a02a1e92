import assert from 'node:assert/strict';
import * as files from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createJsonLinesLedgerStore } from '../../src/risk/settlement/createJsonLinesLedgerStore.ts';
import { createMemoryLedgerStore } from '../../src/risk/settlement/createMemoryLedgerStore.ts';
import type { LedgerFact, SettlementPolicy } from '../../src/risk/settlement/ledgerTypes.ts';
import { createLedgerState, reduceLedger } from '../../src/risk/settlement/reduceLedger.ts';
import { replayLedger } from '../../src/risk/settlement/replayLedger.ts';
import { toSettlementReport } from '../../src/risk/settlement/toSettlementReport.ts';

const ref = (number: number, tag = 'a') => ({ number: BigInt(number), hash: `${tag}${number}` });
const head = (number: number, tag = 'a', atMs = number * 1000): LedgerFact => ({
  type: 'head',
  chain: 'btc',
  atMs,
  head: ref(number, tag),
});
const trade = (id: string, number: number, tx: string, tag = 'a'): LedgerFact => ({
  type: 'execution',
  atMs: number * 1000,
  execution: {
    id,
    kind: 'trade',
    account: 'acct',
    chain: 'btc',
    txHash: tx,
    blockNumber: BigInt(number),
    blockHash: `${tag}${number}`,
    payoutUsd: 10,
  },
});
const depthPolicy: SettlementPolicy = {
  confirmations: 2,
  finality: { kind: 'depth', blocks: 6 },
  invalidateAfterBlocks: 3,
  invalidateAfterMs: 60_000,
};

function run(facts: LedgerFact[], policy = depthPolicy) {
  const state = createLedgerState({ policies: { btc: policy } });
  const statuses: string[] = [];
  for (const fact of facts) {
    for (const event of reduceLedger(state, fact).events) {
      statuses.push(
        event.type === 'status' ? `${event.executionId}:${event.to}` : `${event.executionId}:settled`,
      );
    }
  }
  return { state, statuses };
}

describe('reduceLedger', () => {
  it('default: included, confirmed, final by depth, settled once', () => {
    const { state, statuses } = run([head(10), trade('t', 10, 'x'), head(11), head(14), head(15), head(16)]);
    assert.deepEqual(statuses, ['t:included', 't:confirmed', 't:final', 't:settled']);
    assert.equal(state.settlements.length, 1);
  });

  it('behavior: final at the finalized checkpoint under a checkpoint policy', () => {
    const policy: SettlementPolicy = {
      confirmations: 1,
      finality: { kind: 'checkpoint' },
      invalidateAfterBlocks: 3,
    };
    const { statuses } = run(
      [
        head(10),
        trade('t', 10, 'x'),
        head(30),
        { type: 'finalized', chain: 'btc', atMs: 1, checkpoint: ref(9) },
        { type: 'finalized', chain: 'btc', atMs: 2, checkpoint: ref(10) },
      ],
      policy,
    );
    assert.deepEqual(statuses, ['t:included', 't:confirmed', 't:final', 't:settled']);
  });

  it('behavior: a reorg the ledger was not told of is found from the canonical block', () => {
    const { state, statuses } = run([
      head(10),
      trade('t', 10, 'x'),
      { type: 'block_txs', chain: 'btc', atMs: 11_000, block: ref(10, 'b'), txHashes: ['y'] },
      head(13, 'b'),
    ]);
    assert.deepEqual(statuses, ['t:included', 't:orphaned', 't:invalidated']);
    assert.equal(toSettlementReport(state).invalidated[0]?.reason, 'canonical block 10 is b10');
  });

  it('behavior: invalidated after invalidateAfterMs without new blocks', () => {
    const reorg: LedgerFact = {
      type: 'reorg',
      chain: 'btc',
      atMs: 12_000,
      depth: 2,
      commonAncestor: ref(9),
      oldHead: ref(11),
      newHead: ref(11, 'b'),
      replaced: ['a10', 'a11'],
      finalizedReverted: false,
    };
    const { statuses } = run([
      head(11),
      trade('t', 10, 'x'),
      reorg,
      head(11, 'b', 71_000),
      head(11, 'b', 72_000),
    ]);
    assert.deepEqual(statuses, ['t:included', 't:confirmed', 't:orphaned', 't:invalidated']);
  });

  it('behavior: a trade outside the replaced blocks is untouched', () => {
    const { statuses } = run([
      head(11),
      trade('t', 9, 'x'),
      {
        type: 'reorg',
        chain: 'btc',
        atMs: 12_000,
        depth: 2,
        commonAncestor: ref(9),
        oldHead: ref(11),
        newHead: ref(11, 'b'),
        replaced: ['a10', 'a11'],
        finalizedReverted: false,
      },
    ]);
    assert.deepEqual(statuses, ['t:included', 't:confirmed']);
  });

  it('error: one id recorded twice with other contents', () => {
    assert.throws(() => run([trade('t', 10, 'x'), trade('t', 10, 'y')]), { code: 'ledger_conflict' });
    assert.doesNotThrow(() => run([trade('t', 10, 'x'), trade('t', 10, 'x')]));
  });
});

describe('LedgerStore', () => {
  const facts = [head(10), trade('t', 10, 'x'), head(11), head(16)];
  for (const kind of ['memory', 'json-lines'] as const) {
    it(`behavior: replay after a restart gives the same ledger (${kind})`, async () => {
      const dir = await files.mkdtemp(join(tmpdir(), 'cg-ledger-store-'));
      try {
        const open = () =>
          kind === 'memory' ? memory : createJsonLinesLedgerStore({ path: join(dir, 'l.jsonl'), files });
        const memory = createMemoryLedgerStore();
        const store = open();
        await store.append(facts.slice(0, 2));
        await store.append(facts.slice(2));
        await store.close();
        const replayed = await replayLedger(open(), { policies: { btc: depthPolicy } });
        assert.deepEqual(toSettlementReport(replayed), toSettlementReport(run(facts).state));
        assert.equal(replayed.executions.get('t')?.block.number, 10n);
      } finally {
        await files.rm(dir, { recursive: true, force: true });
      }
    });
  }

  it('behavior: a torn last line is ignored, a bad line in the middle is an error', async () => {
    const dir = await files.mkdtemp(join(tmpdir(), 'cg-ledger-store-'));
    try {
      const path = join(dir, 'l.jsonl');
      const store = createJsonLinesLedgerStore({ path, files });
      await store.append(facts);
      await files.appendFile(path, '{"type":"head","ch');
      assert.equal((await store.load()).length, facts.length);
      await files.appendFile(path, '\n');
      await assert.rejects(store.load(), { code: 'invalid_input', field: 'line.5' });
    } finally {
      await files.rm(dir, { recursive: true, force: true });
    }
  });
});
