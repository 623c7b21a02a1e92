import type { Hash } from '../../core/observation.ts';
import type { BlockRef } from '../../core/signal.ts';

/**
 * Types of the finality-aware settlement ledger (docs/risk.md, "Settlement"). Heights are
 * `bigint`, hashes normalized (lower case, no `0x`), times in ms since the Unix epoch.
 */

export type ExecutionKind = 'trade' | 'liquidation';

/**
 * - `included`: in a canonical block, not yet deep enough;
 * - `confirmed`: `confirmations` deep on the canonical chain;
 * - `final`: at or below a finalized checkpoint (or `finality.blocks` deep without finality);
 *   only a final execution settles;
 * - `orphaned`: a reorganization replaced its block;
 * - `reincluded`: its transaction appeared again on the canonical chain, in a new block (it then
 *   moves on to `confirmed` and `final` from that block);
 * - `invalidated`: orphaned for longer than the policy allows; terminal.
 */
export type ExecutionStatus = 'included' | 'confirmed' | 'final' | 'orphaned' | 'reincluded' | 'invalidated';

/** A trade or liquidation as the venue executed it. */
export type ExecutionInput = {
  id: string;
  kind: ExecutionKind;
  account: string;
  chain: string;
  txHash: string;
  blockNumber: bigint;
  blockHash: string;
  /** Paid to the account when the execution settles, USD. Default 0. */
  payoutUsd?: number;
  /** Margin released when the execution settles, USD. Default 0. */
  marginReleaseUsd?: number;
};

/** A reorganization as the engine reported it (a chain-scope `reorg` signal). */
export type ReorgCause = {
  chain: string;
  atMs: number;
  depth: number;
  commonAncestor: BlockRef;
  oldHead: BlockRef;
  newHead: BlockRef;
  finalizedReverted: boolean;
};

export type StatusChange = {
  status: ExecutionStatus;
  atMs: number;
  block: BlockRef;
  /** The reorg behind an `orphaned` status, when known. */
  reorg?: ReorgCause;
  /** Why, for statuses other than `orphaned` by a reorg: e.g. `canonical block differs`. */
  reason?: string;
};

export type Execution = {
  id: string;
  kind: ExecutionKind;
  account: string;
  chain: string;
  txHash: Hash;
  /** The block that holds it now (the new block after a reinclusion). */
  block: BlockRef;
  /** The block it was first recorded in. */
  recordedBlock: BlockRef;
  payoutUsd: number;
  marginReleaseUsd: number;
  status: ExecutionStatus;
  history: StatusChange[];
  /** Every reorg that orphaned it, oldest first. */
  reorgs: ReorgCause[];
  /** Canonical head height when it was last orphaned. */
  orphanedAtHead?: bigint;
  orphanedAtMs?: number;
  settled: boolean;
};

/**
 * When an execution is confirmed, final and invalidated, per chain.
 * - `confirmations`: blocks on the canonical chain, its own included (1 = in the head block);
 * - `finality`: `checkpoint` (final at or below the finalized checkpoint the engine reports) or
 *   `depth` (final `blocks` deep, for chains without finality);
 * - an orphaned execution is invalidated once the canonical head has advanced
 *   `invalidateAfterBlocks` past the head that orphaned it, or `invalidateAfterMs` have passed.
 */
export type SettlementPolicy = {
  confirmations: number;
  finality: { kind: 'checkpoint' } | { kind: 'depth'; blocks: number };
  invalidateAfterBlocks: number;
  invalidateAfterMs?: number;
};

/** What the ledger consumes: executions, the engine's canonical chain facts, and included transactions. */
export type LedgerFact =
  | { type: 'execution'; atMs: number; execution: ExecutionInput }
  /** The canonical head moved to `head`. */
  | { type: 'head'; chain: string; atMs: number; head: BlockRef }
  /** The finalized checkpoint is `checkpoint`. */
  | { type: 'finalized'; chain: string; atMs: number; checkpoint: BlockRef }
  /** A chain-scope reorganization; `replaced` lowest first, possibly incomplete. */
  | ({ type: 'reorg'; replaced: Hash[] } & ReorgCause)
  /** The transactions of a canonical block. */
  | { type: 'block_txs'; chain: string; atMs: number; block: BlockRef; txHashes: string[] };

export type Settlement = {
  executionId: string;
  account: string;
  chain: string;
  atMs: number;
  block: BlockRef;
  payoutUsd: number;
  marginReleaseUsd: number;
};

export type LedgerEvent =
  | {
      type: 'status';
      executionId: string;
      from: ExecutionStatus | 'new';
      to: ExecutionStatus;
      change: StatusChange;
    }
  | ({ type: 'settled' } & Settlement);

export type ChainLedger = {
  head?: BlockRef;
  finalized?: BlockRef;
};

export type LedgerState = {
  policies: Readonly<Record<string, SettlementPolicy>>;
  defaultPolicy: SettlementPolicy;
  executions: Map<string, Execution>;
  /**
   * Ids of the open executions of each chain (neither final nor invalidated), in recording order:
   * what each fact has to look at. Final executions leave it; a reorg that reverts finalized
   * blocks looks at every execution of its chain.
   */
  openByChain: Map<string, Set<string>>;
  chains: Map<string, ChainLedger>;
  settlements: Settlement[];
  /** Facts taken. */
  facts: number;
};
