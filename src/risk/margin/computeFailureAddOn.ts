import type { ContagionGraph } from '../contagion/contagionGraph.ts';
import type { FailureLosses } from '../contagion/toFailureLosses.ts';
import { type SourceHazard, toExpectedFailures } from '../contagion/toSourceHazards.ts';
import { bsmPriceBatch } from '../pricing/batch.ts';
import type { MarginBook } from './marginBook.ts';
import type { MarginPolicy } from './marginPolicy.ts';

/** A consensus-failure scenario: one source fails and the loss propagates through the graph. */
export type FailureScenario = {
  source: string;
  hazardPerYear: number;
  /**
   * `1 - exp(-Lambda(horizon))`, Lambda the integral of the decaying hazard over the horizon; 1 when
   * the failure is under way (`post_event`).
   */
  probability: number;
  /** `min(1, probability / tailProbability)`: how much of the loss the margin holds. */
  weight: number;
  /**
   * Jump-to-default P&L of the whole book if this source failed now: every asset at its recovery
   * level, volatility raised by `failureVolShift`, gains on frozen settlement chains capped at 0.
   */
  jumpToDefaultPnlUsd: number;
};

/** The failure scenario with the largest weighted loss of the whole portfolio. */
export type WorstFailureScenario = {
  kind: 'failure';
  source: string;
  weight: number;
  lossUsd: number;
  weightedLossUsd: number;
};

export type FailureAddOn = {
  /** The scenarios of the sources whose failure reaches an asset of the portfolio. */
  failureScenarios: FailureScenario[];
  /** Per account: Σ over failure sources of weight × max(0, loss). */
  addOn: Float64Array;
  /** Per account: the source index of its largest weighted loss, -1 when none. */
  worstSource: Int32Array;
  /** Per account: that weighted loss, and the loss it weighs. */
  worstWeightedLoss: Float64Array;
  worstLoss: Float64Array;
  /** Per account: its P&L if each source that reaches it failed now. */
  jumpToDefault: Array<Array<{ source: string; pnlUsd: number }>>;
  worstFailure: WorstFailureScenario | undefined;
};

/** Smallest spot in a failure scenario: a loss of 100% leaves a price the pricer accepts. */
const MIN_SPOT_FRACTION = 1e-9;

/**
 * Consensus-failure scenarios (when the policy has them): each source's failure moves every asset
 * to `price × (1 - loss)`, adds `failureVolShift` to the volatility of every asset it reaches and
 * caps at zero the gain of every position whose settlement chain it reaches (settlement frozen).
 * `p_s = 1 - exp(-Lambda_s)`, Lambda_s the expected failures within the horizon of the decaying
 * hazard (1 when under way); the loss counts at `min(1, p_s / tailProbability)`.
 */
export function computeFailureAddOn(
  book: MarginBook,
  graph: ContagionGraph,
  hazards: ReadonlyMap<string, SourceHazard>,
  sourceLosses: readonly FailureLosses[],
  policy: MarginPolicy,
): FailureAddOn {
  const { nAccounts } = book;
  const result: FailureAddOn = {
    failureScenarios: [],
    addOn: new Float64Array(nAccounts),
    worstSource: new Int32Array(nAccounts).fill(-1),
    worstWeightedLoss: new Float64Array(nAccounts),
    worstLoss: new Float64Array(nAccounts),
    jumpToDefault: Array.from({ length: nAccounts }, () => []),
    worstFailure: undefined,
  };
  if (!policy.failureScenarios) return result;
  const horizonYears = policy.horizonDays / 365;
  const scratch = {
    accountLoss: new Float64Array(nAccounts),
    assetLoss: new Float64Array(book.nAssets),
    nodeLoss: new Float64Array(book.nodeNames.length),
    value: new Float64Array(book.options.n),
  };
  for (const [s, source] of graph.sources.entries()) {
    const hazard = hazards.get(source)!;
    const losses = sourceLosses[s]!;
    let touches = false;
    for (const [i, name] of book.markets.names.entries()) {
      scratch.assetLoss[i] = losses.get(name) ?? 0;
      if (scratch.assetLoss[i]! > 0) touches = true;
    }
    if (!touches) continue;
    for (const [i, name] of book.nodeNames.entries()) scratch.nodeLoss[i] = losses.get(name) ?? 0;
    const probability =
      hazard.state === 'post_event' ? 1 : -Math.expm1(-toExpectedFailures(hazard, horizonYears));
    const weight = Math.min(1, probability / policy.tailProbability);
    const scenario: FailureScenario = {
      source,
      hazardPerYear: hazard.hazardPerYear,
      probability,
      weight,
      jumpToDefaultPnlUsd: 0,
    };
    result.failureScenarios.push(scenario);
    toAccountLosses(book, policy, scratch);
    let total = 0;
    let weightedTotal = 0;
    for (let a = 0; a < nAccounts; a++) {
      const loss = scratch.accountLoss[a]!;
      if (loss !== 0) result.jumpToDefault[a]!.push({ source, pnlUsd: -loss });
      total += loss;
      const weighted = loss > 0 ? weight * loss : 0;
      weightedTotal += weighted;
      // Sources fail independently: their weighted losses add (docs/risk.md, "Margin").
      result.addOn[a]! += weighted;
      if (weighted > result.worstWeightedLoss[a]!) {
        result.worstWeightedLoss[a] = weighted;
        result.worstSource[a] = s;
        result.worstLoss[a] = loss;
      }
    }
    scenario.jumpToDefaultPnlUsd = -total;
    if (result.worstFailure === undefined || weightedTotal > result.worstFailure.weightedLossUsd) {
      result.worstFailure = {
        kind: 'failure',
        source,
        weight,
        lossUsd: total,
        weightedLossUsd: weightedTotal,
      };
    }
  }
  return result;
}

/** Fills `accountLoss` with each account's loss if the failure with these asset and node losses
 * happened now. */
function toAccountLosses(
  book: MarginBook,
  policy: MarginPolicy,
  scratch: {
    accountLoss: Float64Array;
    assetLoss: Float64Array;
    nodeLoss: Float64Array;
    value: Float64Array;
  },
): void {
  const { options, linear } = book;
  const { accountLoss, assetLoss, nodeLoss, value } = scratch;
  const baseValue = book.base.price;
  for (let i = 0; i < options.n; i++) {
    const loss = assetLoss[options.asset[i]!]!;
    options.input.spot[i] = options.baseSpot[i]! * Math.max(1 - loss, MIN_SPOT_FRACTION);
    options.input.volAnnual[i] =
      loss > 0 ? options.baseVol[i]! + policy.failureVolShift : options.baseVol[i]!;
  }
  bsmPriceBatch(options.input, value);
  accountLoss.fill(0);
  for (let i = 0; i < options.n; i++) {
    let pnl = options.quantity[i]! * (value[i]! - baseValue[i]!);
    const settle = options.settlement[i]!;
    if (pnl > 0 && settle >= 0 && nodeLoss[settle]! > 0) pnl = 0;
    accountLoss[options.account[i]!]! -= pnl;
  }
  for (let i = 0; i < linear.n; i++) {
    let pnl = -linear.notional[i]! * assetLoss[linear.asset[i]!]!;
    const settle = linear.settlement[i]!;
    if (pnl > 0 && settle >= 0 && nodeLoss[settle]! > 0) pnl = 0;
    accountLoss[linear.account[i]!]! -= pnl;
  }
}
