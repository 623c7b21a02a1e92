import { bsmGreeksUnchecked } from './bsm.ts';
import { assertFinite, assertPositive, PricingError } from './errors.ts';
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

/**
 * The Black-Scholes-Merton volatility that reproduces a European option's price: Newton's method
 * on the price, kept inside a bracket [lo, hi] that always holds the root; a Newton step that
 * would leave the bracket, or a vanishing vega, is replaced by bisection. The result reprices to
 * about 1e-15 relative.
 *
 * @throws PricingError `no_implied_vol` when the price lies outside the model's bounds
 *   (at or below the discounted intrinsic value max(S e^{-qT} - K e^{-rT}, 0) for a call, or at or
 *   above S e^{-qT}; the mirror bounds for a put), `invalid_input` for bad inputs, `not_converged`
 *   after 200 iterations.
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
  let lo = 0;
  let hi = 1;
  while (bsmGreeksUnchecked(isCall, spot, strike, timeYears, rate, yieldRate, hi).price < price) {
    lo = hi;
    hi *= 2;
    if (hi > MAX_VOL) {
      throw new PricingError('no_implied_vol', `the price ${price} needs a volatility above ${MAX_VOL}`, {
        price,
      });
    }
  }
  // Start from the at-the-money approximation price ~ 0.4 S e^{-qT} vol sqrt(T), inside the bracket.
  let vol = Math.min(Math.max(price / (0.4 * forwardSpot * Math.sqrt(timeYears)), lo), hi);
  if (!(vol > lo && vol < hi)) vol = 0.5 * (lo + hi);
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const g = bsmGreeksUnchecked(isCall, spot, strike, timeYears, rate, yieldRate, vol);
    const diff = g.price - price;
    if (Math.abs(diff) <= 1e-15 * price) return vol;
    if (diff > 0) hi = vol;
    else lo = vol;
    const next = vol - diff / g.vega;
    const bisect = 0.5 * (lo + hi);
    const candidate = next > lo && next < hi ? next : bisect;
    if (Math.abs(candidate - vol) <= 1e-15 * vol || hi - lo <= 1e-15 * hi) return candidate;
    vol = candidate;
  }
  throw new PricingError('not_converged', `implied volatility did not converge in ${MAX_ITERATIONS} steps`, {
    price,
  });
}
