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
  const meanLogRatio = input.jumpMeanLog + 0.5 * input.jumpVol * input.jumpVol;
  if (!(Math.abs(meanLogRatio) <= 700)) {
    throw new PricingError('invalid_input', 'jumpMeanLog + jumpVol^2 / 2 must lie within [-700, 700]', {
      jumpMeanLog: input.jumpMeanLog,
      jumpVol: input.jumpVol,
    });
  }
}

/**
 * Term n of the series, written so that nothing overflows: the BSM price at the rate
 * r_n = r - lambda k + n m / T equals exp(-(r_n - r) T) times the BSM price at the rate r with
 * the yield q_n = q + lambda k - n m / T (same forward), and that factor turns the weights of
 * intensity lambda (1 + k) into Poisson weights of intensity lambda.
 * m = jumpMeanLog + jumpVol^2 / 2, k = exp(m) - 1.
 */
type Series = {
  isCall: boolean;
  /** m: the log of the mean jump ratio. */
  meanLogRatio: number;
  /** q + lambda k: the yield of term 0. */
  baseYield: number;
  /** Where the terms peak: lambda T for a put, lambda (1 + k) T for a call. */
  lastPeak: number;
  T: number;
  /** lambda T, the mean of the Poisson weights, and its logarithm. */
  jumps: number;
  logJumps: number;
  /** vol^2 and jumpVol^2. */
  variance: number;
  jumpVariance: number;
  /** The current term (see {@link toTerm}): its Poisson weight, the log of it, its yield and vol. */
  logWeight: number;
  weight: number;
  yieldN: number;
  volN: number;
};

function toSeries(input: MertonInput): Series {
  const meanLogRatio = input.jumpMeanLog + 0.5 * input.jumpVol * input.jumpVol;
  const k = Math.expm1(meanLogRatio);
  const jumps = input.jumpIntensity * input.timeYears;
  return {
    isCall: input.type === 'call',
    meanLogRatio,
    baseYield: input.yieldRate + input.jumpIntensity * k,
    lastPeak: Math.max(jumps, jumps * Math.exp(meanLogRatio)),
    T: input.timeYears,
    jumps,
    logJumps: Math.log(jumps),
    variance: input.volAnnual * input.volAnnual,
    jumpVariance: input.jumpVol * input.jumpVol,
    logWeight: 0,
    weight: 0,
    yieldN: 0,
    volN: 0,
  };
}

/** Moves the series to term n: n = 0 starts it, any other n follows term n - 1. */
function toTerm(s: Series, n: number): void {
  s.logWeight = n === 0 ? -s.jumps : s.logWeight + (s.logJumps - Math.log(n));
  s.weight = Math.exp(s.logWeight);
  s.yieldN = s.baseYield - (n * s.meanLogRatio) / s.T;
  s.volN = Math.sqrt(s.variance + (n * s.jumpVariance) / s.T);
}

/**
 * Upper bound of a term's price, to decide that the rest of the series is negligible: a call is
 * worth less than the discounted forward, a put less than the discounted strike.
 */
function termBound(isCall: boolean, input: MertonInput, yieldN: number): number {
  return isCall
    ? input.spot * Math.exp(-yieldN * input.timeYears)
    : input.strike * Math.exp(-input.rate * input.timeYears);
}

function overflowed(input: MertonInput, n: number): PricingError {
  return new PricingError(
    'not_converged',
    `Merton series term ${n} overflows double precision: the jumps are too large for this expiry`,
    { jumpIntensity: input.jumpIntensity, jumpMeanLog: input.jumpMeanLog, timeYears: input.timeYears },
  );
}

function notConverged(input: MertonInput): PricingError {
  return new PricingError('not_converged', `Merton series did not converge in ${MAX_TERMS} terms`, {
    jumpIntensity: input.jumpIntensity,
    timeYears: input.timeYears,
  });
}

/**
 * Whether the sum `price` up to term n is complete: no jumps, or past the peak with a term that
 * moves it by less than {@link RELATIVE_ACCURACY}.
 */
function isSummed(s: Series, input: MertonInput, n: number, price: number): boolean {
  return (
    input.jumpIntensity === 0 ||
    (n > s.lastPeak && s.weight * termBound(s.isCall, input, s.yieldN) <= RELATIVE_ACCURACY * price)
  );
}

/**
 * Merton (1976) jump-diffusion price of a European option: a Poisson-weighted sum of
 * Black-Scholes-Merton prices, term n with variance vol^2 + n jumpVol^2 / T and rate
 * r - lambda k + n m / T, where m = jumpMeanLog + jumpVol^2 / 2 and k = exp(m) - 1, weighted
 * with intensity lambda (1 + k). Computed in the equivalent form of Poisson(lambda T) weights on
 * BSM prices at the rate r and the yield q + lambda k - n m / T, which cannot overflow.
 * The series is summed past its largest terms (a call's terms peak near n = lambda (1 + k) T, a
 * put's near n = lambda T) until a term moves the price by less than 1e-17 relative.
 *
 * @throws PricingError `invalid_input` for bad inputs, `not_converged` past 20000 terms.
 */
export function mertonPrice(input: MertonInput): number {
  assertMertonInput(input);
  const s = toSeries(input);
  let price = 0;
  for (let n = 0; n < MAX_TERMS; n++) {
    toTerm(s, n);
    price +=
      s.weight * bsmPriceUnchecked(s.isCall, input.spot, input.strike, s.T, input.rate, s.yieldN, s.volN);
    if (!Number.isFinite(price)) throw overflowed(input, n);
    if (isSummed(s, input, n, price)) return price;
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
  const T = s.T;
  const vol = input.volAnnual;
  const out: Greeks = { price: 0, delta: 0, gamma: 0, vega: 0, theta: 0, rho: 0, dividendRho: 0 };
  for (let n = 0; n < MAX_TERMS; n++) {
    toTerm(s, n);
    const weight = s.weight;
    const volN = s.volN;
    const g = bsmGreeksUnchecked(s.isCall, input.spot, input.strike, T, input.rate, s.yieldN, volN);
    out.price += weight * g.price;
    out.delta += weight * g.delta;
    out.gamma += weight * g.gamma;
    out.vega += weight * (vol / volN) * g.vega;
    out.rho += weight * g.rho;
    out.dividendRho += weight * g.dividendRho;
    out.theta +=
      weight *
      (g.theta -
        (n / T - input.jumpIntensity) * g.price -
        (g.dividendRho * n * s.meanLogRatio) / (T * T) +
        (g.vega * n * s.jumpVariance) / (2 * volN * T * T));
    if (!(Number.isFinite(out.price) && Number.isFinite(out.theta) && Number.isFinite(out.vega))) {
      throw overflowed(input, n);
    }
    if (isSummed(s, input, n, out.price)) return out;
  }
  throw notConverged(input);
}
