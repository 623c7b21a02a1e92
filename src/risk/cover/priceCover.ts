import type { ContagionGraph } from '../contagion/contagionGraph.ts';
import { defaultContagionGraph } from '../contagion/defaultContagionGraph.ts';
import { assertInRange, RiskError } from '../contagion/riskError.ts';
import { toFailureLosses } from '../contagion/toFailureLosses.ts';
import { type RiskStatus, toExpectedFailures, toSourceHazards } from '../contagion/toSourceHazards.ts';
import { simulateLosses } from './simulateLosses.ts';

/** One policy of the pool: pays `insuredUsd` × the asset's loss fraction at each failure reaching it. */
export type CoverPolicy = { id?: string; asset: string; insuredUsd: number };

export type PriceCoverParameters = {
  policies: readonly CoverPolicy[];
  /** Default: {@link defaultContagionGraph}. */
  graph?: ContagionGraph;
  /** Live state per source: hazards from `toSourceHazards`. */
  status?: RiskStatus;
  /** Hazard per source per year, overriding the status-derived ones. */
  hazards?: Readonly<Record<string, number>>;
  /** Cover period, years. */
  horizonYears: number;
  /** The pool's capital at the start, USD. */
  capitalUsd: number;
  /** Monte Carlo paths. Default 100 000. */
  paths?: number;
  /** PRNG seed (src/sim/prng.ts, stream `cover`). Default 1. */
  seed?: number;
  /** Quantile of the value at risk and tail value at risk. Default 0.99. */
  confidence?: number;
  /** Price of the capital held against the tail, per unit of capital per year. Default 0.1. */
  costOfCapital?: number;
};

export type CoverSource = {
  source: string;
  hazardPerYear: number;
  /** Σ over policies of insuredUsd × the asset's loss fraction when this source fails first. */
  lossGivenFailureUsd: number;
  /** Failures expected within the horizon: the integral of the (decaying) hazard. */
  expectedFailures: number;
  /** expectedFailures × lossGivenFailureUsd: this source's payout if no cap applied. */
  expectedLossUsd: number;
};

export type PriceCoverReturnType = {
  sources: CoverSource[];
  insuredUsd: number;
  /** Closed form with the cap: Σ_p insured_p (1 - exp(-Σ_s Lambda_s loss(p | s))). */
  expectedLossUsd: number;
  monteCarlo: {
    paths: number;
    seed: number;
    meanLossUsd: number;
    /** Standard error of `meanLossUsd`: stdDev / sqrt(paths). */
    standardErrorUsd: number;
    stdDevUsd: number;
    valueAtRiskUsd: number;
    tailValueAtRiskUsd: number;
    /** Share of paths whose loss exceeds capital plus premium. */
    ruinProbability: number;
    /** sqrt(p (1 - p) / paths). */
    ruinStandardError: number;
  };
  /** costOfCapital × horizonYears × max(0, TVaR - expected loss). */
  riskLoadUsd: number;
  premiumUsd: number;
  /** premiumUsd / insuredUsd over the period. */
  premiumRate: number;
  capitalUsd: number;
  horizonYears: number;
};

/** Largest Poisson mean accepted per source and path (exp(-mean) stays a normal double). */
const MAX_POISSON_MEAN = 500;

/**
 * Prices consensus-failure cover for a pool (docs/risk.md, "Cover").
 *
 * Each failure source s of the graph fails as a Poisson process whose intensity decays from its
 * live value toward its base (Lambda_s = the expected failures within T); a failure takes
 * `loss(asset | s)` (the contagion graph's fraction) of what each policy on a dependent asset has
 * left, so one failure hits every policy depending on it at once (the correlation), a later failure
 * applies to what is left, and no policy pays more than its insured amount:
 *
 *   paid_p = insured_p (1 - Π_s (1 - loss(p | s))^{N_s}),  N_s ~ Poisson(Lambda_s)
 *   E[L] = Σ_p insured_p (1 - exp(-Σ_s Lambda_s loss(p | s)))     (closed form, Poisson pgf)
 *   premium = E[L] + costOfCapital × T × max(0, TVaR_q(L) - E[L])   (capital priced per year)
 *   ruin = P(L > capital + premium)                                 (premium received up front)
 *
 * VaR, TVaR and ruin come from `paths` seeded Monte Carlo paths.
 *
 * @throws {RiskError} `invalid_input` for bad numbers, `unknown_reference` for an asset outside
 *   the graph.
 */
