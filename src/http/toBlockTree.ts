import { type Block, type ChainState, parentOf } from '../core/chainView.ts';
import type { Hash } from '../core/observation.ts';

export type TreeBlock = {
  hash: Hash;
  parentHash: Hash;
  number: bigint;
  timestamp: number;
  firstSeenMs: number;
  firstSeenBy: string;
  /** On the canonical line. */
  canonical: boolean;
  /** At or below the finalized checkpoint on the canonical line. */
  finalized: boolean;
  /** Nodes whose head is this block or one of its descendants. */
  nodes: string[];
  /** Nodes whose head is this block. */
  heads: string[];
};

export type BlockTree = {
  chain: string;
  canonicalHead: { number: bigint; hash: Hash } | null;
  finalized: { number: bigint; hash: Hash } | null;
  /** Lowest and highest height shown. */
  fromHeight: bigint | null;
  toHeight: bigint | null;
  /** Blocks in the window, by height then hash. */
  blocks: TreeBlock[];
  /** Each node's head, by node name. */
  heads: Record<string, { number: bigint; hash: Hash } | null>;
};

/**
 * The block tree near the tip: every stored block from `depth` heights below the highest stored
 * block up to it (so a branch that lost a reorg stays in view), with its parent, whether it is canonical or finalized, and which nodes follow
 * it. Forks show as blocks at the same height.
 */
export function toBlockTree(chain: ChainState, depth: number): BlockTree {
  const heads: BlockTree['heads'] = {};
  let top: bigint | undefined = chain.canonical?.number;
  for (const node of chain.nodes.values()) {
    heads[node.name] = node.head ? { number: node.head.number, hash: node.head.hash } : null;
    if (node.head && (top === undefined || node.head.number > top)) top = node.head.number;
  }
  for (const height of chain.byHeight.keys()) if (top === undefined || height > top) top = height;
  const finalizedNumber = chain.finalized?.number;
  const finalized =
    chain.finalized && finalizedNumber !== undefined
      ? { number: finalizedNumber, hash: chain.finalized.hash }
      : null;
  const canonicalHead = chain.canonical
    ? { number: chain.canonical.number, hash: chain.canonical.hash }
    : null;
  if (top === undefined) {
    return {
      chain: chain.name,
      canonicalHead,
      finalized,
      fromHeight: null,
      toHeight: null,
      blocks: [],
      heads,
    };
  }
  let from = top - BigInt(depth);
  if (chain.lowestHeight !== undefined && from < chain.lowestHeight) from = chain.lowestHeight;
  const byHash = new Map<Hash, TreeBlock>();
  for (const [height, hashes] of chain.byHeight) {
    if (height < from || height > top) continue;
    for (const hash of hashes) {
      const block = chain.blocks.get(hash);
      if (block) byHash.set(hash, toTreeBlock(chain, block, finalizedNumber));
    }
  }
  for (const node of chain.nodes.values()) {
    let cursor: Block | undefined = node.head;
    if (cursor) byHash.get(cursor.hash)?.heads.push(node.name);
    while (cursor && cursor.number >= from) {
      byHash.get(cursor.hash)?.nodes.push(node.name);
      cursor = parentOf(chain, cursor);
    }
  }
  const blocks = [...byHash.values()].sort((a, b) =>
    a.number !== b.number ? (a.number < b.number ? -1 : 1) : a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0,
  );
  for (const block of blocks) {
    block.nodes.sort();
    block.heads.sort();
  }
  return { chain: chain.name, canonicalHead, finalized, fromHeight: from, toHeight: top, blocks, heads };
}

function toTreeBlock(chain: ChainState, block: Block, finalizedNumber: bigint | undefined): TreeBlock {
  const canonical = chain.canonicalByHeight.get(block.number) === block.hash;
  return {
    hash: block.hash,
    parentHash: block.parentHash,
    number: block.number,
    timestamp: block.timestamp,
    firstSeenMs: block.firstSeenMs,
    firstSeenBy: block.firstSeenBy,
    canonical,
    finalized: canonical && finalizedNumber !== undefined && block.number <= finalizedNumber,
    nodes: [],
    heads: [],
  };
}
