import type { ChainState } from '../core/chainView.ts';

/**
 * Whether a node's head height is one the chain can have reached: at most `params.maxAheadBlocks`
 * above the canonical head plus one block per slot (proof of stake), or per tenth of the mean
 * interval (proof of work), since the canonical head was first seen. Before any canonical head
 * every height is plausible. Time is the chain's observation time, never a clock.
 */
export function isPlausibleHeight(chain: ChainState, number: bigint): boolean {
  const canonical = chain.canonical;
  if (!canonical || number <= canonical.number) return true;
  const model = chain.params.blockTime;
  const blockMs = model.kind === 'slots' ? model.slotMs : model.meanBlockMs / 10;
  const elapsedBlocks = Math.max(0, Math.ceil((chain.nowMs - canonical.firstSeenMs) / blockMs));
  return number - canonical.number <= BigInt(chain.params.maxAheadBlocks + elapsedBlocks);
}
