import type { ChainState } from '../core/chainView.ts';
import type { ChainParams } from '../core/params.ts';
import type { LivenessSignal, Severity } from '../core/signal.ts';
import { clearCondition, raiseCondition } from './conditions.ts';

/**
 * Liveness thresholds from the chain's block-time model, in milliseconds.
 * - Slots (proof of stake): `warning` after `maxMissedSlots` consecutive missed slots plus half a
 *   slot of propagation, `(maxMissedSlots + 1.5) * slotMs`; `critical` (a chain halt) after
 *   `criticalMissedSlots * slotMs`. Ethereum: 54 s and 384 s; devnet: 4.5 s and 8 s.
 * - Exponential arrivals (proof of work): a gap longer than t has probability exp(-t / mean), so
 *   the threshold for a false-alarm probability p is `mean * ln(1 / p)`. Bitcoin with p = 1e-6
 *   and 1e-9: 2.30 h and 3.45 h.
 */
export function toLivenessThresholds(params: ChainParams): { warningMs: number; criticalMs: number } {
  const cached = thresholdCache.get(params);
  if (cached) return cached;
  const thresholds = computeThresholds(params);
  thresholdCache.set(params, thresholds);
  return thresholds;
}

const thresholdCache = new WeakMap<ChainParams, { warningMs: number; criticalMs: number }>();

function computeThresholds(params: ChainParams): { warningMs: number; criticalMs: number } {
  const model = params.blockTime;
  if (model.kind === 'slots') {
    return {
      warningMs: (params.liveness.maxMissedSlots + 1.5) * model.slotMs,
      criticalMs:
        Math.max(params.liveness.criticalMissedSlots, params.liveness.maxMissedSlots + 2) * model.slotMs,
    };
  }
  return {
    warningMs: model.meanBlockMs * Math.log(1 / params.liveness.warningFalseAlarm),
    criticalMs: model.meanBlockMs * Math.log(1 / params.liveness.criticalFalseAlarm),
  };
}

/**
 * Liveness detector: time since the canonical head last advanced, judged against
 * {@link toLivenessThresholds}. A stuck node while others advance does not stall the canonical
 * head, so it is node lag, not a chain halt. Raised as the condition `liveness`, cleared by the
 * next canonical head.
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
  return raiseCondition(chain, 'liveness', signal) as LivenessSignal | undefined;
}

/** `95 s`, `12 min`, `3.4 h`. */
export function formatDuration(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
