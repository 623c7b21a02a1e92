import type { Block, ChainState } from './chainView.ts';

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
