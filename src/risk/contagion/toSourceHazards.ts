import type { Level } from '../../breaker/levels.ts';
import type { Signal } from '../../core/signal.ts';
import { hazardPerYear, toDefaultBaseRates } from '../hazard/hazardPerYear.ts';
import { cumulativeHazard } from '../pricing/cumulativeHazard.ts';
import type { ContagionGraph } from './contagionGraph.ts';
import { assertInRange } from './riskError.ts';

/** Live state of one chain (or bridge, sequencer, issuer): breaker level and active signals. */
export type SourceStatus = {
  level?: Level;
  signals?: readonly Signal[];
  /** Overrides the base rate, failures per year. */
  basePerYear?: number;
  /**
   * Overrides the recovery of the source's native token (the price ratio after a failure); default
   * the calibrated class mix built into the graph (docs/hazard.md, "Severity").
   */
  recoveryFraction?: number;
};

/** Live state by node id (`ethereum`, `arbitrum-sequencer`, ...). Absent nodes are `normal`. */
export type RiskStatus = Readonly<Record<string, SourceStatus>>;

export type SourceHazard = {
  source: string;
  /** Failures per year: `basePerYear × liveMultiplier` (docs/hazard.md). */
  hazardPerYear: number;
  basePerYear: number;
  liveMultiplier: number;
  level: Level;
  /** Long-run hazard the raised intensity decays toward, and its half-life (docs/hazard.md). */
  longRunPerYear: number;
  halfLifeYears: number;
  /** `post_event`: the failure is under way (a safety signal, or `halt` and above). */
  state: 'pre_event' | 'post_event';
  /** 1 - the status's `recoveryFraction`, when given: the severity of native edges on the source. */
  nativeSeverity?: number;
};

/**
 * Expected failures of a source within `years`: the integral of its decaying intensity,
 * Lambda(t) = longRun t + (hazard - longRun) (1 - e^{-k t}) / k, k = ln 2 / halfLife.
 */
export function toExpectedFailures(hazard: SourceHazard, years: number): number {
  return cumulativeHazard(
    hazard.longRunPerYear,
    { initialPerYear: hazard.hazardPerYear, halfLifeYears: hazard.halfLifeYears },
    years,
    new Float64Array(2),
  )[1] as number;
}

/**
 * Hazard of every failure source of the graph. Base rate, in order: `status[id].basePerYear`, the
 * shipped incident table (`toDefaultBaseRates`), the node's own `hazardPerYear`, else 0. The live
 * multiplier comes from the status's signals and breaker level (`toLiveMultiplier`); the raised
 * intensity decays toward the base with the half-life of what raised it (`curve` of `hazardPerYear`).
 */
export function toSourceHazards(graph: ContagionGraph, status: RiskStatus = {}): Map<string, SourceHazard> {
  const table = toDefaultBaseRates();
  const result = new Map<string, SourceHazard>();
  for (const source of graph.sources) {
    const own = status[source];
    const basePerYear =
      own?.basePerYear ?? table[source]?.ratePerYear ?? graph.nodes.get(source)?.hazardPerYear ?? 0;
    const live: { level?: Level; signals?: readonly Signal[] } = {};
    if (own?.level !== undefined) live.level = own.level;
    if (own?.signals !== undefined) live.signals = own.signals;
    const hazard = hazardPerYear({ chain: source, basePerYear, live });
    const entry: SourceHazard = {
      source,
      hazardPerYear: hazard.hazardPerYear,
      basePerYear,
      liveMultiplier: hazard.liveMultiplier,
      level: own?.level ?? 'normal',
      longRunPerYear: hazard.curve.longRunPerYear,
      halfLifeYears: hazard.curve.halfLifeYears,
      state: hazard.state,
    };
    if (own?.recoveryFraction !== undefined) {
      assertInRange(own.recoveryFraction, `status.${source}.recoveryFraction`, 0, 1);
      entry.nativeSeverity = 1 - own.recoveryFraction;
    }
    result.set(source, entry);
  }
  return result;
}
