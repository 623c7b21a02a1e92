import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LedgerFact, SettlementPolicy } from '../../src/risk/settlement/ledgerTypes.ts';
import { createLedgerState, reduceLedger } from '../../src/risk/settlement/reduceLedger.ts';
import { toSettlementReport } from '../../src/risk/settlement/toSettlementReport.ts';
import { depthPolicy, head, ref, trade } from './ledgerFixtures.ts';

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
