/**
 * Observations: what a source saw, as tagged events. Every source (a live node, the simulator, a
 * recorded log) emits these and nothing else; the engine is a reducer over them.
 *
 * Hashes inside the core are normalized with {@link toHash}: lower case, without `0x`.
 * Heights are `bigint`. Times are milliseconds since the Unix epoch (`observedAtMs`), block
 * timestamps are seconds (`timestamp`), as the chains report them.
 */

/** A block hash normalized by {@link toHash}: lower-case hex without a `0x` prefix. */
export type Hash = string;

/** Fields shared by every observation made at a node. */
type AtNode = {
  /** Chain name, e.g. `ethereum`. */
  chain: string;
  /** Node name, unique within the chain. */
  node: string;
  /** Client implementation as the node reports it (e.g. `Geth/v1.13`, `anvil`), when known. */
  client?: string;
  /**
   * Where the watcher that saw it runs (a network or provider), when the guard watches from
   * several places. The engine keeps one view of a node per location.
   */
  location?: string;
  /** When the observation was made, in milliseconds since the Unix epoch. */
  observedAtMs: number;
};

/**
 * A block seen at a node. `head` says the node now follows this block; `block` is a header that
 * the node served (a gap fill or an ancestor), which does not move its head.
 */
export type BlockObservation = AtNode & {
  type: 'head' | 'block';
  number: bigint;
  hash: Hash;
  parentHash: Hash;
  /** Block timestamp in seconds, as in the header. */
  timestamp: number;
  /** RPC round trip that delivered this block, in milliseconds, when measured. */
  latencyMs?: number;
  /**
   * Proof-of-work chains: the total work of the chain up to this block, summed by the source from
   * headers whose proof of work it verified (from genesis or a trusted anchor). Absent when not
   * verified; the canonical choice of a chain with `params.pow` prefers the most of it.
   */
  chainwork?: bigint;
};

export type CheckpointKind = 'finalized' | 'safe' | 'justified';

/** A checkpoint that a node reports: its finalized, safe or justified block (or epoch). */
export type CheckpointObservation = AtNode & {
  type: 'checkpoint';
  kind: CheckpointKind;
  /** Block number of the checkpoint, when the node gives one. */
  number?: bigint;
  /** Epoch of the checkpoint (proof of stake), when the node gives one. */
  epoch?: number;
  hash: Hash;
};

/** A failed request or an invalid answer from a node. */
export type ErrorObservation = AtNode & {
  type: 'error';
  /** Machine-readable code, e.g. `timeout`, `http_status`, `invalid_response`, `unreachable`. */
  code: string;
  message: string;
  latencyMs?: number;
};

/** Time passes: lets time-based detectors (liveness, finality, lag) judge silence. */
export type TickObservation = {
  type: 'tick';
  /** Restrict the tick to one chain; all chains when absent. */
  chain?: string;
  observedAtMs: number;
};

export type Observation = BlockObservation | CheckpointObservation | ErrorObservation | TickObservation;
export type ObservationType = Observation['type'];

/** Normalizes a hash for comparison: lower case, without `0x`. */
export function toHash(value: string): Hash {
  const lower = value.toLowerCase();
  return lower.startsWith('0x') ? lower.slice(2) : lower;
}

/** True when both strings name the same hash (case-insensitive, with or without `0x`). */
export function isSameHash(a: string, b: string): boolean {
  return toHash(a) === toHash(b);
}

/** A short form of a hash for human output: first 10 hex digits. */
export function toShortHash(hash: Hash): string {
  return hash.length > 10 ? hash.slice(0, 10) : hash;
}
