import type { ChainState } from './chainView.ts';

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
    chain.lineVersion += 1;
    for (const h of [...chain.byHeight.keys()]) if (h > ceiling) dropStoredHeight(chain, h);
    chain.lowestHeight = below < 0n ? 0n : below;
    return;
  }
  if (below - chain.lowestHeight < 64n) return;
  chain.lineVersion += 1;
  if (below - chain.lowestHeight > BigInt(4 * chain.byHeight.size)) {
    // Sparse heights: visit what is stored rather than every height in between.
    for (const h of [...chain.byHeight.keys()]) if (h < below) dropStoredHeight(chain, h);
    for (const h of [...chain.canonicalByHeight.keys()]) if (h < below) chain.canonicalByHeight.delete(h);
  } else {
    for (let h = chain.lowestHeight; h < below; h++) dropStoredHeight(chain, h);
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
