import type { CheckpointKind, Hash } from './observation.ts';
import type { ChainParams } from './params.ts';
import type { BlockRef, Signal } from './signal.ts';
import { toPlace } from './toPlace.ts';

/**
 * The chain view: per chain, one block tree merged from every node, each node's head and
 * checkpoints, and the canonical head chosen by the weight of healthy nodes. Pure data and pure
 * functions; the engine owns one mutable instance per chain and is its only writer.
 */

/** A block in the tree. */
export type Block = {
  hash: Hash;
  parentHash: Hash;
  number: bigint;
  /** Header timestamp, seconds. */
  timestamp: number;
  /** When the first node reported it, ms. */
  firstSeenMs: number;
  /** The first node that reported it. */
  firstSeenBy: string;
  /** Verified chainwork up to this block (proof-of-work chains whose source verifies it). */
  chainwork?: bigint;
};

export type Checkpoint = {
  kind: CheckpointKind;
  hash: Hash;
  number?: bigint;
  epoch?: number;
  observedAtMs: number;
};

/** What the view knows about one node. */
export type NodeView = {
  /** The node's name, with `@location` when observations carry a location. */
  name: string;
  /** The watcher location this view of the node comes from, when observations carry one. */
  location?: string;
  /** Condition keys of this node: `lag:<name>`, `divergence:<name>`, `divergence:finalized:<name>`. */
  keys: { lag: string; divergence: string; finalizedConflict: string };
  client?: string;
  weight: number;
  head?: Block;
  /** When the node's head last changed. */
  headChangedAtMs: number;
  /** Last observation that was not an error. */
  lastOkMs: number;
  /** First error of the current run of errors (no success since). */
  failingSinceMs?: number | undefined;
  lastError?: string;
  checkpoints: Partial<Record<CheckpointKind, Checkpoint>>;
  /** Latest integrity failure; the node is left out of the quorum until it serves a good head. */
  integrityFailedAtMs?: number | undefined;
  /** Found on a foreign chain: no divergence is reported for it until it is on the canonical branch. */
  foreign?: boolean;
  /**
   * The head last found on the canonical line, and the chain's `lineVersion` then: while both
   * hold, it still is (see isHeadOnLine).
   */
  onLine: { head: Block | undefined; lineVersion: number };
  /** Condition tracking, owned by the detectors. */
  behindSinceMs?: number | undefined;
  divergedSinceMs?: number | undefined;
  latencyOutlier: boolean;
  propagationOutlier: boolean;
};

/** The canonical branch's backing: healthy nodes (weight and count) and those on the branch. */
export type Quorum = {
  ok: boolean;
  /**
   * The canonical head carries verified chainwork on a chain chosen by it (`params.pow`): proof of
   * work checked by the sources outweighs node count, so the chain holds its quorum whatever the
   * weights, and a move to the heavier verified chain is backed.
   */
  verified: boolean;
  supportWeight: number;
  supportNodes: number;
  /** Distinct watcher locations among the supporting nodes (0 when no observation has one). */
  supportLocations: number;
  /** Distinct watcher locations among the counted nodes off the canonical branch. */
  opposeLocations: number;
  healthyWeight: number;
  healthyNodes: number;
};

/** Active conditions and their signal, by key (e.g. `liveness`, `lag:nodeA`). */
export type Conditions = Map<string, Signal>;

export type ChainState = {
  name: string;
  params: ChainParams;
  blocks: Map<Hash, Block>;
  /** Hashes per height, to prune by height. */
  byHeight: Map<bigint, Hash[]>;
  /** Lowest height still stored. */
  lowestHeight?: bigint;
  /** Canonical line: height to hash, from the canonical head down to the lowest stored height. */
  canonicalByHeight: Map<bigint, Hash>;
  /**
   * Counts the changes of `canonicalByHeight` that replace or remove an entry (a line extended
   * upwards keeps it): a block found on the line stays on it until this moves.
   */
  lineVersion: number;
  canonical?: Block;
  /** When the canonical head last moved to a higher block, ms. */
  canonicalAdvancedAtMs: number;
  nodes: Map<string, NodeView>;
  /** Nodes the config lists for this chain (0 when it lists none): they count before they speak. */
  configuredNodes: number;
  /**
   * The places this chain is seen from, in order of appearance: each watcher location, and `''`
   * for the guard's own nodes (observations without a location).
   */
  locations: string[];
  /** Whether the canonical branch holds the quorum, and the weights behind it. */
  quorum: Quorum;
  /**
   * Whether the current canonical line has stood on a backed quorum since it became canonical. A
   * move away from a line that never did (one node's word, before others spoke) is no reorg of
   * the chain that anyone should act on.
   */
  lineBacked: boolean;
  /** Since when the chain has had no quorum. */
  noQuorumSinceMs?: number | undefined;
  /**
   * The next time at which a node may enter or leave the quorum with time alone (a failing node
   * past its grace, a head going stale); until then a tick need not measure the quorum again.
   */
  quorumRecheckAtMs: number;
  /**
   * The highest finalized checkpoint that healthy nodes holding more than the quorum fraction of
   * the reporting weight have reached; it never moves back.
   */
  finalized?: Checkpoint;
  /** When `finalized` last advanced (or when watching started). */
  finalizedAdvancedAtMs: number;
  /** Time of the latest observation of this chain (monotonic). */
  nowMs: number;
  startedAtMs: number;
  /** Conditions currently raised, with the signal that raised them. */
  conditions: Conditions;
  /** Event signals holding a breaker level until `untilMs`. */
  holds: Array<{ signal: Signal; untilMs: number }>;
  counts: {
    heads: number;
    blocks: number;
    checkpoints: number;
    errors: number;
    ticks: number;
    /** Parent links followed by walks over the tree: the engine's work, bounded per step. */
    walked: number;
  };
};

