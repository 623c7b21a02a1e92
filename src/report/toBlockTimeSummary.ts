import type { ChainParams } from '../core/params.ts';
import { toLivenessThresholds } from '../core/toLivenessThresholds.ts';
import type { BlockTimeSummary } from './reportData.ts';

/** The chain's block-time model with the liveness thresholds the engine judges silence by. */
export function toBlockTimeSummary(params: ChainParams): BlockTimeSummary {
  const { warningMs, criticalMs } = toLivenessThresholds(params);
  const model = params.blockTime;
  return {
    kind: model.kind,
    meanMs: model.kind === 'slots' ? model.slotMs : model.meanBlockMs,
    warningMs,
    criticalMs,
  };
}
