import { erfcx } from './normal.ts';

/**
 * P(Z <= x) given `gaussian` = exp(-x^2/2), for the batch pricer: the value of
 * `normalCdfFromGaussian` (Cody's erfcx) with erfcx(y), y = |x|/sqrt(2), read from a table of Taylor
 * polynomials and no branch on the sign of x:
 *
 *   tail = gaussian erfcx(y) / 2 = P(Z > |x|),   P(Z <= x) = (1 + s)/2 - s tail,   s = sign(x)
 *
 * (for x < 0 that is 0 + tail exactly: the lower tail keeps its relative precision).
 *
 * Panels of width 1/32 on [0, 27] (beyond 26.6 the tail underflows: the last panel serves), each the
 * degree-8 Taylor polynomial of erfcx about its centre, coefficients by the recurrence
 * c1 = 2 y c0 - 2/sqrt(pi), c(n+1) = 2 (y c(n) + c(n-1)) / (n+1) from Cody's erfcx at the centre:
 * truncation below 1e-18 relative, so the table agrees with Cody's erfcx to rounding
 * (normalCdfByTable.test.ts).
 */

const PER_UNIT = 32;
const END = 27;
const DEGREE = 8;
const PANELS = END * PER_UNIT;
const LAST = PANELS - 1;
const STRIDE = DEGREE + 1;
const TWO_OVER_SQRT_PI = 1.1283791670955126;

const COEFFICIENTS = (() => {
  const table = new Float64Array(PANELS * STRIDE);
  const c = new Float64Array(STRIDE);
  for (let k = 0; k < PANELS; k++) {
    const centre = (k + 0.5) / PER_UNIT;
    c[0] = erfcx(centre);
    c[1] = 2 * centre * c[0] - TWO_OVER_SQRT_PI;
    for (let n = 1; n < DEGREE; n++) c[n + 1] = (2 * (centre * c[n]! + c[n - 1]!)) / (n + 1);
    table.set(c, k * STRIDE);
  }
  return table;
})();

export function normalCdfByTable(x: number, gaussian: number): number {
  const y = Math.abs(x) * Math.SQRT1_2;
  const k = Math.min((y * PER_UNIT) | 0, LAST);
  const u = y - (k + 0.5) / PER_UNIT;
  const o = k * STRIDE;
  const t = COEFFICIENTS;
  // Estrin's scheme: the polynomial in four short chains instead of one of eight steps.
  const u2 = u * u;
  const u4 = u2 * u2;
  const p =
    t[o]! +
    t[o + 1]! * u +
    u2 * (t[o + 2]! + t[o + 3]! * u) +
    u4 * (t[o + 4]! + t[o + 5]! * u + u2 * (t[o + 6]! + t[o + 7]! * u) + u4 * t[o + 8]!);
  const s = Math.sign(x);
  return 0.5 + 0.5 * s - s * (0.5 * gaussian * p);
}
