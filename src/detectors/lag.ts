import type { ChainState, NodeView } from '../core/chainView.ts';
import type { LagSignal } from '../core/signal.ts';
import { clearCondition, raiseCondition } from './conditions.ts';
import { formatDuration } from './liveness.ts';

/**
 * Lag detector: a node more than `maxBlocks` behind the canonical head for `graceMs`, or whose
 * every request has failed for `graceMs` (unreachable). Raised as `lag:<node>` (`warning`),
 * cleared when it catches up or answers again.
 *
 * Parameters (ChainParams.lag): ethereum 3 blocks / 36 s; bitcoin 1 block / 20 min; devnet
 * 3 blocks / 3 s.
 */
export function detectLag(chain: ChainState, node: NodeView): LagSignal | undefined {
  const key = node.keys.lag;
  const { maxBlocks, graceMs } = chain.params.lag;
  const canonical = chain.canonical;
  const lagBlocks =
    !canonical || node.head === canonical ? 0 : toLagBlocks(canonical.number, node.head?.number, maxBlocks);
  const unreachable = node.failingSinceMs !== undefined && chain.nowMs - node.failingSinceMs >= graceMs;
  if (lagBlocks > maxBlocks) node.behindSinceMs ??= chain.nowMs;
  else node.behindSinceMs = undefined;
  const laggingForMs = node.behindSinceMs === undefined ? 0 : chain.nowMs - node.behindSinceMs;
  if (!unreachable && (node.behindSinceMs === undefined || laggingForMs < graceMs)) {
    clearCondition(chain, key);
    return undefined;
  }
  const signal: LagSignal = {
    kind: 'lag',
    chain: chain.name,
    node: node.name,
    severity: 'warning',
    atMs: chain.nowMs,
    lagBlocks: Math.max(0, lagBlocks),
    laggingForMs: unreachable ? chain.nowMs - (node.failingSinceMs ?? chain.nowMs) : laggingForMs,
    unreachable,
    message: unreachable
      ? `node ${node.name} unreachable for ${formatDuration(chain.nowMs - (node.failingSinceMs ?? chain.nowMs))}${node.lastError ? ` (${node.lastError})` : ''}`
      : `node ${node.name} is ${lagBlocks} blocks behind the canonical head for ${formatDuration(laggingForMs)}`,
  };
  if (node.client !== undefined) signal.client = node.client;
  if (node.lastError !== undefined) signal.lastError = node.lastError;
  return raiseCondition(chain, key, signal) as LagSignal | undefined;
}

/** Blocks between the canonical head and a node's head (`maxBlocks + 1` without a head), in
 * doubles when both heights are safe integers (no bigint allocated on every tick). */
function toLagBlocks(canonical: bigint, head: bigint | undefined, maxBlocks: number): number {
  if (head === undefined) return maxBlocks + 1;
  const c = Number(canonical);
  const h = Number(head);
  return Number.isSafeInteger(c) && Number.isSafeInteger(h) ? c - h : Number(canonical - head);
}
