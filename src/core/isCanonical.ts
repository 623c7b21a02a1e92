import type { ChainState } from './chainView.ts';
import type { Hash } from './observation.ts';

/** True when `block` is on the canonical line (an ancestor of, or, the canonical head). */
export function isCanonical(chain: ChainState, block: { number: bigint; hash: Hash }): boolean {
  // The line always holds the canonical head.
  return block === chain.canonical || chain.canonicalByHeight.get(block.number) === block.hash;
}
