import type { Hash } from '../../core/observation.ts';
import type { VerifiedBlock } from './toVerifiedBlock.ts';

/** The blocks a source has seen of its node, and its head. */
export type KnownBlocks = {
  head(): VerifiedBlock | undefined;
  has(hash: Hash): boolean;
  /** How many blocks are known: 0 before the first head. */
  size(): number;
  remember(block: VerifiedBlock): void;
  /** Remembers `block` as the head; blocks far below it are forgotten. */
  setHead(block: VerifiedBlock): void;
  /** True when `block` is the head or one of its known ancestors. */
  isOnHeadChain(block: VerifiedBlock): boolean;
};

/**
 * The known blocks of one node, by hash: the parent-hash walk-back stops at them. Blocks more than
 * `max(256, 2 × maxBackfill)` below the head are forgotten once twice that many are known.
 */
export function createKnownBlocks(maxBackfill: number): KnownBlocks {
  const keepDepth = BigInt(Math.max(256, maxBackfill * 2));
  const known = new Map<Hash, VerifiedBlock>();
  let head: VerifiedBlock | undefined;
  return {
    head: () => head,
    has: (hash) => known.has(hash),
    size: () => known.size,
    remember(block) {
      known.set(block.hash, block);
    },
    setHead(block) {
      known.set(block.hash, block);
      head = block;
      if (known.size <= Number(keepDepth) * 2) return;
      for (const [hash, kept] of known) {
        if (kept.number + keepDepth < block.number) known.delete(hash);
      }
    },
    isOnHeadChain(block) {
      let cursor = head;
      while (cursor && cursor.number >= block.number) {
        if (cursor.hash === block.hash) return true;
        cursor = known.get(cursor.parentHash);
      }
      return false;
    },
  };
}
