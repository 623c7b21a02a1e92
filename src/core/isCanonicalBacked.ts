import type { ChainState } from './chainView.ts';
import { isCorroborated } from './isCorroborated.ts';

/** Whether the canonical head stands on a backed quorum: enough nodes, and more than the fraction. */
export function isCanonicalBacked(chain: ChainState): boolean {
  return (
    chain.canonical !== undefined &&
    chain.quorum.ok &&
    (chain.quorum.verified || isCorroborated(chain, chain.quorum.supportNodes))
  );
}
