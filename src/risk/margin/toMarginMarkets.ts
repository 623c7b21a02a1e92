import { assertInRange } from '../contagion/riskError.ts';
import type { FailureLosses } from '../contagion/toFailureLosses.ts';
import { type FallbackMark, toFallbackMark } from '../oracle/toFallbackMark.ts';
import type { Portfolio } from './portfolio.ts';

/** Market data by asset index (assets sorted by name). */
export type MarginMarkets = {
  names: string[];
  index: Map<string, number>;
  /** Price of each asset: the market's, or the fallback mark of an unobservable one. */
  price: Float64Array;
  /** 1 for a stable asset, which the price grid does not move. */
  stable: Uint8Array;
  /** Ends of the fallback band as fractions of the mark (1 for an observable asset). */
  bandLow: Float64Array;
  bandHigh: Float64Array;
  /** The mark of every unobservable asset, and which fallback gave it. */
  marks: Array<{ asset: string } & FallbackMark>;
};

/**
 * The portfolio's markets in columns. An unobservable asset is marked by its fallback
 * (docs/risk.md, "Marks when unobservable"), recovery-adjusted by the worst loss over the
 * failure sources it depends on (`sourceLosses`, one map per source).
 *
 * @throws {RiskError} `invalid_input` for a price, volatility or haircut out of range.
 */
export function toMarginMarkets(portfolio: Portfolio, sourceLosses: readonly FailureLosses[]): MarginMarkets {
  const names = Object.keys(portfolio.markets).sort();
  const nAssets = names.length;
  const price = new Float64Array(nAssets);
  const stable = new Uint8Array(nAssets);
  const bandLow = new Float64Array(nAssets).fill(1);
  const bandHigh = new Float64Array(nAssets).fill(1);
  const marks: MarginMarkets['marks'] = [];
  for (const [i, name] of names.entries()) {
    const market = portfolio.markets[name]!;
    assertInRange(market.priceUsd, `markets.${name}.priceUsd`, Number.MIN_VALUE, Number.MAX_VALUE);
    if (market.volAnnual !== undefined) assertInRange(market.volAnnual, `markets.${name}.volAnnual`, 0, 10);
    if (market.haircut !== undefined) assertInRange(market.haircut, `markets.${name}.haircut`, 0, 1);
    price[i] = market.priceUsd;
    stable[i] = market.stable ? 1 : 0;
    if (market.unobservable) {
      // Recovery-adjusted: the asset's worst loss over the sources it depends on has happened.
      let worstLoss = 0;
      for (const losses of sourceLosses) worstLoss = Math.max(worstLoss, losses.get(name) ?? 0);
      const mark = toFallbackMark({
        lastGoodPriceUsd: market.priceUsd,
        ageDays: market.unobservable.ageDays,
        method: market.unobservable.fallback ?? 'last_good_band',
        ...(market.volAnnual !== undefined ? { volAnnual: market.volAnnual } : {}),
        recoveryFraction: 1 - worstLoss,
      });
      marks.push({ asset: name, ...mark });
      price[i] = mark.priceUsd;
      bandLow[i] = mark.lowUsd / mark.priceUsd;
      bandHigh[i] = mark.highUsd / mark.priceUsd;
    }
  }
  return {
    names,
    index: new Map(names.map((name, i) => [name, i])),
    price,
    stable,
    bandLow,
    bandHigh,
    marks,
  };
}
