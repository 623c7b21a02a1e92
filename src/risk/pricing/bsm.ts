import { normalCdf, normalPdf } from './normal.ts';
import type { Greeks, OptionInput } from './types.ts';
import { assertOptionInput } from './validate.ts';

/**
 * Black-Scholes-Merton price of a European option, without input checks. `isCall` selects the
 * payoff; all other arguments as in {@link OptionInput}.
 */
export function bsmPriceUnchecked(
  isCall: boolean,
  spot: number,
  strike: number,
  timeYears: number,
  rate: number,
  yieldRate: number,
  volAnnual: number,
): number {
  const stdDev = volAnnual * Math.sqrt(timeYears);
  const forwardSpot = spot * Math.exp(-yieldRate * timeYears);
  const discountedStrike = strike * Math.exp(-rate * timeYears);
  const d1 = (Math.log(spot / strike) + (rate - yieldRate) * timeYears) / stdDev + 0.5 * stdDev;
  const d2 = d1 - stdDev;
  return isCall
    ? forwardSpot * normalCdf(d1) - discountedStrike * normalCdf(d2)
    : discountedStrike * normalCdf(-d2) - forwardSpot * normalCdf(-d1);
}

/** Black-Scholes-Merton price and Greeks, without input checks (see {@link bsmGreeks}). */
export function bsmGreeksUnchecked(
  isCall: boolean,
  spot: number,
  strike: number,
  timeYears: number,
  rate: number,
  yieldRate: number,
  volAnnual: number,
): Greeks {
  const sqrtT = Math.sqrt(timeYears);
  const stdDev = volAnnual * sqrtT;
  const yieldDiscount = Math.exp(-yieldRate * timeYears);
  const rateDiscount = Math.exp(-rate * timeYears);
  const forwardSpot = spot * yieldDiscount;
  const discountedStrike = strike * rateDiscount;
  const d1 = (Math.log(spot / strike) + (rate - yieldRate) * timeYears) / stdDev + 0.5 * stdDev;
  const d2 = d1 - stdDev;
  const density = forwardSpot * normalPdf(d1);
  const gamma = density / (spot * spot * stdDev);
  const vega = density * sqrtT;
  const decay = (-density * volAnnual) / (2 * sqrtT);
  if (isCall) {
    const nd1 = normalCdf(d1);
    const nd2 = normalCdf(d2);
    return {
      price: forwardSpot * nd1 - discountedStrike * nd2,
      delta: yieldDiscount * nd1,
      gamma,
      vega,
      theta: decay - rate * discountedStrike * nd2 + yieldRate * forwardSpot * nd1,
      rho: timeYears * discountedStrike * nd2,
      dividendRho: -timeYears * forwardSpot * nd1,
    };
  }
  const nmd1 = normalCdf(-d1);
  const nmd2 = normalCdf(-d2);
  return {
    price: discountedStrike * nmd2 - forwardSpot * nmd1,
    delta: -yieldDiscount * nmd1,
    gamma,
    vega,
    theta: decay + rate * discountedStrike * nmd2 - yieldRate * forwardSpot * nmd1,
    rho: -timeYears * discountedStrike * nmd2,
    dividendRho: timeYears * forwardSpot * nmd1,
  };
}

/**
 * Checks `input` and prices it with `unchecked`, one of the functions above, which take its
 * fields one by one.
 */
function withCheckedInput<T>(
  input: OptionInput,
  unchecked: (...args: Parameters<typeof bsmPriceUnchecked>) => T,
): T {
  assertOptionInput(input);
  return unchecked(
    input.type === 'call',
    input.spot,
    input.strike,
    input.timeYears,
    input.rate,
    input.yieldRate,
    input.volAnnual,
  );
}

/**
 * Price of a European call or put under Black-Scholes-Merton with a continuous yield.
 *
 * @throws PricingError `invalid_input` when an input is NaN or out of its domain.
 * @example bsmPrice({ type: 'call', spot: 100, strike: 100, timeYears: 0.5, rate: 0.05, yieldRate: 0, volAnnual: 0.2 })
 */
export function bsmPrice(input: OptionInput): number {
  return withCheckedInput(input, bsmPriceUnchecked);
}

/**
 * Price and Greeks of a European call or put under Black-Scholes-Merton: delta, gamma, vega
 * (per unit vol), theta (per year), rho and dividend rho (per unit rate).
 *
 * @throws PricingError `invalid_input` when an input is NaN or out of its domain.
 */
export function bsmGreeks(input: OptionInput): Greeks {
  return withCheckedInput(input, bsmGreeksUnchecked);
}
