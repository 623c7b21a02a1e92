import type { ChainState, NodeView } from './chainView.ts';

/** Whether a node takes part in the canonical choice: reachable and not caught serving bad data. */
export function isHealthy(chain: ChainState, node: NodeView): boolean {
  if (node.integrityFailedAtMs !== undefined) return false;
  if (node.failingSinceMs !== undefined && chain.nowMs - node.failingSinceMs >= chain.params.lag.graceMs) {
    return false;
  }
  return true;
}
