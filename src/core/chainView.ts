import type { CheckpointKind, Hash } from './observation.ts';
import type { ChainParams } from './params.ts';
import type { BlockRef, Signal } from './signal.ts';
import { toLivenessThresholds } from './toLivenessThresholds.ts';

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

/** The place a node view is seen from: its watcher location, or `''` for the guard's own. */
export function toPlace(node: NodeView): string {
  return node.location ?? '';
}

export function toBlockRef(block: { number: bigint; hash: Hash }): BlockRef {
  return { number: block.number, hash: block.hash };
}

/**
 * Adds a block to the tree (unless `store` is false), or returns the stored one. When the hash is
 * known with other contents, returns `conflict` (a node contradicts what was reported before).
 */
export function addBlock(
  chain: ChainState,
  block: Block,
  store = true,
): { block: Block; added: boolean; conflict?: Block } {
  const known = chain.blocks.get(block.hash);
  if (known) {
    if (known.number !== block.number || known.parentHash !== block.parentHash) {
      return { block: known, added: false, conflict: known };
    }
    return { block: known, added: false };
  }
  if (!store || (chain.lowestHeight !== undefined && block.number < chain.lowestHeight)) {
    // Below the pruned horizon, or not to be stored: keep it out of the tree, but let the caller use it.
    return { block, added: false };
  }
  chain.blocks.set(block.hash, block);
  const atHeight = chain.byHeight.get(block.number);
  if (atHeight) atHeight.push(block.hash);
  else chain.byHeight.set(block.number, [block.hash]);
  if (chain.lowestHeight === undefined || block.number < chain.lowestHeight)
    chain.lowestHeight = block.number;
  return { block, added: true };
}

/**
 * The parent block, when stored and lower than `block`. Every walk over the tree goes through
 * here: heights strictly fall at each step, so a walk visits each stored block at most once and
 * ends, whatever parents a node sends (cycles, self-parents, a parent stored at another height).
 */
export function parentOf(chain: ChainState, block: Block): Block | undefined {
  chain.counts.walked += 1;
  const parent = chain.blocks.get(block.parentHash);
  return parent !== undefined && parent.number < block.number ? parent : undefined;
}

/** True when `block` is on the canonical line (an ancestor of, or, the canonical head). */
export function isCanonical(chain: ChainState, block: { number: bigint; hash: Hash }): boolean {
  return chain.canonicalByHeight.get(block.number) === block.hash;
}

/**
 * Walks back from `block` to the first ancestor at or below `height` (heights may skip, as slots
 * do). Returns `undefined` when a parent is missing from the tree.
 */
export function ancestorAt(chain: ChainState, block: Block, height: bigint): Block | undefined {
  let cursor: Block | undefined = block;
  while (cursor && cursor.number > height) {
    if (isCanonical(chain, cursor)) {
      const hash = chain.canonicalByHeight.get(height);
      const atHeight = hash === undefined ? undefined : chain.blocks.get(hash);
      if (atHeight) return atHeight;
    }
    cursor = parentOf(chain, cursor);
  }
  return cursor;
}

/** True when `ancestor` is `block` or one of its ancestors; `undefined` when unknown. */
export function isAncestorOrSelf(chain: ChainState, ancestor: Block, block: Block): boolean | undefined {
  if (ancestor.number > block.number) return false;
  if (ancestor.hash === block.hash) return true;
  if (isCanonical(chain, ancestor) && isCanonical(chain, block)) return true;
  // The parent is at a height below `block`, so at or below `ancestor`: it is `ancestor` or not related.
  if (block.number === ancestor.number + 1n || block.parentHash === ancestor.hash)
    return block.parentHash === ancestor.hash;
  const at = ancestorAt(chain, block, ancestor.number);
  return at === undefined ? undefined : at.hash === ancestor.hash;
}

/** The highest common ancestor of two blocks, when the tree holds both branches down to it. */
export function findCommonAncestor(chain: ChainState, a: Block, b: Block): Block | undefined {
  let x: Block | undefined = a;
  let y: Block | undefined = b;
  while (x && y && x.hash !== y.hash) {
    if (x.number > y.number) x = parentOf(chain, x);
    else if (y.number > x.number) y = parentOf(chain, y);
    else {
      x = parentOf(chain, x);
      y = parentOf(chain, y);
    }
  }
  return x && y ? x : undefined;
}

