import type { LedgerFact, SettlementPolicy } from '../../src/risk/settlement/ledgerTypes.ts';

/** Ledger facts on the chain `btc`, block `n` of branch `tag` being `{ number: n, hash: tag + n }`. */
export const ref = (number: number, tag = 'a') => ({ number: BigInt(number), hash: `${tag}${number}` });

export const head = (number: number, tag = 'a', atMs = number * 1000): LedgerFact => ({
  type: 'head',
  chain: 'btc',
  atMs,
  head: ref(number, tag),
});

export const trade = (id: string, number: number, tx: string, tag = 'a'): LedgerFact => ({
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

export const reorg = (
  atMs: number,
  commonAncestor: [number, string],
  oldHead: [number, string],
  newHead: [number, string],
  replaced: string[],
): LedgerFact => ({
  type: 'reorg',
  chain: 'btc',
  atMs,
  depth: replaced.length,
  commonAncestor: ref(...commonAncestor),
  oldHead: ref(...oldHead),
  newHead: ref(...newHead),
  replaced,
  finalizedReverted: false,
});

/** Bitcoin-like: confirmed 2 deep, final 6 deep, invalidated 3 blocks or 60 s after its orphaning. */
export const depthPolicy: SettlementPolicy = {
  confirmations: 2,
  finality: { kind: 'depth', blocks: 6 },
  invalidateAfterBlocks: 3,
  invalidateAfterMs: 60_000,
};

/**
 * A ledger through every status, under {@link depthPolicy}: `settled` (a9) goes confirmed and
 * final; `reincluded` (a11) is orphaned by a depth-2 reorg, its transaction mined again in b11, and
 * then goes confirmed and final there;
 * `invalidated` (a12) is orphaned by the same reorg and never comes back; `confirmed` (b13) stays
 * confirmed; `orphaned` (b15) is orphaned by a second reorg at the end.
 */
export const lifecycleFacts: readonly LedgerFact[] = [
  head(10),
  trade('settled', 9, 'x9'),
  head(11),
  trade('reincluded', 11, 'x11'),
  head(12),
  trade('invalidated', 12, 'x12'),
  reorg(12_500, [10, 'a'], [12, 'a'], [12, 'b'], ['a11', 'a12']),
  { type: 'block_txs', chain: 'btc', atMs: 12_600, block: ref(11, 'b'), txHashes: ['x11', 'z'] },
  head(12, 'b', 12_700),
  head(13, 'b'),
  trade('confirmed', 13, 'x13', 'b'),
  head(14, 'b'),
  head(15, 'b'),
  trade('orphaned', 15, 'x15', 'b'),
  head(16, 'b'),
  reorg(16_500, [14, 'b'], [16, 'b'], [16, 'c'], ['b15', 'b16']),
  head(16, 'c', 16_600),
];

/** The status of each execution of {@link lifecycleFacts} at the end. */
export const lifecycleStatuses = {
  settled: 'final',
  reincluded: 'final',
  invalidated: 'invalidated',
  confirmed: 'confirmed',
  orphaned: 'orphaned',
} as const;

/** Batch `i` (from 1) of the crash tests: a trade in block `i` and the head at `i`. */
export const crashBatch = (i: number): LedgerFact[] => [trade(`t${i}`, i, `x${i}`), head(i)];