export function createChainState(name: string, params: ChainParams, nowMs: number): ChainState {
  return {
    name,
    params,
    blocks: new Map(),
    byHeight: new Map(),
    canonicalByHeight: new Map(),
    lineVersion: 0,
    canonicalAdvancedAtMs: nowMs,
    nodes: new Map(),
    configuredNodes: 0,
    locations: [],
    lineBacked: false,
    quorumRecheckAtMs: nowMs,
    quorum: {
      ok: true,
      verified: false,
      supportWeight: 0,
      supportNodes: 0,
      supportLocations: 0,
      opposeLocations: 0,
      healthyWeight: 0,
      healthyNodes: 0,
    },
    finalizedAdvancedAtMs: nowMs,
    nowMs,
    startedAtMs: nowMs,
    conditions: new Map(),
    holds: [],
    counts: { heads: 0, blocks: 0, checkpoints: 0, errors: 0, ticks: 0, walked: 0 },
  };
}

export function getOrCreateNode(
  chain: ChainState,
  nodeName: string,
  nowMs: number,
  location?: string,
): NodeView {
  // One view of a node per location: what one place sees of it is not what another sees.
  const name = location === undefined ? nodeName : `${nodeName}@${location}`;
  let node = chain.nodes.get(name);
  if (!node) {
    node = {
      name,
      keys: {
        lag: `lag:${name}`,
        divergence: `divergence:${name}`,
        finalizedConflict: `divergence:finalized:${name}`,
      },
      weight: chain.params.weights[nodeName] ?? 1,
      headChangedAtMs: nowMs,
      lastOkMs: nowMs,
      checkpoints: {},
      onLine: { head: undefined, lineVersion: -1 },
      latencyOutlier: false,
      propagationOutlier: false,
    };
    if (location !== undefined) node.location = location;
    // The guard's own nodes (no location) are one more place among the watchers' locations.
    const place = toPlace(node);
    if (!chain.locations.includes(place)) chain.locations.push(place);
    chain.nodes.set(name, node);
  }
  return node;
}

export function toBlockRef(block: { number: bigint; hash: Hash }): BlockRef {
  return { number: block.number, hash: block.hash };
}

// The functions over the chain view, one file each, exported here too.
export { addBlock } from './addBlock.ts';
export { branchAbove } from './branchAbove.ts';
export { chooseCanonical } from './chooseCanonical.ts';
export { compareCheckpoints } from './compareCheckpoints.ts';
export { findCommonAncestor } from './findCommonAncestor.ts';
export { isAncestorOrSelf } from './isAncestorOrSelf.ts';
export { isCanonical } from './isCanonical.ts';
export { isCanonicalBacked } from './isCanonicalBacked.ts';
export { isCorroborated } from './isCorroborated.ts';
export { isCounted } from './isCounted.ts';
export { isHeadOnLine } from './isHeadOnLine.ts';
export { isHealthy } from './isHealthy.ts';
export { isOnCanonicalBranch } from './isOnCanonicalBranch.ts';
export { isSeenWidely } from './isSeenWidely.ts';
export { latestHeadMoveMs } from './latestHeadMoveMs.ts';
export { measureQuorum } from './measureQuorum.ts';
export { parentOf } from './parentOf.ts';
export { prune } from './prune.ts';
export { setCanonical } from './setCanonical.ts';
export { toCanonicalRelation } from './toCanonicalRelation.ts';
export { toPlace } from './toPlace.ts';
export { toQuorumFinalized } from './toQuorumFinalized.ts';