/** Hashes from just above `ancestor` up to `head` along `head`'s branch, lowest first. */
export function branchAbove(chain: ChainState, head: Block, ancestorNumber: bigint): Hash[] {
  const hashes: Hash[] = [];
  let cursor: Block | undefined = head;
  while (cursor && cursor.number > ancestorNumber) {
    hashes.push(cursor.hash);
    cursor = parentOf(chain, cursor);
  }
  return hashes.reverse();
}

/**
 * Moves the canonical head to `head` and rewrites the canonical line index down to the point
 * where it already agrees.
 */
export function setCanonical(chain: ChainState, head: Block): void {
  const previous = chain.canonical;
  if (previous && previous.number > head.number) {
    // Heights may be sparse or huge: walk what is stored rather than every height in between.
    if (previous.number - head.number > BigInt(chain.canonicalByHeight.size)) {
      for (const h of [...chain.canonicalByHeight.keys()])
        if (h > head.number) chain.canonicalByHeight.delete(h);
    } else {
      for (let h = head.number + 1n; h <= previous.number; h++) chain.canonicalByHeight.delete(h);
    }
  }
  let cursor: Block | undefined = head;
  let lowest = head;
  while (cursor && chain.canonicalByHeight.get(cursor.number) !== cursor.hash) {
    chain.canonicalByHeight.set(cursor.number, cursor.hash);
    lowest = cursor;
    cursor = parentOf(chain, cursor);
  }
  if (cursor === undefined) {
    // The line starts at a block whose parent is unknown: entries below it belong to an old line.
    for (const h of [...chain.canonicalByHeight.keys()])
      if (h < lowest.number) chain.canonicalByHeight.delete(h);
  }
  chain.canonical = head;
}

/** Whether a node takes part in the canonical choice: reachable and not caught serving bad data. */
export function isHealthy(chain: ChainState, node: NodeView): boolean {
  if (node.integrityFailedAtMs !== undefined) return false;
  if (node.failingSinceMs !== undefined && chain.nowMs - node.failingSinceMs >= chain.params.lag.graceMs) {
    return false;
  }
  return true;
}

/** The latest time a healthy node's head moved. */
export function latestHeadMoveMs(chain: ChainState): number {
  let latest = Number.NEGATIVE_INFINITY;
  for (const node of chain.nodes.values()) {
    if (node.head && isHealthy(chain, node) && node.headChangedAtMs > latest) latest = node.headChangedAtMs;
  }
  return latest;
}

/**
 * Whether a node counts in the canonical choice and the quorum: healthy, and not stale, that is
 * its head has stood still for longer than the liveness warning threshold while another node's
 * head moved within it (a node serving a frozen chain does not outvote one that advances).
 */
export function isCounted(chain: ChainState, node: NodeView, latestMoveMs: number): boolean {
  if (!isHealthy(chain, node)) return false;
  const { warningMs } = toLivenessThresholds(chain.params);
  return !(chain.nowMs - node.headChangedAtMs >= warningMs && chain.nowMs - latestMoveMs < warningMs);
}

/**
 * Chooses the canonical head: among the leaf heads of healthy nodes, the one whose branch
 * (the leaf and its ancestors) holds the most node weight. Ties go to the current canonical
 * line, then to the higher block, then to the lower hash.
 *
 * On a chain with `params.pow` the most verified chainwork comes first (a head without verified
 * chainwork counts as none), then the rules above: proof of work, checked by the sources, outweighs
 * node count, as it does for the nodes themselves.
 */
export function chooseCanonical(chain: ChainState): Block | undefined {
  const heads: Array<{ block: Block; weight: number }> = [];
  const latestMoveMs = latestHeadMoveMs(chain);
  for (const node of chain.nodes.values()) {
    if (!node.head || !isCounted(chain, node, latestMoveMs)) continue;
    const same = heads.find((h) => h.block.hash === node.head!.hash);
    if (same) same.weight += node.weight;
    else heads.push({ block: node.head, weight: node.weight });
  }
  if (heads.length === 0) return chain.canonical;
  if (heads.length === 1) return heads[0]!.block;
  const byWork = chain.params.pow !== undefined;
  let best: Block | undefined;
  let bestScore = -1;
  let bestWork = -1n;
  let bestOnLine = false;
  for (const leaf of heads) {
    let score = 0;
    let isLeaf = true;
    for (const other of heads) {
      if (other === leaf) {
        score += other.weight;
        continue;
      }
      if (other.block.number > leaf.block.number && isAncestorOrSelf(chain, leaf.block, other.block)) {
        isLeaf = false;
        break;
      }
      if (isAncestorOrSelf(chain, other.block, leaf.block)) score += other.weight;
    }
    if (!isLeaf) continue;
    const onLine = chain.canonical
      ? isCanonical(chain, leaf.block) || isAncestorOrSelf(chain, chain.canonical, leaf.block) === true
      : false;
    const work = byWork ? (leaf.block.chainwork ?? -1n) : -1n;
    if (
      best === undefined ||
      work > bestWork ||
      (work === bestWork && score > bestScore) ||
      (work === bestWork &&
        score === bestScore &&
        (onLine !== bestOnLine
          ? onLine
          : leaf.block.number !== best.number
            ? leaf.block.number > best.number
            : leaf.block.hash < best.hash))
    ) {
      best = leaf.block;
      bestScore = score;
      bestWork = work;
      bestOnLine = onLine;
    }
  }
  return best;
}

