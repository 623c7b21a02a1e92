export { toLivenessThresholds } from '../core/toLivenessThresholds.ts';

import type { ChainState } from '../core/chainView.ts';
import type { LivenessSignal, Severity } from '../core/signal.ts';
import { toLivenessThresholds } from '../core/toLivenessThresholds.ts';
import { clearCondition, raiseCondition } from './conditions.ts';
import { markBacking } from './corroboration.ts';

/**
 * Liveness detector: time since the canonical head last advanced, judged against
 * {@link toLivenessThresholds}. A stuck node while others advance does not stall the canonical
 * head, so it is node lag, not a chain halt. Raised as the condition `liveness`, cleared by the
 * next canonical head. Uncorroborated when fewer nodes than the quorum asks sit on the stalled
 * canonical branch (see corroboration.ts).
 */
export function detectLiveness(chain: ChainState): LivenessSignal | undefined {
  const stalledForMs = chain.nowMs - chain.canonicalAdvancedAtMs;
  const { warningMs, criticalMs } = toLivenessThresholds(chain.params);
  if (stalledForMs < warningMs) {
    clearCondition(chain, 'liveness');
    return undefined;
  }
  const severity: Severity = stalledForMs >= criticalMs ? 'critical' : 'warning';
  const thresholdMs = severity === 'critical' ? criticalMs : warningMs;
  const model = chain.params.blockTime;
  const head = chain.canonical;
  const signal: LivenessSignal = {
    kind: 'liveness',
    chain: chain.name,
    severity,
    atMs: chain.nowMs,
    stalledForMs,
    thresholdMs,
    message: `no new canonical head for ${formatDuration(stalledForMs)}${head ? ` (last ${head.number})` : ''}: ${severity === 'critical' ? 'chain halted' : 'blocks late'}`,
  };
  if (head) signal.lastHead = { number: head.number, hash: head.hash };
  if (model.kind === 'slots') {
    // Count from the last head's slot start (its timestamp) when it is consistent with its
    // arrival, since the block arrives some way into its slot; else from its arrival.
    const sinceSlotStartMs = head ? chain.nowMs - head.timestamp * 1000 : Number.NaN;
    const fromSlot = sinceSlotStartMs >= stalledForMs && sinceSlotStartMs < stalledForMs + model.slotMs;
    signal.missedSlots = Math.max(
      0,
      Math.floor((fromSlot ? sinceSlotStartMs : stalledForMs) / model.slotMs) - 1,
    );
  }
  // Backed by the nodes on the canonical branch; when no node is counted at all, every node has
  // gone silent and nothing contradicts the halt.
  // Every location sees the halt: a location that saw progress would have advanced the head.
  if (chain.quorum.healthyNodes > 0)
    markBacking(chain, signal, { nodes: chain.quorum.supportNodes, locations: chain.locations.length });
  return raiseCondition(chain, 'liveness', signal) as LivenessSignal | undefined;
}

/** `95 s`, `12 min`, `3.4 h`. */
export function formatDuration(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
