import { PricingError } from './errors.ts';
import { expOfNonPositive } from './expOfNonPositive.ts';
import { normalCdf } from './normal.ts';
import { normalCdfByTable } from './normalCdfByTable.ts';
import { MAX_RATE_TIMES_T } from './validate.ts';

const INV_SQRT_2PI = 0.3989422804014327;

/**
 * A chain of European options as columns of equal length: `isCall[i]` is 1 for a call and 0 for
 * a put; the other columns as in {@link OptionInput}.
 */
export type BsmBatchInput = {
  isCall: Uint8Array;
  spot: Float64Array;
  strike: Float64Array;
  timeYears: Float64Array;
  rate: Float64Array;
  yieldRate: Float64Array;
  volAnnual: Float64Array;
};

/** Price and Greeks of every option of a chain, one column each (units as in {@link Greeks}). */
export type BsmBatchGreeks = {
  price: Float64Array;
  delta: Float64Array;
  gamma: Float64Array;
  vega: Float64Array;
  theta: Float64Array;
  rho: Float64Array;
  dividendRho: Float64Array;
};

function lengthOf(input: BsmBatchInput): number {
  const n = input.isCall.length;
  for (const [name, column] of Object.entries(input)) {
    if ((column as ArrayLike<number>).length !== n) {
      throw new PricingError('invalid_input', `column ${name} has ${column.length} rows, isCall has ${n}`);
    }
  }
  return n;
}

function badRow(input: BsmBatchInput, i: number): PricingError {
  return new PricingError(
    'invalid_input',
    `row ${i}: spot, strike, timeYears and volAnnual must be > 0, rates finite and |rate * T| <= ${MAX_RATE_TIMES_T}`,
    {
      row: i,
      spot: input.spot[i] as number,
      strike: input.strike[i] as number,
      timeYears: input.timeYears[i] as number,
      rate: input.rate[i] as number,
      yieldRate: input.yieldRate[i] as number,
      volAnnual: input.volAnnual[i] as number,
    },
  );
}

/**
 * One finite test for all six (a sum times 0 is 0 only when the sum is finite), and the bound on
 * |rate * T| and |yield * T| of the scalar functions.
 */
function rowIsValid(S: number, K: number, T: number, r: number, q: number, vol: number): boolean {
  return (
    S > 0 &&
    K > 0 &&
    T > 0 &&
    vol > 0 &&
    (S + K + T + vol + r + q) * 0 === 0 &&
    Math.abs(r * T) <= MAX_RATE_TIMES_T &&
    Math.abs(q * T) <= MAX_RATE_TIMES_T
  );
}

/**
 * Discount factors of the previous row: a chain shares its expiry and rates across strikes, so
 * most rows reuse them. exp(-d2^2/2) follows from exp(-d1^2/2) times the moneyness
 * S e^{-qT} / (K e^{-rT}), so each row needs one logarithm and one exponential.
 */
type DiscountCache = {
  T: number;
  r: number;
  q: number;
  sqrtT: number;
  rateDiscount: number;
  yieldDiscount: number;
  /** e^{(r-q)T}: S/K times it is the moneyness S e^{-qT} / (K e^{-rT}). */
  carry: number;
};

function createDiscountCache(): DiscountCache {
  return {
    T: Number.NaN,
    r: Number.NaN,
    q: Number.NaN,
    sqrtT: 0,
    rateDiscount: 0,
    yieldDiscount: 0,
    carry: 0,
  };
}

function updateDiscounts(cache: DiscountCache, T: number, r: number, q: number): void {
  if (T === cache.T && r === cache.r && q === cache.q) return;
  cache.T = T;
  cache.r = r;
  cache.q = q;
  cache.sqrtT = Math.sqrt(T);
  cache.rateDiscount = Math.exp(-r * T);
  cache.yieldDiscount = Math.exp(-q * T);
  cache.carry = cache.yieldDiscount / cache.rateDiscount;
}

/**
 * Black-Scholes-Merton prices of a whole chain into `out` (allocated when absent). Per row: one
 * division for S/K, ln(S/K) and exp(-d1^2/2) by table-driven functions (`logOfPositive`,
 * `expOfNonPositive`, each within about an ulp of Math.log and Math.exp), exp(-d2^2/2) from it times
 * the moneyness, and the normal tails from a table of erfcx polynomials (`normalCdfByTable`).
 *
 * @throws PricingError `invalid_input` naming the first bad row, or columns of unequal length.
 */