/**
 * Drops blocks below `max(finalized - 32, canonical - pruneDepth)` so that memory stays flat on
 * endless input. Runs in batches of 64 heights.
 */
export function prune(chain: ChainState): void {
  const head = chain.canonical;
  if (!head || chain.lowestHeight === undefined) return;
  let below = head.number - BigInt(chain.params.pruneDepth);
  const finalizedNumber = chain.finalized?.number;
  if (finalizedNumber !== undefined && finalizedNumber - 32n > below && finalizedNumber - 32n < head.number) {
    below = finalizedNumber - 32n;
  }
  if (head.number < chain.lowestHeight) {
    // The canonical head moved below the horizon (it switched to another, lower line): lower the
    // horizon so that line's blocks enter the tree, and drop what sits implausibly far above it.
    const ceiling = head.number + BigInt(chain.params.maxAheadBlocks);
    for (const h of [...chain.byHeight.keys()]) if (h > ceiling) dropStoredHeight(chain, h);
    chain.lowestHeight = below < 0n ? 0n : below;
    return;
  }
  if (below - chain.lowestHeight < 64n) return;
  const dropHeight = (h: bigint): void => dropStoredHeight(chain, h);
  if (below - chain.lowestHeight > BigInt(4 * chain.byHeight.size)) {
    // Sparse heights: visit what is stored rather than every height in between.
    for (const h of [...chain.byHeight.keys()]) if (h < below) dropHeight(h);
    for (const h of [...chain.canonicalByHeight.keys()]) if (h < below) chain.canonicalByHeight.delete(h);
  } else {
    for (let h = chain.lowestHeight; h < below; h++) dropHeight(h);
  }
  chain.lowestHeight = below;
}

function dropStoredHeight(chain: ChainState, h: bigint): void {
  const hashes = chain.byHeight.get(h);
  if (hashes) {
    for (const hash of hashes) chain.blocks.delete(hash);
    chain.byHeight.delete(h);
  }
  chain.canonicalByHeight.delete(h);
}

/** True when `head` is on the canonical line or extends it. */
export function isOnCanonicalBranch(chain: ChainState, head: Block): boolean {
  return toCanonicalRelation(chain, head) === true;
}

/**
 * Whether `head` is on the canonical branch (`true`), off it (`false`), or the kept tree cannot
 * tell (`undefined`: below the stored line, or above it with parents the tree does not hold).
 */
export function toCanonicalRelation(chain: ChainState, head: Block): boolean | undefined {
  const canonical = chain.canonical;
  if (!canonical) return undefined;
  if (head.number <= canonical.number) {
    const line = chain.canonicalByHeight.get(head.number);
    return line === undefined ? undefined : line === head.hash;
  }
  return isAncestorOrSelf(chain, canonical, head);
}

/**
 * Measures the quorum behind the canonical head: the weight and count of counted nodes whose head
 * is on the canonical branch, against all counted nodes whose head the kept tree can place
 * (a node too far behind to tell is the lag detector's business). `ok` when the branch holds
 * strictly more than `params.quorum.fraction` of that weight (or no node is counted at all: then
 * nothing disagrees, and liveness speaks). Also notes when the membership may next change with
 * time alone (`quorumRecheckAtMs`).
 */
