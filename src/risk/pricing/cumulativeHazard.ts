/**
 * A hazard that starts raised and decays toward its base rate (docs/hazard.md, "Term structure"):
 *
 *   lambda(t) = base + (initial - base) * exp(-k t),   k = ln 2 / halfLifeYears
 *
 * `initialPerYear` may lie above or below the base; with `initialPerYear = base` the hazard is flat.
 */
export type HazardCurve = {
  /** Intensity now, per year, >= 0. */
  initialPerYear: number;
  /** Time for the excess over the base to halve, in years, > 0. */
  halfLifeYears: number;
};

/**
 * The intensity at `t` years and the cumulative hazard Lambda(t) = integral of lambda from 0 to t,
 * written into `out` (`[lambda(t), Lambda(t)]`). Without a curve the hazard is flat at `basePerYear`.
 */
export function cumulativeHazard(
  basePerYear: number,
  curve: HazardCurve | undefined,
  t: number,
  out: Float64Array,
): Float64Array {
  if (curve === undefined || curve.initialPerYear === basePerYear) {
    out[0] = basePerYear;
    out[1] = basePerYear * t;
    return out;
  }
  const k = Math.LN2 / curve.halfLifeYears;
  const excess = curve.initialPerYear - basePerYear;
  const decay = Math.exp(-k * t);
  out[0] = basePerYear + excess * decay;
  // (1 - e^{-kt}) / k without cancellation for small k t.
  out[1] = basePerYear * t + excess * (k * t < 1e-8 ? t * (1 - 0.5 * k * t) : -Math.expm1(-k * t) / k);
  return out;
}
