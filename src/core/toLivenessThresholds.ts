import type { ChainParams } from './params.ts';

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
  // A run asks for one chain's thresholds again and again: the last answer is at hand.
  if (params === last.params) return last.thresholds;
  let thresholds = thresholdCache.get(params);
  if (!thresholds) {
    thresholds = computeThresholds(params);
    thresholdCache.set(params, thresholds);
  }
  last.params = params;
  last.thresholds = thresholds;
  return thresholds;
}

const thresholdCache = new WeakMap<ChainParams, { warningMs: number; criticalMs: number }>();
const last: { params: ChainParams | undefined; thresholds: { warningMs: number; criticalMs: number } } = {
  params: undefined,
  thresholds: { warningMs: 0, criticalMs: 0 },
};

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