export function measureQuorum(chain: ChainState): Quorum {
  const latestMoveMs = latestHeadMoveMs(chain);
  const nowMs = chain.nowMs;
  const staleMs = toLivenessThresholds(chain.params).warningMs;
  const graceMs = chain.params.lag.graceMs;
  let recheckAtMs = latestMoveMs + staleMs > nowMs ? latestMoveMs + staleMs : Number.POSITIVE_INFINITY;
  let healthyWeight = 0;
  let healthyNodes = 0;
  let supportWeight = 0;
  let supportNodes = 0;
  const supportLocations: string[] = [];
  const opposeLocations: string[] = [];
  for (const node of chain.nodes.values()) {
    const failingUntilMs = node.failingSinceMs === undefined ? 0 : node.failingSinceMs + graceMs;
    if (failingUntilMs > nowMs && failingUntilMs < recheckAtMs) recheckAtMs = failingUntilMs;
    const staleAtMs = node.headChangedAtMs + staleMs;
    if (staleAtMs > nowMs && staleAtMs < recheckAtMs) recheckAtMs = staleAtMs;
    if (!node.head || !isCounted(chain, node, latestMoveMs)) continue;
    const relation = toCanonicalRelation(chain, node.head);
    if (relation === undefined) continue;
    healthyWeight += node.weight;
    healthyNodes += 1;
    if (relation) {
      supportWeight += node.weight;
      supportNodes += 1;
      if (!supportLocations.includes(toPlace(node))) supportLocations.push(toPlace(node));
    } else if (!opposeLocations.includes(toPlace(node))) {
      opposeLocations.push(toPlace(node));
    }
  }
  const verified = chain.params.pow !== undefined && chain.canonical?.chainwork !== undefined;
  const ok = verified || healthyNodes === 0 || supportWeight > chain.params.quorum.fraction * healthyWeight;
  const quorum = chain.quorum;
  quorum.ok = ok;
  quorum.verified = verified;
  quorum.supportWeight = supportWeight;
  quorum.supportNodes = supportNodes;
  quorum.supportLocations = supportLocations.length;
  quorum.opposeLocations = opposeLocations.length;
  quorum.healthyWeight = healthyWeight;
  quorum.healthyNodes = healthyNodes;
  chain.quorumRecheckAtMs = recheckAtMs;
  if (ok) chain.noQuorumSinceMs = undefined;
  else chain.noQuorumSinceMs ??= nowMs;
  return quorum;
}

/**
 * Whether `backers` nodes are enough to back a claim on this chain: at least
 * `params.quorum.minNodes`, or every node the chain knows when it knows fewer.
 */
export function isCorroborated(chain: ChainState, backers: number): boolean {
  return backers >= Math.min(chain.params.quorum.minNodes, Math.max(chain.nodes.size, chain.configuredNodes));
}

/**
 * Whether backers seen from `locations` distinct watcher locations are enough: on a chain watched
 * from several locations, at least `params.quorum.minLocations` of them (0: a majority of the
 * locations seen). Always true on a chain watched from one place.
 */
export function isSeenWidely(chain: ChainState, locations: number): boolean {
  const seen = chain.locations.length;
  if (seen < 2) return true;
  const needed =
    chain.params.quorum.minLocations > 0 ? chain.params.quorum.minLocations : Math.floor(seen / 2) + 1;
  return locations >= Math.min(needed, seen);
}

/** Whether the canonical head stands on a backed quorum: enough nodes, and more than the fraction. */
export function isCanonicalBacked(chain: ChainState): boolean {
  return (
    chain.canonical !== undefined &&
    chain.quorum.ok &&
    (chain.quorum.verified || isCorroborated(chain, chain.quorum.supportNodes))
  );
}

/**
 * The quorum's finalized checkpoint: the highest checkpoint that counted nodes holding strictly
 * more than the quorum fraction of all counted nodes' weight have reached (by height, else by
 * epoch). One node alone, with others counted, cannot move it.
 */
export function toQuorumFinalized(chain: ChainState): Checkpoint | undefined {
  const latestMoveMs = latestHeadMoveMs(chain);
  const reports: Array<{ checkpoint: Checkpoint; weight: number }> = [];
  let total = 0;
  for (const node of chain.nodes.values()) {
    if (!isCounted(chain, node, latestMoveMs)) continue;
    total += node.weight;
    const checkpoint = node.checkpoints.finalized;
    if (checkpoint) reports.push({ checkpoint, weight: node.weight });
  }
  reports.sort((a, b) => compareCheckpoints(b.checkpoint, a.checkpoint));
  let reached = 0;
  for (const report of reports) {
    reached += report.weight;
    if (reached > chain.params.quorum.fraction * total) return report.checkpoint;
  }
  return undefined;
}

/** Orders checkpoints by height when both have one, else by epoch. */
export function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  if (a.number !== undefined && b.number !== undefined)
    return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
  return (a.epoch ?? -1) - (b.epoch ?? -1);
}