export function bsmPriceBatch(input: BsmBatchInput, out?: Float64Array): Float64Array {
  const n = lengthOf(input);
  const result = out ?? new Float64Array(n);
  const { isCall, spot, strike, timeYears, rate, yieldRate, volAnnual } = input;
  // The previous row's expiry and rates, and what follows from them: a chain shares them across
  // strikes. NaN keys make the first row (and any NaN) take the checked path.
  let lastT = Number.NaN;
  let lastR = Number.NaN;
  let lastQ = Number.NaN;
  let sqrtT = 0;
  let rateDiscount = 0;
  let yieldDiscount = 0;
  let carry = 0;
  let logCarry = 0;
  for (let i = 0; i < n; i++) {
    const S = spot[i] as number;
    const K = strike[i] as number;
    const T = timeYears[i] as number;
    const r = rate[i] as number;
    const q = yieldRate[i] as number;
    const vol = volAnnual[i] as number;
    if (T !== lastT || r !== lastR || q !== lastQ) {
      if (!rowIsValid(S, K, T, r, q, vol)) throw badRow(input, i);
      lastT = T;
      lastR = r;
      lastQ = q;
      sqrtT = Math.sqrt(T);
      rateDiscount = Math.exp(-r * T);
      yieldDiscount = Math.exp(-q * T);
      carry = yieldDiscount / rateDiscount;
      logCarry = (r - q) * T;
    } else if (!(S > 0 && K > 0 && vol > 0 && S + K + vol < Number.POSITIVE_INFINITY)) {
      throw badRow(input, i);
    }
    const stdDev = vol * sqrtT;
    // 1/stdDev apart from the logarithm, so the division leaves the chain log -> d1 -> exp -> tail.
    const inverseStdDev = 1 / stdDev;
    const ratio = S / K;
    const d1 = (Math.log(ratio) + logCarry) * inverseStdDev + 0.5 * stdDev;
    const d2 = d1 - stdDev;
    const g1 = expOfNonPositive(-0.5 * d1 * d1);
    // exp(-d2^2/2) = exp(-d1^2/2) times the moneyness S e^{-qT} / (K e^{-rT}).
    const g2 = g1 * ratio * carry;
    // A call is F N(d1) - K N(d2); a put is -(F N(-d1) - K N(-d2)): one formula with sign w.
    const w = isCall[i] === 1 ? 1 : -1;
    let n1: number;
    let n2: number;
    if (g1 > 0 && g2 <= 1) {
      n1 = normalCdfByTable(w * d1, g1);
      n2 = normalCdfByTable(w * d2, g2);
    } else {
      // exp(-d1^2/2) underflowed (vol sqrt(T) beyond 38) or rounded above 1: no shortcut.
      n1 = normalCdf(w * d1);
      n2 = normalCdf(w * d2);
    }
    result[i] = w * (S * yieldDiscount * n1 - K * rateDiscount * n2);
  }
  return result;
}

/**
 * Black-Scholes-Merton prices and Greeks of a whole chain into `out` (allocated when absent).
 *
 * @throws PricingError `invalid_input` naming the first bad row, or columns of unequal length.
 */
export function bsmGreeksBatch(input: BsmBatchInput, out?: BsmBatchGreeks): BsmBatchGreeks {
  const n = lengthOf(input);
  const result = out ?? {
    price: new Float64Array(n),
    delta: new Float64Array(n),
    gamma: new Float64Array(n),
    vega: new Float64Array(n),
    theta: new Float64Array(n),
    rho: new Float64Array(n),
    dividendRho: new Float64Array(n),
  };
  const { isCall, spot, strike, timeYears, rate, yieldRate, volAnnual } = input;
  const cache = createDiscountCache();
  for (let i = 0; i < n; i++) {
    const S = spot[i] as number;
    const K = strike[i] as number;
    const T = timeYears[i] as number;
    const r = rate[i] as number;
    const q = yieldRate[i] as number;
    const vol = volAnnual[i] as number;
    if (!rowIsValid(S, K, T, r, q, vol)) throw badRow(input, i);
    updateDiscounts(cache, T, r, q);
    const sqrtT = cache.sqrtT;
    const stdDev = vol * sqrtT;
    const yieldDiscount = cache.yieldDiscount;
    const forwardSpot = S * yieldDiscount;
    const discountedStrike = K * cache.rateDiscount;
    const moneyness = forwardSpot / discountedStrike;
    const d1 = (Math.log(S / K) + (r - q) * T) / stdDev + 0.5 * stdDev;
    const d2 = d1 - stdDev;
    const g1 = expOfNonPositive(-0.5 * d1 * d1);
    const g2 = g1 * moneyness;
    const exact = g1 > 0 && g2 <= 1;
    const density = forwardSpot * INV_SQRT_2PI * g1;
    const decay = (-density * vol) / (2 * sqrtT);
    result.gamma[i] = density / (S * S * stdDev);
    result.vega[i] = density * sqrtT;
    if (isCall[i] === 1) {
      const nd1 = exact ? normalCdfByTable(d1, g1) : normalCdf(d1);
      const nd2 = exact ? normalCdfByTable(d2, g2) : normalCdf(d2);
      result.price[i] = forwardSpot * nd1 - discountedStrike * nd2;
      result.delta[i] = yieldDiscount * nd1;
      result.theta[i] = decay - r * discountedStrike * nd2 + q * forwardSpot * nd1;
      result.rho[i] = T * discountedStrike * nd2;
      result.dividendRho[i] = -T * forwardSpot * nd1;
    } else {
      const nmd1 = exact ? normalCdfByTable(-d1, g1) : normalCdf(-d1);
      const nmd2 = exact ? normalCdfByTable(-d2, g2) : normalCdf(-d2);
      result.price[i] = discountedStrike * nmd2 - forwardSpot * nmd1;
      result.delta[i] = -yieldDiscount * nmd1;
      result.theta[i] = decay + r * discountedStrike * nmd2 - q * forwardSpot * nmd1;
      result.rho[i] = -T * discountedStrike * nmd2;
      result.dividendRho[i] = T * forwardSpot * nmd1;
    }
  }
  return result;
}
