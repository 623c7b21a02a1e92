/**
 * Black-Scholes-Merton written out for the tests, apart from src/risk/pricing: the normal
 * distribution from erfc by its Taylor series (|x| < 3) and its continued fraction (|x| >= 3),
 * checked against the QuantLib reference table before use.
 */

function erfcIndependent(x: number): number {
  if (x < 0) return 2 - erfcIndependent(-x);
  if (x < 3) {
    // erf(x) = 2/sqrt(pi) Σ (-1)^n x^(2n+1) / (n! (2n+1))
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated bottom up.
  let fraction = x;
  for (let k = 200; k >= 1; k--) fraction = x + k / 2 / fraction;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / fraction;
}

export function normalCdfIndependent(x: number): number {
  return 0.5 * erfcIndependent(-x / Math.SQRT2);
}

export function erfcForCheck(x: number): number {
  return erfcIndependent(x);
}

export type BsmCase = {
  type: 'call' | 'put';
  spot: number;
  strike: number;
  timeYears: number;
  rate: number;
  yieldRate: number;
  volAnnual: number;
};

/** C = S e^{-qT} N(d1) - K e^{-rT} N(d2); P = K e^{-rT} N(-d2) - S e^{-qT} N(-d1). */
export function bsmIndependent(c: BsmCase): number {
  const { spot: S, strike: K, timeYears: T, rate: r, yieldRate: q, volAnnual: v } = c;
  const d1 = (Math.log(S / K) + (r - q + (v * v) / 2) * T) / (v * Math.sqrt(T));
  const d2 = d1 - v * Math.sqrt(T);
  if (c.type === 'call')
    return S * Math.exp(-q * T) * normalCdfIndependent(d1) - K * Math.exp(-r * T) * normalCdfIndependent(d2);
  return K * Math.exp(-r * T) * normalCdfIndependent(-d2) - S * Math.exp(-q * T) * normalCdfIndependent(-d1);
}
