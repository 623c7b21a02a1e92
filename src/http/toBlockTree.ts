import { type Block, type ChainState, isCanonical, parentOf } from '../core/chainView.ts';
import type { Hash } from '../core/observation.ts';

/** A block of the tree as the API shows it: the core's block fields, and where it stands. */
export type TreeBlock = Pick<
  Block,
  'hash' | 'parentHash' | 'number' | 'timestamp' | 'firstSeenMs' | 'firstSeenBy'
> & {
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

/** How far below the tip the window reaches to take in a node's competing branch. */
export const MAX_BRANCH_DEPTH = 256;

/**
 * The block tree near the tip: every stored block from `depth` heights below the highest stored
 * block up to it (so a branch that lost a reorg stays in view), with its parent, whether it is
 * canonical or finalized, and which nodes follow it. Forks show as blocks at the same height.
 *
 * The window reaches further down when a node's head is on a competing branch, to the canonical
 * block that branch forks from (at most {@link MAX_BRANCH_DEPTH} heights below the tip): a minority
 * that stopped on its own branch while the others went on stays in view, with its fork point.
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
  const floor = top - BigInt(Math.max(depth, MAX_BRANCH_DEPTH));
  for (const node of chain.nodes.values()) {
    const forkHeight = node.head ? toForkHeight(chain, node.head, floor) : undefined;
    if (forkHeight !== undefined && forkHeight < from) from = forkHeight < floor ? floor : forkHeight;
  }
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

/**
 * The height of the canonical block a head's branch leaves the canonical line from, or undefined
 * when the head is on the canonical line. Walks parents down to `floor` at most (the height
 * reached when the fork lies deeper or the tree lacks the parents).
 */
function toForkHeight(chain: ChainState, head: Block, floor: bigint): bigint | undefined {
  if (isCanonical(chain, head)) return undefined;
  let cursor: Block | undefined = head;
  let lowest = head.number;
  while (cursor && cursor.number > floor) {
    if (isCanonical(chain, cursor)) return cursor.number;
    lowest = cursor.number;
    cursor = parentOf(chain, cursor);
  }
  return cursor && isCanonical(chain, cursor) ? cursor.number : lowest;
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
