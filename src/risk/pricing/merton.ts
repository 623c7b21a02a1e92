import { bsmGreeksUnchecked, bsmPriceUnchecked } from './bsm.ts';
import { assertFinite, assertNonNegative, PricingError } from './errors.ts';
import type { Greeks, OptionInput } from './types.ts';
import { assertOptionInput } from './validate.ts';

export type MertonInput = OptionInput & {
  /** Expected number of jumps per year (lambda). */
  jumpIntensity: number;
  /** Mean of the log of the jump ratio: a jump multiplies the price by exp(N(jumpMeanLog, jumpVol^2)). */
  jumpMeanLog: number;
  /** Standard deviation of the log of the jump ratio. */
  jumpVol: number;
};

/** Terms are added until one changes the price by less than this, relative. */
const RELATIVE_ACCURACY = 1e-17;
const MAX_TERMS = 20000;

function assertMertonInput(input: MertonInput): void {
  assertOptionInput(input);
  assertNonNegative('jumpIntensity', input.jumpIntensity);
  assertFinite('jumpMeanLog', input.jumpMeanLog);
  assertNonNegative('jumpVol', input.jumpVol);
}

type Series = {
  isCall: boolean;
  /** mu + delta^2 / 2: the log of the mean jump ratio. */
  meanLogRatio: number;
  /** lambda * (1 + k): the Poisson intensity of the series' weights. */
  weightIntensity: number;
  /** r - lambda * k. */
  baseRate: number;
};

function toSeries(input: MertonInput): Series {
  const meanLogRatio = input.jumpMeanLog + 0.5 * input.jumpVol * input.jumpVol;
  const k = Math.expm1(meanLogRatio);
  return {
    isCall: input.type === 'call',
    meanLogRatio,
    weightIntensity: input.jumpIntensity * (1 + k),
    baseRate: input.rate - input.jumpIntensity * k,
  };
}

/**
 * Upper bound of a term's price, to decide that the rest of the series is negligible: a call is
 * worth less than the discounted forward, a put less than the discounted strike.
 */
function termBound(isCall: boolean, input: MertonInput, rateN: number): number {
  return isCall
    ? input.spot * Math.exp(-input.yieldRate * input.timeYears)
    : input.strike * Math.exp(-rateN * input.timeYears);
}

function notConverged(input: MertonInput): PricingError {
  return new PricingError('not_converged', `Merton series did not converge in ${MAX_TERMS} terms`, {
    jumpIntensity: input.jumpIntensity,
    timeYears: input.timeYears,
  });
}

/**
 * Merton (1976) jump-diffusion price of a European option: a Poisson-weighted sum of
 * Black-Scholes-Merton prices, term n with variance vol^2 + n jumpVol^2 / T and rate
 * r - lambda k + n (jumpMeanLog + jumpVol^2 / 2) / T, where k = exp(jumpMeanLog + jumpVol^2/2) - 1.
 * The series is summed past its largest weight until a term moves the price by less than 1e-17
 * relative.
 *
 * @throws PricingError `invalid_input` for bad inputs, `not_converged` past 20000 terms.
 */
export function mertonPrice(input: MertonInput): number {
  assertMertonInput(input);
  const s = toSeries(input);
  const T = input.timeYears;
  const meanJumps = s.weightIntensity * T;
  const logMeanJumps = Math.log(meanJumps);
  const variance = input.volAnnual * input.volAnnual;
  const jumpVariance = input.jumpVol * input.jumpVol;
  let logWeight = -meanJumps;
  let price = 0;
  for (let n = 0; n < MAX_TERMS; n++) {
    if (n > 0) logWeight += logMeanJumps - Math.log(n);
    const weight = Math.exp(logWeight);
    const rateN = s.baseRate + (n * s.meanLogRatio) / T;
    const volN = Math.sqrt(variance + (n * jumpVariance) / T);
    price += weight * bsmPriceUnchecked(s.isCall, input.spot, input.strike, T, rateN, input.yieldRate, volN);
    if (meanJumps === 0) return price;
    if (n > meanJumps && weight * termBound(s.isCall, input, rateN) <= RELATIVE_ACCURACY * price)
      return price;
  }
  throw notConverged(input);
}

/**
 * Merton (1976) jump-diffusion price and Greeks of a European option (see {@link mertonPrice}).
 * Each Greek is the exact derivative of the series: vega scales each term's vega by
 * vol / vol_n, theta adds the dependence of the weights, rates and variances on T.
 *
 * @throws PricingError `invalid_input` for bad inputs, `not_converged` past 20000 terms.
 */
export function mertonGreeks(input: MertonInput): Greeks {
  assertMertonInput(input);
  const s = toSeries(input);
  const T = input.timeYears;
  const meanJumps = s.weightIntensity * T;
  const logMeanJumps = Math.log(meanJumps);
  const vol = input.volAnnual;
  const jumpVariance = input.jumpVol * input.jumpVol;
  const out: Greeks = { price: 0, delta: 0, gamma: 0, vega: 0, theta: 0, rho: 0, dividendRho: 0 };
  let logWeight = -meanJumps;
  for (let n = 0; n < MAX_TERMS; n++) {
    if (n > 0) logWeight += logMeanJumps - Math.log(n);
    const weight = Math.exp(logWeight);
    const rateN = s.baseRate + (n * s.meanLogRatio) / T;
    const volN = Math.sqrt(vol * vol + (n * jumpVariance) / T);
    const g = bsmGreeksUnchecked(s.isCall, input.spot, input.strike, T, rateN, input.yieldRate, volN);
    out.price += weight * g.price;
    out.delta += weight * g.delta;
    out.gamma += weight * g.gamma;
    out.vega += weight * (vol / volN) * g.vega;
    out.rho += weight * g.rho;
    out.dividendRho += weight * g.dividendRho;
    out.theta +=
      weight *
      (g.theta -
        (n / T - s.weightIntensity) * g.price +
        (g.rho * n * s.meanLogRatio) / (T * T) +
        (g.vega * n * jumpVariance) / (2 * volN * T * T));
    if (meanJumps === 0) return out;
    if (n > meanJumps && weight * termBound(s.isCall, input, rateN) <= RELATIVE_ACCURACY * out.price) {
      return out;
    }
  }
  throw notConverged(input);
}
