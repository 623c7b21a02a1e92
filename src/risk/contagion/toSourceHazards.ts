import type { Level } from '../../breaker/levels.ts';
import type { Signal } from '../../core/signal.ts';
import { hazardPerYear, toDefaultBaseRates } from '../hazard/hazardPerYear.ts';
import type { ContagionGraph } from './contagionGraph.ts';

/** Live state of one chain (or bridge, sequencer, issuer): breaker level and active signals. */
export type SourceStatus = {
  level?: Level;
  signals?: readonly Signal[];
  /** Overrides the base rate, failures per year. */
  basePerYear?: number;
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
};

/**
 * Hazard of every failure source of the graph. Base rate, in order: `status[id].basePerYear`, the
 * shipped incident table (`toDefaultBaseRates`), the node's own `hazardPerYear`, else 0. The live
 * multiplier comes from the status's signals and breaker level (`toLiveMultiplier`).
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
    result.set(source, {
      source,
      hazardPerYear: hazard.hazardPerYear,
      basePerYear,
      liveMultiplier: hazard.liveMultiplier,
      level: own?.level ?? 'normal',
    });
  }
  return result;
}
