import type { ContagionGraph } from './contagionGraph.ts';
import { RiskError } from './riskError.ts';
import { toFailureLosses } from './toFailureLosses.ts';

/** A holding: signed value in USD of an asset (long positive, short negative). */
export type Holding = { asset: string; valueUsd: number };

export type ChainExposure = {
  /** The failure source: a chain, bridge, sequencer or issuer. */
  source: string;
  kind: string;
  /** Σ |valueUsd| of holdings whose asset loses anything when `source` fails. */
  exposedUsd: number;
  /** Σ valueUsd × loss fraction: what the holdings lose when `source` fails (negative: a gain). */
  lossGivenFailureUsd: number;
};

/**
 * Value exposed to each failure source of the graph, largest loss first. Sources to which
 * nothing is exposed are left out.
 *
 * @throws {RiskError} `unknown_reference` for an asset that is not a node of the graph.
 */
export function exposure(graph: ContagionGraph, portfolio: readonly Holding[]): ChainExposure[] {
  for (const [index, holding] of portfolio.entries()) {
    if (!graph.nodes.has(holding.asset)) {
      throw new RiskError('unknown_reference', `asset "${holding.asset}" is not in the contagion graph`, {
        field: `portfolio.${index}.asset`,
        value: holding.asset,
      });
    }
  }
  const result: ChainExposure[] = [];
  for (const source of graph.sources) {
    const losses = toFailureLosses(graph, source);
    let exposedUsd = 0;
    let lossGivenFailureUsd = 0;
    for (const holding of portfolio) {
      const loss = losses.get(holding.asset) ?? 0;
      if (loss <= 0) continue;
      exposedUsd += Math.abs(holding.valueUsd);
      lossGivenFailureUsd += holding.valueUsd * loss;
    }
    if (exposedUsd > 0) {
      result.push({
        source,
        kind: graph.nodes.get(source)?.kind ?? 'chain',
        exposedUsd,
        lossGivenFailureUsd,
      });
    }
  }
  return result.sort(
    (a, b) => b.lossGivenFailureUsd - a.lossGivenFailureUsd || a.source.localeCompare(b.source),
  );
}
