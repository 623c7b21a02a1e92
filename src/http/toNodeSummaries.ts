import { type ChainState, isHealthy, type NodeView } from '../core/chainView.ts';
import type { Hash } from '../core/observation.ts';
import type { EngineState } from '../engine/step.ts';
import { type CheckpointSummary, toCheckpointSummary } from './toChainSummaries.ts';

export type NodeSummary = {
  chain: string;
  name: string;
  client: string | null;
  head: { number: bigint; hash: Hash } | null;
  /** Canonical head height minus this node's head height (0 when ahead or on it). */
  lagBlocks: number | null;
  /** Whether the node takes part in the canonical choice. */
  healthy: boolean;
  /** Whether the node's head is on the canonical line. */
  onCanonical: boolean | null;
  /** Round trip of the node's last measured request, ms. */
  lastLatencyMs: number | null;
  lastError: string | null;
  /** Since when every request has failed, ms; null when the last one succeeded. */
  failingSinceMs: number | null;
  /** This node's head height minus its finalized checkpoint's height. */
  headMinusFinalized: number | null;
  finalized: CheckpointSummary | null;
  /** Engine time since the node's head last changed, seconds. */
  secondsSinceHeadChange: number;
};

/** Looks up the last measured latency of a node, ms. */
export type LatencyLookup = (chain: string, node: string) => number | undefined;

/** Every node of every chain, in chain then node name order, as `GET /api/nodes` shows them. */
export function toNodeSummaries(
  engine: EngineState,
  lastLatencyMs: LatencyLookup = () => undefined,
): NodeSummary[] {
  const out: NodeSummary[] = [];
  const chains = [...engine.chains.values()].sort((a, b) => compare(a.name, b.name));
  for (const chain of chains) {
    const nodes = [...chain.nodes.values()].sort((a, b) => compare(a.name, b.name));
    for (const node of nodes) out.push(toNodeSummary(chain, node, lastLatencyMs(chain.name, node.name)));
  }
  return out;
}

function toNodeSummary(chain: ChainState, node: NodeView, latencyMs: number | undefined): NodeSummary {
  const head = node.head;
  const canonical = chain.canonical;
  const finalized = node.checkpoints.finalized;
  const lag = head && canonical ? canonical.number - head.number : undefined;
  const headMinusFinalized =
    head && finalized?.number !== undefined ? Number(head.number - finalized.number) : null;
  return {
    chain: chain.name,
    name: node.name,
    client: node.client ?? null,
    head: head ? { number: head.number, hash: head.hash } : null,
    lagBlocks: lag === undefined ? null : lag > 0n ? Number(lag) : 0,
    healthy: isHealthy(chain, node),
    onCanonical: head ? chain.canonicalByHeight.get(head.number) === head.hash : null,
    lastLatencyMs: latencyMs ?? null,
    lastError: node.lastError ?? null,
    failingSinceMs: node.failingSinceMs ?? null,
    headMinusFinalized,
    finalized: toCheckpointSummary(finalized),
    secondsSinceHeadChange: Math.max(0, chain.nowMs - node.headChangedAtMs) / 1000,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
