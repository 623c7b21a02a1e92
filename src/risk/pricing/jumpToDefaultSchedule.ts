import { assertProbability } from './crr.ts';
import { cumulativeHazard, type HazardCurve } from './cumulativeHazard.ts';

/**
 * Step 0 of the survival lattice has 2 SPOT_STENCIL + 1 nodes centred on the spot (a plain tree has
 * one), so that delta and gamma come from a 5-point stencil at t = 0 rather than from later steps.
 */
export const SPOT_STENCIL = 2;

export type JumpToDefaultScheduleParameters = {
  steps: number;
  timeYears: number;
  rate: number;
  yieldRate: number;
  volAnnual: number;
  recovery: number;
  /** The flat hazard per year, or the base rate of `curve`: it places the survival lattice. */
  basePerYear: number;
  curve: HazardCurve | undefined;
  /**
   * A parallel shift of the hazard for the probabilities only, 0 for a price: the lattice stays in
   * place, so that the derivatives in the shift (the `...Slope` arrays, which give the hazard
   * sensitivity) do not see the nodes move against the strike.
   */
  hazardShiftPerYear: number;
};

/**
 * What a jump-to-default tree needs per step i (from t_i = i dt to t_{i+1}), computed before the
 * rollback. Both lattices have log spacing dx = vol sqrt(dt); node j of step i of the survival
 * lattice sits at S e^{survivalDrift[i] + (2j - i - 2 SPOT_STENCIL) dx}, j = 0..i + 2 SPOT_STENCIL,
 * node k of step i of
 * the lattice after default (up probability 1/2) at R S e^{i afterDriftPerStep + (2k - i) dx}.
 */
export type JumpToDefaultSchedule = {
  dx: number;
  /** Probability of no default within step i. */
  survive: Float64Array;
  /** Probability of default within step i, 1 - survive[i] without cancellation. */
  fall: Float64Array;
  /** Log offset of the survival lattice at step i (steps + 1 entries). */
  survivalDrift: Float64Array;
  /** Up probability of the survival lattice in step i. */
  survivalUp: Float64Array;
  /** Log drift per step of the lattice after default. */
  afterDriftPerStep: number;
  /**
   * A default in step i from survival node j lands on nodes k - 1, k, k + 1 of step i + 1 after
   * default, k = j + landingShift[i], with probabilities landingDown, landingMiddle, landingUp.
   */
  landingShift: Int32Array;
  landingDown: Float64Array;
  landingMiddle: Float64Array;
  landingUp: Float64Array;
  /**
   * Derivatives of survive, survivalUp, landingDown, landingMiddle and landingUp in step i with
   * respect to the hazard shift, per unit of hazard per year (fall's is -surviveSlope). The
   * landing shift and the lattices stay fixed; where the step's hazard is clipped at 0 the
   * derivative is the one for an upward shift.
   */
  surviveSlope: Float64Array;
  survivalUpSlope: Float64Array;
  landingDownSlope: Float64Array;
  landingMiddleSlope: Float64Array;
  landingUpSlope: Float64Array;
  /** Range of nodes k of the lattice after default that step i needs (steps + 1 entries). */
  afterLow: Int32Array;
  afterHigh: Int32Array;
  /** Smallest and largest 2k - i over those nodes and over the survival lattice. */
  powerLow: number;
  powerHigh: number;
};

/**
 * The per-step schedule of a jump-to-default tree. Each step is an exact one-step match of the
 * continuous model's conditional means of the price (so the discounted price is a martingale on
 * the tree), and of its log variance vol^2 dt, branch by branch:
 * - survival (probability s = e^{-l dt}, l the step's mean hazard): the lattice moves its centre by
 *   l (1 - R) dt, the hazard's share of the pre-default forward, and the up probability
 *   (e^{(r - q) dt} - e^{-dx}) / (e^{dx} - e^{-dx}) (CRR's) gives the mean
 *   S e^{(r - q + l (1 - R)) dt} whatever the hazard (with a hazard shift the up probability gives
 *   the shifted mean on the same nodes);
 * - default within the step: the price lands at t + dt with mean
 *   R S e^{(r - q) dt} (1 - e^{-l R dt}) / (R (1 - s)) (the pre-default drift accrued until the
 *   default time) on three neighbouring nodes of the lattice after default, whose probabilities
 *   match that mean exactly and the log variance vol^2 dt around it (two nodes when the third
 *   would need a negative probability, which happens only at the edge of a cell);
 * - after default: centre moves by (r - q) dt - ln cosh(dx), mean S e^{(r - q) dt}.
 * With R = 0 the landing is not needed (the price after default is 0).
 *
 * @throws PricingError `invalid_input` when a probability leaves [0, 1]: the survival one when
 * |r - q| dt exceeds dx (as in CRR), a landing one when vol sqrt(dt) exceeds about 2; the message
 * says to use more steps.
 */
