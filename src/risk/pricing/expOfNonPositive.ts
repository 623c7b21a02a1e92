/**
 * e^x for x <= 0, to about one unit in the last place, without calling Math.exp: the batch pricer's
 * exp(-d^2/2). x = (64 m + j) ln2/64 + r with |r| <= ln2/128, so
 * e^x = 2^m * 2^(j/64) * e^r, e^r by its Taylor polynomial of degree 6 (error below 4e-20), 2^(j/64)
 * and 2^m from tables. ln 2 / 64 is split (fdlibm's ln2_hi / ln2_lo over 64) so n ln2/64 is exact.
 * Below -745.2 the result underflows to 0; NaN gives NaN.
 */

const N_PER_LN2 = 64 / Math.LN2;
/** fdlibm's ln2_hi (31 significant bits) and ln2_lo, divided by 64 (exactly). */
const LN2_64_HI = 0.6931471803691238 / 64;
const LN2_64_LO = 1.9082149292705877e-10 / 64;
const MIN_EXPONENT = -1075;

/** 2^(j/64), j = 0..63, each within an ulp. */
const FRACTION = Float64Array.from({ length: 64 }, (_, j) => 2 ** (j / 64));
/** 2^m for m = -1075..0. */
const POWER = Float64Array.from({ length: -MIN_EXPONENT + 1 }, (_, i) => 2 ** (i + MIN_EXPONENT));

/** 1.5 * 2^52: adding and subtracting it rounds a double below 2^51 to the nearest integer. */
const ROUNDER = 6755399441055744;

export function expOfNonPositive(x: number): number {
  if (!(x > -745.2)) return x <= -745.2 ? 0 : Number.NaN;
  const n = x * N_PER_LN2 + ROUNDER - ROUNDER;
  const r = x - n * LN2_64_HI - n * LN2_64_LO;
  const j = n & 63;
  const m = (n - j) * (1 / 64);
  const p = r + r * r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720)))));
  // n <= 0 except when x rounds up to the first node above 0: m = 0 then.
  const scale = m <= 0 ? (POWER[m - MIN_EXPONENT] as number) : 1;
  return (FRACTION[j] as number) * (1 + p) * scale;
}