export function priceCover(parameters: PriceCoverParameters): PriceCoverReturnType {
  const graph = parameters.graph ?? defaultContagionGraph();
  const paths = parameters.paths ?? 100_000;
  const seed = parameters.seed ?? 1;
  const confidence = parameters.confidence ?? 0.99;
  const costOfCapital = parameters.costOfCapital ?? 0.1;
  const T = parameters.horizonYears;
  assertInRange(T, 'horizonYears', 0, 100);
  assertInRange(parameters.capitalUsd, 'capitalUsd', 0, Number.MAX_VALUE);
  assertInRange(confidence, 'confidence', 0, 1);
  assertInRange(costOfCapital, 'costOfCapital', 0, 1);
  if (!Number.isInteger(paths) || paths < 2) {
    throw new RiskError('invalid_input', `paths must be an integer >= 2, got ${paths}`, {
      field: 'paths',
      value: paths,
    });
  }
  let insuredUsd = 0;
  for (const [i, policy] of parameters.policies.entries()) {
    assertInRange(policy.insuredUsd, `policies.${i}.insuredUsd`, 0, Number.MAX_VALUE);
    if (!graph.nodes.has(policy.asset)) {
      throw new RiskError('unknown_reference', `asset "${policy.asset}" is not in the contagion graph`, {
        field: `policies.${i}.asset`,
        value: policy.asset,
      });
    }
    insuredUsd += policy.insuredUsd;
  }
  const statusHazards = toSourceHazards(graph, parameters.status);
  const sources: CoverSource[] = [];
  const fractions: number[][] = [];
  for (const source of graph.sources) {
    const status = statusHazards.get(source);
    const losses = toFailureLosses(graph, source, status?.nativeSeverity);
    const policyLoss = parameters.policies.map((policy) => losses.get(policy.asset) ?? 0);
    let lossGivenFailureUsd = 0;
    for (const [i, policy] of parameters.policies.entries())
      lossGivenFailureUsd += policy.insuredUsd * policyLoss[i]!;
    if (lossGivenFailureUsd <= 0) continue;
    const given = parameters.hazards?.[source];
    const hazardPerYear = given ?? status?.hazardPerYear ?? 0;
    assertInRange(hazardPerYear, `hazards.${source}`, 0, Number.MAX_VALUE);
    // An explicit hazard is flat; a status hazard decays toward its base.
    const expectedFailures =
      given !== undefined || !status ? hazardPerYear * T : toExpectedFailures(status, T);
    sources.push({
      source,
      hazardPerYear,
      lossGivenFailureUsd,
      expectedFailures,
      expectedLossUsd: expectedFailures * lossGivenFailureUsd,
    });
    fractions.push(policyLoss);
  }
  let expectedLossUsd = 0;
  for (const [p, policy] of parameters.policies.entries()) {
    let exponent = 0;
    for (const [s, source] of sources.entries()) exponent += source.expectedFailures * fractions[s]![p]!;
    expectedLossUsd += policy.insuredUsd * -Math.expm1(-exponent);
  }

  const activeIndex = sources.flatMap((s, i) => (s.expectedFailures > 0 ? [i] : []));
  const means = activeIndex.map((i) => sources[i]!.expectedFailures);
  for (const [k, mean] of means.entries()) {
    if (mean > MAX_POISSON_MEAN) {
      const source = sources[activeIndex[k]!]!.source;
      throw new RiskError(
        'invalid_input',
        `hazard × horizon of ${source} is ${mean}, above ${MAX_POISSON_MEAN}`,
        {
          field: `hazards.${source}`,
          value: mean,
        },
      );
    }
  }
  const losses = simulateLosses(
    means,
    parameters.policies.map((policy) => policy.insuredUsd),
    parameters.policies.map((_, p) => activeIndex.map((i) => fractions[i]![p]!)),
    paths,
    seed,
  );
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < paths; i++) {
    const loss = losses[i]!;
    sum += loss;
    sumSquares += loss * loss;
  }
  const meanLossUsd = sum / paths;
  const variance = Math.max(0, (sumSquares - paths * meanLossUsd * meanLossUsd) / (paths - 1));
  const stdDevUsd = Math.sqrt(variance);
  losses.sort();
  const tailStart = Math.min(paths - 1, Math.floor(confidence * paths));
  const valueAtRiskUsd = losses[tailStart]!;
  let tailSum = 0;
  for (let i = tailStart; i < paths; i++) tailSum += losses[i]!;
  const tailValueAtRiskUsd = tailSum / (paths - tailStart);
  const riskLoadUsd = costOfCapital * T * Math.max(0, tailValueAtRiskUsd - expectedLossUsd);
  const premiumUsd = expectedLossUsd + riskLoadUsd;
  const threshold = parameters.capitalUsd + premiumUsd;
  let ruined = 0;
  for (let i = paths - 1; i >= 0 && losses[i]! > threshold; i--) ruined += 1;
  const ruinProbability = ruined / paths;
  return {
    sources,
    insuredUsd,
    expectedLossUsd,
    monteCarlo: {
      paths,
      seed,
      meanLossUsd,
      standardErrorUsd: stdDevUsd / Math.sqrt(paths),
      stdDevUsd,
      valueAtRiskUsd,
      tailValueAtRiskUsd,
      ruinProbability,
      ruinStandardError: Math.sqrt((ruinProbability * (1 - ruinProbability)) / paths),
    },
    riskLoadUsd,
    premiumUsd,
    premiumRate: insuredUsd > 0 ? premiumUsd / insuredUsd : 0,
    capitalUsd: parameters.capitalUsd,
    horizonYears: T,
  };
}
