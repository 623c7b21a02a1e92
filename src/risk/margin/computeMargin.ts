import type { ContagionGraph } from '../contagion/contagionGraph.ts';
import { defaultContagionGraph } from '../contagion/defaultContagionGraph.ts';
import { type ChainExposure, exposure, type Holding } from '../contagion/exposure.ts';
import { toFailureLosses } from '../contagion/toFailureLosses.ts';
import { type RiskStatus, type SourceHazard, toSourceHazards } from '../contagion/toSourceHazards.ts';
import type { FallbackMark } from '../oracle/toFallbackMark.ts';
import { assertMarginInputs } from './assertMarginInputs.ts';
import { computeCollateral } from './computeCollateral.ts';
import {
  computeFailureAddOn,
  type FailureScenario,
  type WorstFailureScenario,
} from './computeFailureAddOn.ts';
import { computeGridLoss } from './computeGridLoss.ts';
import { computeMarkAddOn } from './computeMarkAddOn.ts';
import { type MarginPolicy, type MarginPolicyOverrides, toMarginPolicy } from './marginPolicy.ts';
import type { Portfolio } from './portfolio.ts';
import { type AccountMargin, type AccountMarginTotals, toAccountMargins } from './toAccountMargins.ts';
import { toDeltaHoldings } from './toDeltaHoldings.ts';
import { toLiquidationPauses } from './toLiquidationPauses.ts';
import { toMarginBook } from './toMarginBook.ts';
import { toMarginMarkets } from './toMarginMarkets.ts';

export type ComputeMarginParameters = {
  portfolio: Portfolio;
  /** Live state per chain (breaker level, signals): raises the hazard and may pause liquidations. */
  status?: RiskStatus;
  /** Default: {@link defaultContagionGraph}. */
  graph?: ContagionGraph;
  policy?: MarginPolicyOverrides;
};

export type WorstScenario =
  | { kind: 'grid'; priceMove: number; volShift: number; lossUsd: number }
  | WorstFailureScenario;

export type ComputeMarginReturnType = {
  accounts: AccountMargin[];
  totals: AccountMarginTotals;
  /** The mark of every asset whose oracle is unobservable, and which fallback gave it. */
  marks: Array<{ asset: string } & FallbackMark>;
  /** Ids of accounts whose equity is below maintenance margin. */
  liquidations: string[];
  /** Of those, the ones whose liquidation the breaker pauses. */
  pausedLiquidations: string[];
  /** Value exposed to each failure source, from delta-equivalent notionals. */
  exposures: ChainExposure[];
  /** Delta-equivalent value per asset of the graph, USD (spot, perpetual notional, option delta × spot). */
  holdings: Holding[];
  /** The portfolio's worst scenario: every account in it at once. */
  worstScenario: WorstScenario;
  failureScenarios: FailureScenario[];
  hazards: SourceHazard[];
  scenarioCount: number;
  positionCount: number;
  policy: MarginPolicy;
};

/**
 * Portfolio margin (docs/risk.md, "Margin"). For each account:
 *
 *   gridLoss   = Σ over underlyings u of max(0, -min over grid scenarios k of PnL_u(k))
 *   addOn      = Σ over failure sources s of min(1, p_s / tail) × max(0, -PnL(s))
 *   IM         = gridLoss + markAddOn + addOn,   MM = maintenanceRatio × IM
 *   equity     = Σ spot value × (1 - haircut) - concentration charge + Σ option mark value
 *   liquidate  = equity < MM
 *
 * A grid scenario moves every non-stable price by `priceMove` and every volatility by
 * `volShift`; options are repriced with Black-Scholes-Merton in batches. A failure scenario moves
 * each asset to `price × (1 - loss)` with the graph's loss fraction, adds `failureVolShift` to the
 * volatility of every asset the failure reaches, and caps at zero the gain of every position whose
 * settlement chain the failure reaches (settlement frozen). `p_s = 1 - exp(-Lambda_s)`, Lambda_s the
 * expected failures within the horizon of the decaying hazard from the status (1 when under way).
 *
 * @throws {RiskError} `invalid_input` for a malformed portfolio or policy, `unknown_reference` for
 *   a position on an asset without market data.
 */
export function computeMargin(parameters: ComputeMarginParameters): ComputeMarginReturnType {
  const policy = toMarginPolicy(parameters.policy);
  const graph = parameters.graph ?? defaultContagionGraph();
  const { portfolio } = parameters;
  const rate = portfolio.rate ?? 0;
  assertMarginInputs(rate, policy);
  const hazards = toSourceHazards(graph, parameters.status);
  const sourceLosses = graph.sources.map((source) =>
    toFailureLosses(graph, source, hazards.get(source)?.nativeSeverity),
  );
  const markets = toMarginMarkets(portfolio, sourceLosses);
  const book = toMarginBook(portfolio, markets, graph, rate);

  const grid = computeGridLoss(book, policy);
  const markAddOn = computeMarkAddOn(book);
  const failure = computeFailureAddOn(book, graph, hazards, sourceLosses, policy);
  const collateral = computeCollateral(book, portfolio, graph, sourceLosses, policy);
  const pausedBy = toLiquidationPauses(book, graph, hazards, sourceLosses, policy);
  const margins = toAccountMargins(portfolio.accounts, graph.sources, policy.maintenanceRatio, {
    gridLoss: grid.gridLoss,
    markAddOn,
    failure,
    collateral,
    pausedBy,
  });
  const holdings = toDeltaHoldings(book, graph);

  const gridWorst: WorstScenario = { kind: 'grid', ...grid.worst, lossUsd: Math.max(0, grid.worst.lossUsd) };
  const { worstFailure } = failure;
  const worstScenario: WorstScenario =
    worstFailure && worstFailure.weightedLossUsd > gridWorst.lossUsd ? worstFailure : gridWorst;
  return {
    ...margins,
    exposures: exposure(graph, holdings),
    holdings,
    worstScenario,
    failureScenarios: failure.failureScenarios,
    marks: markets.marks,
    hazards: [...hazards.values()],
    scenarioCount: grid.scenarioCount + failure.failureScenarios.length,
    positionCount: book.options.n + book.linear.n,
    policy,
  };
}
