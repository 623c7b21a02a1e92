import type { Block, ChainState, NodeView } from '../core/chainView.ts';
import type { LatencySignal } from '../core/signal.ts';

/**
 * Latency detector, two measures, each raised once per episode (again only after the node was
 * back under the threshold):
 * - `rpc`: a request's round trip (`latencyMs` on an observation) above `rpcThresholdMs`.
 * - `propagation`: a block reached this node more than `propagationThresholdMs` after the first
 *   node reported it.
 * Parameters (ChainParams.latency): ethereum 2 s / 4 s; bitcoin 5 s / 60 s; devnet 1 s / 2 s.
 */
export function detectRpcLatency(
  chain: ChainState,
  node: NodeView,
  latencyMs: number,
): LatencySignal | undefined {
  const thresholdMs = chain.params.latency.rpcThresholdMs;
  if (latencyMs <= thresholdMs) {
    node.latencyOutlier = false;
    return undefined;
  }
  if (node.latencyOutlier) return undefined;
  node.latencyOutlier = true;
  return toSignal(
    chain,
    node,
    'rpc',
    latencyMs,
    thresholdMs,
    `RPC round trip to ${node.name} took ${latencyMs} ms`,
  );
}

export function detectPropagation(
  chain: ChainState,
  node: NodeView,
  block: Block,
): LatencySignal | undefined {
  if (block.firstSeenBy === node.name) return undefined;
  const delayMs = chain.nowMs - block.firstSeenMs;
  const thresholdMs = chain.params.latency.propagationThresholdMs;
  if (delayMs <= thresholdMs) {
    node.propagationOutlier = false;
    return undefined;
  }
  if (node.propagationOutlier) return undefined;
  node.propagationOutlier = true;
  return toSignal(
    chain,
    node,
    'propagation',
    delayMs,
    thresholdMs,
    `block ${block.number} reached ${node.name} ${delayMs} ms after ${block.firstSeenBy} saw it`,
  );
}

function toSignal(
  chain: ChainState,
  node: NodeView,
  measure: 'rpc' | 'propagation',
  latencyMs: number,
  thresholdMs: number,
  message: string,
): LatencySignal {
  const signal: LatencySignal = {
    kind: 'latency',
    chain: chain.name,
    node: node.name,
    severity: 'warning',
    atMs: chain.nowMs,
    measure,
    latencyMs,
    thresholdMs,
    message,
  };
  if (node.client !== undefined) signal.client = node.client;
  return signal;
}
