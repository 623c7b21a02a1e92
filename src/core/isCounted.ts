import type { ChainState, NodeView } from './chainView.ts';
import { isHealthy } from './isHealthy.ts';
import { toLivenessThresholds } from './toLivenessThresholds.ts';

/**
 * Whether a node counts in the canonical choice and the quorum: healthy, and not stale, that is
 * its head has stood still for longer than the liveness warning threshold while another node's
 * head moved within it (a node serving a frozen chain does not outvote one that advances).
 */
export function isCounted(chain: ChainState, node: NodeView, latestMoveMs: number): boolean {
  if (!isHealthy(chain, node)) return false;
  const { warningMs } = toLivenessThresholds(chain.params);
  return !(chain.nowMs - node.headChangedAtMs >= warningMs && chain.nowMs - latestMoveMs < warningMs);
}
