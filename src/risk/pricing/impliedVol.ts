import { assertFinite, assertPositive, PricingError } from './errors.ts';
import { expOfNonPositive } from './expOfNonPositive.ts';
import { normalCdf } from './normal.ts';
import { normalCdfByTable } from './normalCdfByTable.ts';
import type { OptionType } from './types.ts';

export type ImpliedVolInput = {
  type: OptionType;
  /** The option's market price. */
  price: number;
  spot: number;
  strike: number;
  timeYears: number;
  rate: number;
  yieldRate: number;
};

const MAX_ITERATIONS = 200;
const MAX_VOL = 1e3;
const INV_SQRT_2PI = 0.3989422804014327;

/**
 * The Black-Scholes-Merton volatility that reproduces a European option's price: Newton's method on
 * the price from Manaster and Koehler's start, vol0 = sqrt(2 |ln(F/K)| / T) (the inflection point
 * of the price in vol, from which Newton's iterates converge monotonically; at the money the
 * approximation price ~ 0.4 F vol sqrt(T)), kept inside a bracket [lo, hi] of what is known about
 * the root: a step that would leave it is replaced by bisection (or a doubling while no upper bound
 * is known). Each step prices with one exponential and the normal tails of the batch pricer (one
 * logarithm for the whole solve). The result reprices to about 1e-15 relative.
 *
 * @throws PricingError `no_implied_vol` when the price lies outside the model's bounds
 *   (at or below the discounted intrinsic value max(S e^{-qT} - K e^{-rT}, 0) for a call, or at or
 *   above S e^{-qT}; the mirror bounds for a put) or needs a volatility above 1000,
 *   `invalid_input` for bad inputs, `not_converged` after 200 iterations.
 */
export function impliedVol(input: ImpliedVolInput): number {
  const { spot, strike, timeYears, rate, yieldRate, price } = input;
  if (input.type !== 'call' && input.type !== 'put') {
    throw new PricingError('invalid_input', `type must be call or put, got ${String(input.type)}`);
  }
  assertPositive('spot', spot);
  assertPositive('strike', strike);
  assertPositive('timeYears', timeYears);
  assertFinite('rate', rate);
  assertFinite('yieldRate', yieldRate);
  assertFinite('price', price);
  const isCall = input.type === 'call';
  const forwardSpot = spot * Math.exp(-yieldRate * timeYears);
  const discountedStrike = strike * Math.exp(-rate * timeYears);
  const lower = Math.max(isCall ? forwardSpot - discountedStrike : discountedStrike - forwardSpot, 0);
  const upper = isCall ? forwardSpot : discountedStrike;
  if (!(price > lower && price < upper)) {
    throw new PricingError(
      'no_implied_vol',
      `no volatility gives the price ${price}: it must lie strictly between ${lower} and ${upper}`,
      { price, lowerBound: lower, upperBound: upper },
    );
  }
  const w = isCall ? 1 : -1;
  const moneyness = forwardSpot / discountedStrike;
  const logMoneyness = Math.log(moneyness);
  const sqrtT = Math.sqrt(timeYears);
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  let vol = Math.sqrt((2 * Math.abs(logMoneyness)) / timeYears);
  if (!(vol > 1e-3)) vol = price / (0.4 * forwardSpot * sqrtT);
  if (!(vol > 0 && vol < MAX_VOL)) vol = 1;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const stdDev = vol * sqrtT;
    const d1 = logMoneyness / stdDev + 0.5 * stdDev;
    const d2 = d1 - stdDev;
    const g1 = expOfNonPositive(-0.5 * d1 * d1);
    const g2 = g1 * moneyness;
    const exact = g1 > 0 && g2 <= 1;
    const n1 = exact ? normalCdfByTable(w * d1, g1) : normalCdf(w * d1);
    const n2 = exact ? normalCdfByTable(w * d2, g2) : normalCdf(w * d2);
    const diff = w * (forwardSpot * n1 - discountedStrike * n2) - price;
    if (Math.abs(diff) <= 1e-15 * price) return vol;
    if (diff > 0) hi = vol;
    else lo = vol;
    const vega = forwardSpot * INV_SQRT_2PI * g1 * sqrtT;
    const next = vol - diff / vega;
    const candidate =
      next > lo && next < hi ? next : hi < Number.POSITIVE_INFINITY ? 0.5 * (lo + hi) : 2 * vol;
    if (candidate > MAX_VOL) {
      throw new PricingError('no_implied_vol', `the price ${price} needs a volatility above ${MAX_VOL}`, {
        price,
      });
    }
    if (
      Math.abs(candidate - vol) <= 1e-15 * vol ||
      (hi < Number.POSITIVE_INFINITY && hi - lo <= 1e-15 * hi)
    ) {
      return candidate;
    }
    vol = candidate;
  }
  throw new PricingError('not_converged', `implied volatility did not converge in ${MAX_ITERATIONS} steps`, {
    price,
  });
}
