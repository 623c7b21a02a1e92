import type { CheckpointKind, Hash } from './observation.ts';
import type { ChainParams } from './params.ts';
import type { BlockRef, Signal } from './signal.ts';

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
  name: string;
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
  /** Condition tracking, owned by the detectors. */
  behindSinceMs?: number | undefined;
  divergedSinceMs?: number | undefined;
  latencyOutlier: boolean;
  propagationOutlier: boolean;
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
  /** Highest finalized checkpoint reported by a healthy node. */
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
  counts: { heads: number; blocks: number; checkpoints: number; errors: number; ticks: number };
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
    finalizedAdvancedAtMs: nowMs,
    nowMs,
    startedAtMs: nowMs,
    conditions: new Map(),
    holds: [],
    counts: { heads: 0, blocks: 0, checkpoints: 0, errors: 0, ticks: 0 },
  };
}

export function getOrCreateNode(chain: ChainState, name: string, nowMs: number): NodeView {
  let node = chain.nodes.get(name);
  if (!node) {
    node = {
      name,
      keys: {
        lag: `lag:${name}`,
        divergence: `divergence:${name}`,
        finalizedConflict: `divergence:finalized:${name}`,
      },
      weight: chain.params.weights[name] ?? 1,
      headChangedAtMs: nowMs,
      lastOkMs: nowMs,
      checkpoints: {},
      latencyOutlier: false,
      propagationOutlier: false,
    };
    chain.nodes.set(name, node);
  }
  return node;
}

export function toBlockRef(block: { number: bigint; hash: Hash }): BlockRef {
  return { number: block.number, hash: block.hash };
}

/**
 * Adds a block to the tree, or returns the stored one. When the hash is known with other
 * contents, returns `conflict` (a node contradicts what was reported before).
 */
export function addBlock(
  chain: ChainState,
  block: Block,
): { block: Block; added: boolean; conflict?: Block } {
  const known = chain.blocks.get(block.hash);
  if (known) {
    if (known.number !== block.number || known.parentHash !== block.parentHash) {
      return { block: known, added: false, conflict: known };
    }
    return { block: known, added: false };
  }
  if (chain.lowestHeight !== undefined && block.number < chain.lowestHeight) {
    // Below the pruned horizon: keep it out of the tree, but let the caller use it.
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

/** The parent block, when stored. */
export function parentOf(chain: ChainState, block: Block): Block | undefined {
  return chain.blocks.get(block.parentHash);
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
    cursor = chain.blocks.get(cursor.parentHash);
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
    if (x.number > y.number) x = chain.blocks.get(x.parentHash);
    else if (y.number > x.number) y = chain.blocks.get(y.parentHash);
    else {
      x = chain.blocks.get(x.parentHash);
      y = chain.blocks.get(y.parentHash);
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
    cursor = chain.blocks.get(cursor.parentHash);
  }
  return hashes.reverse();
}

/**
 * Moves the canonical head to `head` and rewrites the canonical line index down to the point
 * where it already agrees.
 */
export function setCanonical(chain: ChainState, head: Block): void {
  const previous = chain.canonical;
  if (previous) {
    for (let h = head.number + 1n; h <= previous.number; h++) chain.canonicalByHeight.delete(h);
  }
  let cursor: Block | undefined = head;
  let lowest = head;
  while (cursor && chain.canonicalByHeight.get(cursor.number) !== cursor.hash) {
    chain.canonicalByHeight.set(cursor.number, cursor.hash);
    lowest = cursor;
    cursor = chain.blocks.get(cursor.parentHash);
  }
  if (cursor === undefined) {
    // The line starts at a block whose parent is unknown: entries below it belong to an old line.
    for (let h = lowest.number - 1n; chain.canonicalByHeight.delete(h); h--);
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

/**
 * Chooses the canonical head: among the leaf heads of healthy nodes, the one whose branch
 * (the leaf and its ancestors) holds the most node weight. Ties go to the current canonical
 * line, then to the higher block, then to the lower hash.
 */
export function chooseCanonical(chain: ChainState): Block | undefined {
  const heads: Array<{ block: Block; weight: number }> = [];
  for (const node of chain.nodes.values()) {
    if (!node.head || !isHealthy(chain, node)) continue;
    const same = heads.find((h) => h.block.hash === node.head!.hash);
    if (same) same.weight += node.weight;
    else heads.push({ block: node.head, weight: node.weight });
  }
  if (heads.length === 0) return chain.canonical;
  if (heads.length === 1) return heads[0]!.block;
  let best: Block | undefined;
  let bestScore = -1;
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
    if (
      best === undefined ||
      score > bestScore ||
      (score === bestScore &&
        (onLine !== bestOnLine
          ? onLine
          : leaf.block.number !== best.number
            ? leaf.block.number > best.number
            : leaf.block.hash < best.hash))
    ) {
      best = leaf.block;
      bestScore = score;
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
  if (below - chain.lowestHeight < 64n) return;
  const dropHeight = (h: bigint): void => {
    const hashes = chain.byHeight.get(h);
    if (hashes) {
      for (const hash of hashes) chain.blocks.delete(hash);
      chain.byHeight.delete(h);
    }
    chain.canonicalByHeight.delete(h);
  };
  if (below - chain.lowestHeight > BigInt(4 * chain.byHeight.size)) {
    // Sparse heights: visit what is stored rather than every height in between.
    for (const h of [...chain.byHeight.keys()]) if (h < below) dropHeight(h);
    for (const h of [...chain.canonicalByHeight.keys()]) if (h < below) chain.canonicalByHeight.delete(h);
  } else {
    for (let h = chain.lowestHeight; h < below; h++) dropHeight(h);
  }
  chain.lowestHeight = below;
}
