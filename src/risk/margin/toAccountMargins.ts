import type { Collateral } from './computeCollateral.ts';
import type { FailureAddOn } from './computeFailureAddOn.ts';
import type { MarginAccount } from './portfolio.ts';

export type AccountMargin = {
  id: string;
  /** Collateral after haircuts and the concentration charge, plus the options' mark value. */
  equityUsd: number;
  collateralUsd: number;
  haircutUsd: number;
  concentrationChargeUsd: number;
  optionValueUsd: number;
  /** Σ over underlyings of the worst grid loss of the account's positions on that underlying. */
  gridLossUsd: number;
  /** Worse end of the fallback band of unobservable assets (docs/risk.md, "Marks when unobservable"). */
  markAddOnUsd: number;
  /** Σ over failure sources of weight × max(0, loss). */
  consensusAddOnUsd: number;
  /** The failure with the largest weighted loss, when there is one. */
  worstFailure?: { source: string; lossUsd: number; weight: number };
  /** The account's P&L if each source that reaches it failed now (see {@link FailureScenario}). */
  jumpToDefault: Array<{ source: string; pnlUsd: number }>;
  initialMarginUsd: number;
  maintenanceMarginUsd: number;
  /** `equityUsd - initialMarginUsd`. */
  excessUsd: number;
  /** Equity below maintenance margin. */
  liquidate: boolean;
  /** A source the account depends on is at or above `pauseLiquidationsAtLevel`. */
  liquidationPaused: boolean;
  /** Sources at or above that level, when paused. */
  pausedBy: string[];
};

export type AccountMarginTotals = {
  equityUsd: number;
  initialMarginUsd: number;
  maintenanceMarginUsd: number;
  gridLossUsd: number;
  markAddOnUsd: number;
  consensusAddOnUsd: number;
};

/** Each phase's figures per account, by account index. */
export type AccountMarginParts = {
  gridLoss: Float64Array;
  markAddOn: Float64Array;
  failure: FailureAddOn;
  collateral: Collateral;
  pausedBy: string[][];
};

/**
 * Initial and maintenance margin, equity and liquidation of every account, and their totals:
 * `IM = gridLoss + markAddOn + consensusAddOn`, `MM = maintenanceRatio × IM`, liquidate when
 * equity is below MM. `sources` are the graph's failure sources, which `failure` indexes.
 */
export function toAccountMargins(
  accounts: readonly MarginAccount[],
  sources: readonly string[],
  maintenanceRatio: number,
  parts: AccountMarginParts,
): {
  accounts: AccountMargin[];
  totals: AccountMarginTotals;
  liquidations: string[];
  pausedLiquidations: string[];
} {
  const { gridLoss, markAddOn, failure, collateral, pausedBy } = parts;
  const results: AccountMargin[] = [];
  const totals = {
    equityUsd: 0,
    initialMarginUsd: 0,
    maintenanceMarginUsd: 0,
    gridLossUsd: 0,
    markAddOnUsd: 0,
    consensusAddOnUsd: 0,
  };
  const liquidations: string[] = [];
  const pausedLiquidations: string[] = [];
  for (const [a, account] of accounts.entries()) {
    const equityUsd =
      collateral.collateral[a]! -
      collateral.haircutUsd[a]! -
      collateral.concentration[a]! +
      collateral.optionValue[a]!;
    const initialMarginUsd = gridLoss[a]! + markAddOn[a]! + failure.addOn[a]!;
    const maintenanceMarginUsd = maintenanceRatio * initialMarginUsd;
    const liquidate = equityUsd < maintenanceMarginUsd;
    const paused = pausedBy[a]!;
    const result: AccountMargin = {
      id: account.id,
      equityUsd,
      collateralUsd: collateral.collateral[a]!,
      haircutUsd: collateral.haircutUsd[a]!,
      concentrationChargeUsd: collateral.concentration[a]!,
      optionValueUsd: collateral.optionValue[a]!,
      gridLossUsd: gridLoss[a]!,
      markAddOnUsd: markAddOn[a]!,
      consensusAddOnUsd: failure.addOn[a]!,
      initialMarginUsd,
      maintenanceMarginUsd,
      excessUsd: equityUsd - initialMarginUsd,
      liquidate,
      liquidationPaused: paused.length > 0,
      pausedBy: paused,
      jumpToDefault: failure.jumpToDefault[a]!,
    };
    if (failure.worstSource[a]! >= 0) {
      result.worstFailure = {
        source: sources[failure.worstSource[a]!]!,
        lossUsd: failure.worstLoss[a]!,
        weight: failure.worstWeightedLoss[a]! / failure.worstLoss[a]!,
      };
    }
    results.push(result);
    totals.equityUsd += equityUsd;
    totals.initialMarginUsd += initialMarginUsd;
    totals.maintenanceMarginUsd += maintenanceMarginUsd;
    totals.gridLossUsd += gridLoss[a]!;
    totals.markAddOnUsd += markAddOn[a]!;
    totals.consensusAddOnUsd += failure.addOn[a]!;
    if (liquidate) {
      liquidations.push(account.id);
      if (paused.length > 0) pausedLiquidations.push(account.id);
    }
  }
  return { accounts: results, totals, liquidations, pausedLiquidations };
}
