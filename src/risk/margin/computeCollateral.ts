import type { ContagionGraph } from '../contagion/contagionGraph.ts';
import type { FailureLosses } from '../contagion/toFailureLosses.ts';
import type { MarginBook } from './marginBook.ts';
import type { MarginPolicy } from './marginPolicy.ts';
import type { Portfolio } from './portfolio.ts';

/** Per account, USD. */
export type Collateral = {
  /** Spot value, borrowed spot negative. */
  collateral: Float64Array;
  /** Haircut on the positive spot value. */
  haircutUsd: Float64Array;
  /** The largest concentration charge over the failure sources. */
  concentration: Float64Array;
  /** Mark value of the options. */
  optionValue: Float64Array;
};

/**
 * The accounts' collateral: spot value less haircuts (given per market, else from the graph: each
 * source reaching the asset keeps `1 - sourceHaircut × loss` of it), less a concentration charge
 * (`concentrationHaircut` × the value at risk from one source above its limit share of the
 * account's positive spot value), plus the options' mark value.
 */
export function computeCollateral(
  book: MarginBook,
  portfolio: Portfolio,
  graph: ContagionGraph,
  sourceLosses: readonly FailureLosses[],
  policy: MarginPolicy,
): Collateral {
  const { nAccounts, nAssets, linear, options } = book;
  const assetNames = book.markets.names;
  const haircut = toHaircuts(book, portfolio, graph, sourceLosses, policy);
  const collateral = new Float64Array(nAccounts);
  const haircutUsd = new Float64Array(nAccounts);
  const spotByGroup = new Float64Array(nAccounts * nAssets);
  for (let i = 0; i < linear.n; i++) {
    if (!linear.isSpot[i]) continue;
    const value = linear.notional[i]!;
    const a = linear.account[i]!;
    collateral[a]! += value;
    if (value > 0) haircutUsd[a]! += value * haircut[linear.asset[i]!]!;
    spotByGroup[a * nAssets + linear.asset[i]!]! += value;
  }
  const concentration = new Float64Array(nAccounts);
  for (let a = 0; a < nAccounts; a++) {
    let positive = 0;
    for (let i = 0; i < nAssets; i++) positive += Math.max(0, spotByGroup[a * nAssets + i]!);
    if (positive <= 0) continue;
    for (let s = 0; s < graph.sources.length; s++) {
      const losses = sourceLosses[s]!;
      let atRisk = 0;
      for (const [i, name] of assetNames.entries()) {
        const value = spotByGroup[a * nAssets + i]!;
        if (value > 0) atRisk += value * (losses.get(name) ?? 0);
      }
      const limit = policy.concentrationLimits[graph.sources[s]!] ?? policy.concentrationLimit;
      const excess = atRisk - limit * positive;
      if (excess > 0) {
        const charge = policy.concentrationHaircut * excess;
        if (charge > concentration[a]!) concentration[a] = charge;
      }
    }
  }
  const optionValue = new Float64Array(nAccounts);
  for (let i = 0; i < options.n; i++)
    optionValue[options.account[i]!]! += options.quantity[i]! * book.base.price[i]!;
  return { collateral, haircutUsd, concentration, optionValue };
}

/** Haircut of each asset: the market's, else from the graph's losses and the source haircuts. */
function toHaircuts(
  book: MarginBook,
  portfolio: Portfolio,
  graph: ContagionGraph,
  sourceLosses: readonly FailureLosses[],
  policy: MarginPolicy,
): Float64Array {
  const haircut = new Float64Array(book.nAssets);
  for (const [i, name] of book.markets.names.entries()) {
    const given = portfolio.markets[name]!.haircut;
    if (given !== undefined) {
      haircut[i] = given;
      continue;
    }
    let keep = 1;
    for (const [s, source] of graph.sources.entries()) {
      const loss = sourceLosses[s]!.get(name) ?? 0;
      if (loss > 0) keep *= 1 - (policy.sourceHaircuts[source] ?? policy.defaultSourceHaircut) * loss;
    }
    haircut[i] = 1 - keep;
  }
  return haircut;
}
