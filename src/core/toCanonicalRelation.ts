import type { Block, ChainState } from './chainView.ts';
import { isAncestorOrSelf } from './isAncestorOrSelf.ts';

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
