/**
 * The error function and the standard normal distribution to full double precision, with the
 * rational Chebyshev approximations of W. J. Cody, "Rational Chebyshev approximations for the
 * error function", Mathematics of Computation 23 (1969), 631-638: relative error below about
 * 1e-15 over the whole line.
 */

const THRESHOLD = 0.46875;
const INV_SQRT_PI = 0.5641895835477563;
const INV_SQRT_2PI = 0.3989422804014327;
/** Above this, erfc(x) underflows to 0 in double precision. */
const ERFC_ZERO_AT = 26.543;
/** Above this, erfcx(x) = 1/(x sqrt(pi)) to double precision. */
const ERFCX_ASYMPTOTIC_AT = 6.71e7;

const A0 = 3.1611237438705655;
const A1 = 113.86415415105016;
const A2 = 377.485237685302;
const A3 = 3209.3775891384694;
const A4 = 0.18577770618460315;
const B0 = 23.601290952344122;
const B1 = 244.02463793444417;
const B2 = 1282.6165260773723;
const B3 = 2844.236833439171;

const C0 = 0.5641884969886701;
const C1 = 8.883149794388377;
const C2 = 66.11919063714163;
const C3 = 298.6351381974001;
const C4 = 881.952221241769;
const C5 = 1712.0476126340707;
const C6 = 2051.0783778260716;
const C7 = 1230.3393547979972;
const C8 = 2.1531153547440383e-8;
const D0 = 15.744926110709835;
const D1 = 117.6939508913125;
const D2 = 537.1811018620099;
const D3 = 1621.3895745666903;
const D4 = 3290.7992357334597;
const D5 = 4362.619090143247;
const D6 = 3439.3676741437216;
const D7 = 1230.3393548037495;

const P0 = 0.30532663496123236;
const P1 = 0.36034489994980445;
const P2 = 0.12578172611122926;
const P3 = 0.016083785148742275;
const P4 = 0.0006587491615298378;
const P5 = 0.016315387137302097;
const Q0 = 2.568520192289822;
const Q1 = 1.8729528499234673;
const Q2 = 0.5279051029514285;
const Q3 = 0.06051834131244132;
const Q4 = 0.0023352049762686918;

/** erf(x) for |x| <= 0.46875. */
function erfNearZero(x: number): number {
  const z = x * x;
  const num = (((A4 * z + A0) * z + A1) * z + A2) * z + A3;
  const den = (((z + B0) * z + B1) * z + B2) * z + B3;
  return (x * num) / den;
}

/** erfcx(y) = exp(y^2) erfc(y) for y > 0.46875. */
function erfcxPositive(y: number): number {
  if (y <= 4) {
    // The polynomials of degree 8 in Estrin's scheme: shorter chains of dependent operations.
    const y2 = y * y;
    const y4 = y2 * y2;
    const num = (((C8 * y + C0) * y2 + (C1 * y + C2)) * y4 + ((C3 * y + C4) * y2 + (C5 * y + C6))) * y + C7;
    const den = (((y + D0) * y2 + (D1 * y + D2)) * y4 + ((D3 * y + D4) * y2 + (D5 * y + D6))) * y + D7;
    return num / den;
  }
  if (y >= ERFCX_ASYMPTOTIC_AT) return INV_SQRT_PI / y;
  const z = 1 / (y * y);
  const num = ((((P5 * z + P0) * z + P1) * z + P2) * z + P3) * z + P4;
  const den = ((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4;
  return (INV_SQRT_PI - (z * num) / den) / y;
}

/**
 * exp(-y * y * scale) for y >= 0 and scale 1 or 1/2, without the rounding of y * y: y is split
 * into a short high part (a multiple of 1/16, whose square is exact) and the rest.
 */
function expMinusSquare(y: number, scale: number): number {
  if (y === Number.POSITIVE_INFINITY) return 0;
  const high = Math.trunc(y * 16) / 16;
  const rest = (y - high) * (y + high);
  return Math.exp(-high * high * scale) * Math.exp(-rest * scale);
}

/** The error function, erf(x) = 2/sqrt(pi) * integral from 0 to x of exp(-t^2) dt. */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESHOLD) return erfNearZero(x);
  const tail = y >= ERFC_ZERO_AT ? 0 : expMinusSquare(y, 1) * erfcxPositive(y);
  return x < 0 ? tail - 1 : 1 - tail;
}

/** The complementary error function, erfc(x) = 1 - erf(x), accurate in its tail. */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESHOLD) return 1 - erfNearZero(x);
  const tail = y >= ERFC_ZERO_AT ? 0 : expMinusSquare(y, 1) * erfcxPositive(y);
  return x < 0 ? 2 - tail : tail;
}

/**
 * The scaled complementary error function, erfcx(x) = exp(x^2) erfc(x). Finite for every
 * x >= -26.6; below that it overflows to Infinity.
 */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= THRESHOLD) return Math.exp(x * x) * (1 - erfNearZero(x));
  const scaled = erfcxPositive(y);
  if (x > 0) return scaled;
  if (y >= ERFC_ZERO_AT) return Number.POSITIVE_INFINITY;
  return 2 / expMinusSquare(y, 1) - scaled;
}

/** The standard normal density, exp(-x^2/2) / sqrt(2 pi). */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * expMinusSquare(Math.abs(x), 0.5);
}

/**
 * The standard normal cumulative distribution, P(Z <= x), with full relative precision in the
 * lower tail (down to the underflow near x = -38.5).
 */
export function normalCdf(x: number): number {
  const a = Math.abs(x);
  const y = a * Math.SQRT1_2;
  if (y <= THRESHOLD) return 0.5 + 0.5 * erfNearZero(x * Math.SQRT1_2);
  const tail = a >= 38.5 ? 0 : 0.5 * expMinusSquare(a, 0.5) * erfcxPositive(y);
  return x < 0 ? tail : 1 - tail;
}

/**
 * P(Z <= x) given `gaussian` = exp(-x^2/2), which the caller may already hold: saves the
 * exponential of {@link normalCdf} in batch loops. With `gaussian` computed as
 * Math.exp(-x * x / 2) the relative error grows to about x^2 * 1e-16 in the tails.
 */
export function normalCdfFromGaussian(x: number, gaussian: number): number {
  const y = Math.abs(x) * Math.SQRT1_2;
  if (y <= THRESHOLD) return 0.5 + 0.5 * erfNearZero(x * Math.SQRT1_2);
  const tail = 0.5 * gaussian * erfcxPositive(y);
  return x < 0 ? tail : 1 - tail;
}