export function jumpToDefaultSchedule(parameters: JumpToDefaultScheduleParameters): JumpToDefaultSchedule {
  const { steps, timeYears, rate, yieldRate, volAnnual, recovery, basePerYear, curve, hazardShiftPerYear } =
    parameters;
  const dt = timeYears / steps;
  const dx = volAnnual * Math.sqrt(dt);
  const cell = 2 * dx;
  const loss = 1 - recovery;
  const carry = (rate - yieldRate) * dt;
  const logCosh = Math.log(Math.cosh(dx));
  const afterDriftPerStep = carry - logCosh;
  const coshCell = Math.cosh(cell);
  const sinhCell = Math.sinh(cell);
  const expm1Cell = Math.expm1(cell);
  const expm1MinusCell = Math.expm1(-cell);
  const survive = new Float64Array(steps);
  const fall = new Float64Array(steps);
  const survivalDrift = new Float64Array(steps + 1);
  const survivalUp = new Float64Array(steps);
  const landingShift = new Int32Array(steps);
  const landingDown = new Float64Array(steps);
  const landingMiddle = new Float64Array(steps);
  const landingUp = new Float64Array(steps);
  const surviveSlope = new Float64Array(steps);
  const survivalUpSlope = new Float64Array(steps);
  const landingDownSlope = new Float64Array(steps);
  const landingMiddleSlope = new Float64Array(steps);
  const landingUpSlope = new Float64Array(steps);
  const afterLow = new Int32Array(steps + 1);
  const afterHigh = new Int32Array(steps + 1);
  const hazard = new Float64Array(2);
  const twoSinhDx = 2 * Math.sinh(dx);
  const expMinusDx = Math.exp(-dx);
  const shiftPerStep = hazardShiftPerYear * dt;
  let powerLow = -steps - 2 * SPOT_STENCIL;
  let powerHigh = steps + 2 * SPOT_STENCIL;
  let previous = 0;
  for (let i = 0; i < steps; i++) {
    const cumulative = cumulativeHazard(basePerYear, curve, (i + 1) * dt, hazard)[1] as number;
    const latticeHazard = cumulative - previous;
    previous = cumulative;
    const shifted = latticeHazard + shiftPerStep;
    const stepHazard = Math.max(shifted, 0);
    // d stepHazard / d shift: dt, or 0 where the hazard is clipped (a right derivative at 0).
    const stepHazardSlope = shifted >= 0 ? dt : 0;
    const stays = Math.exp(-stepHazard);
    survive[i] = stays;
    fall[i] = -Math.expm1(-stepHazard);
    surviveSlope[i] = -stays * stepHazardSlope;
    const drift = survivalDrift[i] as number;
    survivalDrift[i + 1] = drift + latticeHazard * loss;
    // Mean e^{(r-q+l(1-R)) dt} on nodes e^{l (1-R) dt +- dx}: up = (e^{(r-q) dt + (shift) (1-R) dt} - e^{-dx}) / (2 sinh dx).
    const growth = Math.exp(carry + (stepHazard - latticeHazard) * loss);
    survivalUp[i] = (growth - expMinusDx) / twoSinhDx;
    survivalUpSlope[i] = (growth * loss * stepHazardSlope) / twoSinhDx;
    assertProbability(survivalUp[i] as number, steps);
    const low = afterLow[i] as number;
    const high = afterHigh[i] as number;
    if (recovery === 0) {
      afterLow[i + 1] = low;
      afterHigh[i + 1] = high + 1;
      continue;
    }
    // E[e^{l (1-R) x} | default at x < dt] = (1 - e^{-l R dt}) / (R (1 - s)).
    const accrued =
      stepHazard === 0 ? 1 : -Math.expm1(-stepHazard * recovery) / recovery / (fall[i] as number);
    // Log of the landing mean over the price of node k = j of step i + 1 after default.
    const logMean = drift + carry + Math.log(accrued) - (i + 1) * afterDriftPerStep + dx;
    const cells = (logMean - 0.5 * dx * dx) / cell;
    const shift = Math.round(cells);
    const offset = cells - shift;
    // On nodes -cell, 0, +cell: mean e^{logMean - shift cell}, second moment of the log 1/4 + offset^2 cells^2.
    const meanMinusOne = Math.expm1(logMean - shift * cell);
    const outer = 0.25 + offset * offset;
    const tilt = (meanMinusOne + outer * (1 - coshCell)) / sinhCell;
    let up = 0.5 * (outer + tilt);
    let down = 0.5 * (outer - tilt);
    // The same in forward mode: d/d shift of logMean, then of each quantity above.
    const logMeanSlope = accruedLogSlope(stepHazard, recovery) * stepHazardSlope;
    const meanSlope = (meanMinusOne + 1) * logMeanSlope;
    const outerSlope = (2 * offset * logMeanSlope) / cell;
    const tiltSlope = (meanSlope + outerSlope * (1 - coshCell)) / sinhCell;
    let upSlope = 0.5 * (outerSlope + tiltSlope);
    let downSlope = 0.5 * (outerSlope - tiltSlope);
    if (down < 0) {
      down = 0;
      up = meanMinusOne / expm1Cell;
      downSlope = 0;
      upSlope = meanSlope / expm1Cell;
    } else if (up < 0) {
      up = 0;
      down = meanMinusOne / expm1MinusCell;
      upSlope = 0;
      downSlope = meanSlope / expm1MinusCell;
    }
    const middle = 1 - up - down;
    assertProbability(up, steps);
    assertProbability(down, steps);
    assertProbability(middle, steps);
    landingShift[i] = shift;
    landingDown[i] = down;
    landingMiddle[i] = middle;
    landingUp[i] = up;
    landingDownSlope[i] = downSlope;
    landingMiddleSlope[i] = -upSlope - downSlope;
    landingUpSlope[i] = upSlope;
    // Survival nodes j = 0..i + 2 SPOT_STENCIL land around k = j - SPOT_STENCIL + shift.
    afterLow[i + 1] = Math.min(low, shift - SPOT_STENCIL - 1);
    afterHigh[i + 1] = Math.max(high + 1, i + shift + SPOT_STENCIL + 1);
  }
  for (let i = 0; i <= steps; i++) {
    powerLow = Math.min(powerLow, 2 * (afterLow[i] as number) - i);
    powerHigh = Math.max(powerHigh, 2 * (afterHigh[i] as number) - i);
  }
  return {
    dx,
    survive,
    fall,
    survivalDrift,
    survivalUp,
    afterDriftPerStep,
    landingShift,
    landingDown,
    landingMiddle,
    landingUp,
    surviveSlope,
    survivalUpSlope,
    landingDownSlope,
    landingMiddleSlope,
    landingUpSlope,
    afterLow,
    afterHigh,
    powerLow,
    powerHigh,
  };
}

/**
 * d ln(accrued) / d stepHazard for accrued = (1 - e^{-l R}) / (R (1 - e^{-l})), l = stepHazard > 0,
 * R in (0, 1]: R / expm1(R l) - 1 / expm1(l), and below l = 1e-3 (where that difference cancels) its
 * series (1 - R) / 2 + (R^2 - 1) l / 12 - (R^4 - 1) l^3 / 720, from x / expm1(x) = 1 - x/2 + x^2/12 - x^4/720.
 */
function accruedLogSlope(stepHazard: number, recovery: number): number {
  if (stepHazard < 1e-3) {
    const r2 = recovery * recovery;
    return (
      0.5 * (1 - recovery) +
      ((r2 - 1) * stepHazard) / 12 -
      ((r2 * r2 - 1) * stepHazard * stepHazard * stepHazard) / 720
    );
  }
  return recovery / Math.expm1(recovery * stepHazard) - 1 / Math.expm1(stepHazard);
}
