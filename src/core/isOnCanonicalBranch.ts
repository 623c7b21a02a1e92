import type { Block, ChainState } from './chainView.ts';
import { toCanonicalRelation } from './toCanonicalRelation.ts';

/** True when `head` is on the canonical line or extends it. */
export function isOnCanonicalBranch(chain: ChainState, head: Block): boolean {
  return toCanonicalRelation(chain, head) === true;
}
