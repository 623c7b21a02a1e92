import type { SignalKind } from '../../core/signal.ts';
import type { ToLiveMultiplierReturnType } from './toLiveMultiplier.ts';

/**
 * Days for a raised hazard's excess over the base rate to halve, by the signal kind that raised it
 * (docs/hazard.md, "Term structure"). What a signal announces passes at the pace of the incidents it
 * precedes: Solana's halts and the Ethereum finality incidents were over within hours to a day or
 * two, node lag and latency within hours; a finality stall or a split that lasts points to a longer
 * repair. A raised breaker level without a signal (the recovery grace period) halves in a day.
 */
export const DEFAULT_HALF_LIFE_DAYS: Readonly<Record<SignalKind | 'level', number>> = Object.freeze({
  reorg: 1,
  liveness: 2,
  finality: 3,
  divergence: 3,
  integrity: 1,
  lag: 0.25,
  latency: 0.25,
  quorum: 1,
  monitor_partition: 0.25,
  level: 1,
});

/** The half-life, in years, of the live multiplier's excess: that of its driver signal, else of the level. */
export function toHalfLifeYears(live: ToLiveMultiplierReturnType): number {
  const kind = live.driver && live.signalFactor >= live.levelFactor ? live.driver.kind : 'level';
  return DEFAULT_HALF_LIFE_DAYS[kind] / 365;
}
