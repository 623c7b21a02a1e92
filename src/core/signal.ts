import type { Hash } from './observation.ts';

/**
 * Signals: what the detectors conclude. Each has a `kind`, the chain, the node when it concerns
 * one, a severity, the time it was raised (`atMs`, the time of the observation that raised it)
 * and the facts of its kind. This shape is the public `--json` contract (docs/formats.md).
 */

export const SEVERITIES = ['info', 'warning', 'critical', 'safety'] as const;
/** `info` < `warning` < `critical` < `safety` (a safety failure: conflicting finalized blocks). */
export type Severity = (typeof SEVERITIES)[number];

export const SIGNAL_KINDS = [
  'reorg',
  'liveness',
  'finality',
  'divergence',
  'lag',
  'latency',
  'integrity',
  'quorum',
  'monitor_partition',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** A block named in a signal. */
export type BlockRef = { number: bigint; hash: Hash };

type SignalBase = {
  chain: string;
  /** The node concerned, for node-level signals. */
  node?: string;
  /** The node's client implementation, when known. */
  client?: string;
  severity: Severity;
  /** When the signal was raised: the `observedAtMs` of the observation that raised it. */
  atMs: number;
  /** One line for humans. */
  message: string;
  /**
   * Present when fewer nodes back the claim than the chain's quorum asks (one node of several, or a
   * chain without a quorum): the signal then moves a breaker no higher than the uncorroborated level.
   */
  uncorroborated?: true;
  /**
   * Present when the claim is seen from fewer watcher locations than the chain's quorum asks: the
   * guard's own network is in trouble, not the chain. The signal moves no breaker.
   */
  monitorPartition?: true;
};

/** A reorganization: a head moved to a block that does not descend from the previous head. */
export type ReorgSignal = SignalBase & {
  kind: 'reorg';
  /** `node`: one node's head moved; `chain`: the canonical head moved. */
  scope: 'node' | 'chain';
  /** Number of blocks replaced: old head height minus common ancestor height. */
  depth: number;
  commonAncestor: BlockRef;
  oldHead: BlockRef;
  newHead: BlockRef;
  /** Hashes of the replaced blocks, lowest first (may be incomplete if the tree was pruned). */
  replaced: Hash[];
  /** The reorg replaced a block at or below a finalized checkpoint. */
  finalizedReverted: boolean;
  /** `false` when the tree lacked the parents down to the fork: `depth` is then a lower bound. */
  ancestorKnown?: false;
};

/** No canonical head for longer than the chain's block-time model allows. */
export type LivenessSignal = SignalBase & {
  kind: 'liveness';
  stalledForMs: number;
  lastHead?: BlockRef;
  /** For slot chains: slots passed without a head. */
  missedSlots?: number;
  /** The threshold crossed, in milliseconds. */
  thresholdMs: number;
};

/** The finalized checkpoint is not advancing. */
export type FinalitySignal = SignalBase & {
  kind: 'finality';
  /** Epochs since the last finalized epoch (slot chains). */
  epochsWithoutFinality?: number;
  /** Milliseconds since the finalized checkpoint last advanced. */
  finalityAgeMs: number;
  /** Canonical head height minus finalized height. */
  headMinusFinalized?: number;
  finalized?: BlockRef;
};

/** A node follows a different branch than the canonical one, or finalized blocks conflict. */
export type DivergenceSignal = SignalBase & {
  kind: 'divergence';
  /** First height at which the node's branch and the canonical branch differ. */
  forkHeight: number;
  commonAncestor?: BlockRef;
  /** Blocks on the node's branch past the fork, and on the canonical branch. */
  nodeBranchLength: number;
  canonicalBranchLength: number;
  divergedForMs: number;
  /** Two finalized checkpoints conflict: a safety failure. */
  conflictingFinalized: boolean;
  nodeHead?: BlockRef;
  canonicalHead?: BlockRef;
};

/** A node behind the canonical head past a grace period, or unreachable. */
export type LagSignal = SignalBase & {
  kind: 'lag';
  lagBlocks: number;
  laggingForMs: number;
  unreachable: boolean;
  lastError?: string;
};

/** An RPC latency or a block propagation delay outlier. */
export type LatencySignal = SignalBase & {
  kind: 'latency';
  /** `rpc`: a request's round trip; `propagation`: a block reached this node late. */
  measure: 'rpc' | 'propagation';
  latencyMs: number;
  thresholdMs: number;
};

/** A node served data that cannot be true: a header whose hash does not match its contents, or a
 * block contradicting what it or others said before. */
export type IntegritySignal = SignalBase & {
  kind: 'integrity';
  code: string;
  /**
   * What failed: `header_hash` (the source recomputed the hash), `conflicting_header` (a known hash
   * with other contents), `implausible_height` (a head far beyond what the chain can have reached),
   * `foreign_chain` (the node's chain shares no block with the quorum's inside the kept tree),
   * `pow` (a header fails its proof of work, its `bits` or the chainwork claimed), `state_proof`
   * (an `eth_getProof` answer does not verify against the agreed block's state root),
   * `light_client` (a beacon header or checkpoint fails light-client verification).
   */
  check: IntegrityCheck;
  hash?: Hash;
  number?: bigint;
};

export const INTEGRITY_CHECKS = [
  'header_hash',
  'conflicting_header',
  'implausible_height',
  'foreign_chain',
  'pow',
  'state_proof',
  'light_client',
] as const;
export type IntegrityCheck = (typeof INTEGRITY_CHECKS)[number];

/**
 * No quorum: no branch holds more than the quorum fraction of the healthy nodes' weight, so the
 * chain follows no single node's word (condition `quorum`, `warning`).
 */
export type QuorumSignal = SignalBase & {
  kind: 'quorum';
  /** Weight of the healthy nodes on the best-supported branch, and of all healthy nodes. */
  supportWeight: number;
  healthyWeight: number;
  fraction: number;
};

/**
 * One watcher location sees the chain make no progress (its nodes unreachable or frozen) while
 * the others see it advance: the guard's own network is in trouble (condition
 * `monitor_partition:<location>`, `warning`). An alert for the operator; it moves no breaker.
 */
export type MonitorPartitionSignal = SignalBase & {
  kind: 'monitor_partition';
  location: string;
  /** Locations that see the chain advance, and all locations seen. */
  healthyLocations: number;
  locations: number;
};

export type Signal =
  | ReorgSignal
  | LivenessSignal
  | FinalitySignal
  | DivergenceSignal
  | LagSignal
  | LatencySignal
  | IntegritySignal
  | QuorumSignal
  | MonitorPartitionSignal;

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}
