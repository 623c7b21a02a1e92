import type { Block, ChainState } from './chainView.ts';

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
