import type { ContagionGraph } from '../contagion/contagionGraph.ts';
import type { RiskStatus } from '../contagion/toSourceHazards.ts';
import { type CoverPolicy, type PriceCoverReturnType, priceCover } from '../cover/priceCover.ts';
import { type ComputeMarginReturnType, computeMargin } from './computeMargin.ts';
import type { MarginPolicyOverrides } from './marginPolicy.ts';
import type { Portfolio } from './portfolio.ts';

export type VenueCoverParameters = {
  policies: readonly CoverPolicy[];
  capitalUsd: number;
  /** Default 365. */
  horizonDays?: number;
  /** Default 100 000. */
  paths?: number;
  /** Default 1. */
  seed?: number;
  costOfCapital?: number;
  confidence?: number;
};

export type AssessVenueRiskParameters = {
  portfolio: Portfolio;
  policy?: MarginPolicyOverrides;
  status?: RiskStatus;
  graph?: ContagionGraph;
  /**
   * The pool to price. Default: one policy per asset covering the portfolio's positive
   * loss given failure, i.e. the venue insuring its own book, with capital equal to its equity.
   */
  cover?: VenueCoverParameters;
};

export type AssessVenueRiskReturnType = {
  margin: ComputeMarginReturnType;
  cover: PriceCoverReturnType;
  /**
   * Jump-to-default P&L of the book per failure source, if it failed now (docs/risk.md, "Jump to
   * default"), worst first; `worst` is the first entry.
   */
  jumpToDefault: {
    bySource: Array<{ source: string; pnlUsd: number }>;
    worst?: { source: string; pnlUsd: number };
  };
};

/**
 * Margin, exposures, the worst scenario and the cover price of a book in one call: what the
 * `risk` command prints. Without a `cover` section the pool covers the book's delta-equivalent
 * long holdings per asset for 365 days, with the book's equity as capital.
 */
export function assessVenueRisk(parameters: AssessVenueRiskParameters): AssessVenueRiskReturnType {
  const marginParameters: Parameters<typeof computeMargin>[0] = { portfolio: parameters.portfolio };
  if (parameters.policy) marginParameters.policy = parameters.policy;
  if (parameters.status) marginParameters.status = parameters.status;
  if (parameters.graph) marginParameters.graph = parameters.graph;
  const margin = computeMargin(marginParameters);
  const given = parameters.cover;
  const policies = given?.policies ?? defaultPolicies(margin, parameters.graph);
  const coverParameters: Parameters<typeof priceCover>[0] = {
    policies,
    horizonYears: (given?.horizonDays ?? 365) / 365,
    capitalUsd: given?.capitalUsd ?? Math.max(0, margin.totals.equityUsd),
    paths: given?.paths ?? 100_000,
    seed: given?.seed ?? 1,
  };
  if (given?.costOfCapital !== undefined) coverParameters.costOfCapital = given.costOfCapital;
  if (given?.confidence !== undefined) coverParameters.confidence = given.confidence;
  if (parameters.status) coverParameters.status = parameters.status;
  if (parameters.graph) coverParameters.graph = parameters.graph;
  const bySource = margin.failureScenarios
    .map((f) => ({ source: f.source, pnlUsd: f.jumpToDefaultPnlUsd }))
    .sort((a, b) => a.pnlUsd - b.pnlUsd);
  const jumpToDefault: AssessVenueRiskReturnType['jumpToDefault'] = { bySource };
  if (bySource[0]) jumpToDefault.worst = bySource[0];
  return { margin, cover: priceCover(coverParameters), jumpToDefault };
}

function defaultPolicies(margin: ComputeMarginReturnType, graph: ContagionGraph | undefined): CoverPolicy[] {
  return margin.holdings
    .filter((holding) => holding.valueUsd > 0 && (graph === undefined || graph.nodes.has(holding.asset)))
    .map((holding) => ({ asset: holding.asset, insuredUsd: holding.valueUsd }));
}
