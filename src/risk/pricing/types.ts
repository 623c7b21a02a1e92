/**
 * Shared option types. Conventions (see docs/pricing.md): time in years, Actual/365 fixed
 * (days / 365); rates and yields continuously compounded, per year; volatility per square root of
 * a year; vega and rho per unit change (1.00 = 100 percentage points); theta per year (divide by
 * 365 for a calendar day).
 */

export type OptionType = 'call' | 'put';

export type ExerciseStyle = 'european' | 'american';

/** A European or American vanilla option on an underlying with a continuous yield. */
export type OptionInput = {
  type: OptionType;
  /** Price of the underlying now. */
  spot: number;
  strike: number;
  /** Time to expiry in years (Actual/365 fixed). */
  timeYears: number;
  /** Risk-free rate, continuously compounded, per year. */
  rate: number;
  /** Continuous yield of the underlying per year (dividend, staking yield or funding). */
  yieldRate: number;
  /** Volatility of the underlying's log price, per square root of a year. */
  volAnnual: number;
};

/** A price with its sensitivities. */
export type Greeks = {
  price: number;
  /** dV/dS. */
  delta: number;
  /** d2V/dS2. */
  gamma: number;
  /** dV/dvol, per unit of volatility (1.00 = 100%). */
  vega: number;
  /** dV/dt as calendar time passes (= -dV/dT), per year. */
  theta: number;
  /** dV/dr, per unit of rate. */
  rho: number;
  /** dV/dq, per unit of yield. */
  dividendRho: number;
};

/** Converts a theta per year into a theta per calendar day (Actual/365 fixed). */
export function toThetaPerDay(thetaPerYear: number): number {
  return thetaPerYear / 365;
}

/** Converts days to expiry into years, Actual/365 fixed. */
export function daysToYears(days: number): number {
  return days / 365;
}
