import type { ChainState } from './chainView.ts';
import { isHealthy } from './isHealthy.ts';

/** The latest time a healthy node's head moved. */
export function latestHeadMoveMs(chain: ChainState): number {
  let latest = Number.NEGATIVE_INFINITY;
  for (const node of chain.nodes.values()) {
    if (node.head && isHealthy(chain, node) && node.headChangedAtMs > latest) latest = node.headChangedAtMs;
  }
  return latest;
}
