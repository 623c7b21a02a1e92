import type { ChainState, NodeView } from '../core/chainView.ts';

/**
 * Counts a failed answer of a node: its run of failures starts now unless one is under way, and
 * the quorum is measured again when the node's grace period ends.
 */
export function recordFailure(chain: ChainState, node: NodeView, lastError: string): void {
  chain.counts.errors += 1;
  if (node.failingSinceMs === undefined) {
    node.failingSinceMs = chain.nowMs;
    const unhealthyAtMs = chain.nowMs + chain.params.lag.graceMs;
    if (unhealthyAtMs < chain.quorumRecheckAtMs) chain.quorumRecheckAtMs = unhealthyAtMs;
  }
  node.lastError = lastError;
}
