import type { TreeGreeks } from './crr.ts';
import { PricingError } from './errors.ts';
import type { JumpToDefaultTreeInput } from './jumpToDefault.ts';
import { jumpToDefaultSchedule, SPOT_STENCIL } from './jumpToDefaultSchedule.ts';

export type JumpToDefaultRollbackReturnType = TreeGreeks & {
  /** d price / d hazard shift, per unit of hazard per year, on the same lattices. */
  hazardSensitivity: number;
};

/**
 * One rollback on the lattices of {@link jumpToDefaultSchedule}: the price, delta and gamma from the
 * five nodes of step 0 (at S e^{2 m dx}, m = -2..2), theta from the pricing equation, and in the
 * same pass the price's derivative in a parallel shift of the hazard (forward mode). Each step,
 * from the survival lattice's node j:
 *   held = e^{-r dt} (s (p V_up + (1 - p) V_down) + (1 - s) sum of the landing probabilities times
 *   the values after default),
 * and its derivative is the same sum with each weight replaced by its derivative (from the
 * schedule) plus the weights times the derivatives of V_up and V_down. The lattice after default
 * sees no further default, so its values do not depend on the hazard; at an American node where
 * exercise wins the derivative is that of the exercise value, 0. With R = 0 the value after
 * default is the same at every price (0 for a call, K e^{-r (T - t)} for a European put, K for an
 * American put). American options are exercised on both lattices.
 *
 * `hazardShiftPerYear` moves the whole hazard curve for the probabilities and leaves the lattices in
 * place (0 for the price; the tests difference shifted rollbacks to check the derivative).
 * The input must have been checked (jumpToDefaultTree does it): `recovery` is its recovery fraction.
 *
 * Cost: the survival lattice's (steps + 5)^2 / 2 nodes, each with its derivative, and the lattice
 * after default over the band of nodes the landings need (none with R = 0).
 *
 * @throws PricingError `invalid_input` for too few steps (from the schedule) or nodes that would
 * overflow.
 */
export function jumpToDefaultRollback(
  input: JumpToDefaultTreeInput,
  recovery: number,
  hazardShiftPerYear: number,
): JumpToDefaultRollbackReturnType {
  const { spot, strike, timeYears, rate, yieldRate, volAnnual, steps } = input;
  const basePerYear = input.hazardPerYear;
  const curve = input.hazardCurve;
  const lambdaNow = (curve === undefined ? basePerYear : curve.initialPerYear) + hazardShiftPerYear;
  const plan = jumpToDefaultSchedule({
    steps,
    timeYears,
    rate,
    yieldRate,
    volAnnual,
    recovery,
    basePerYear,
    curve,
    hazardShiftPerYear,
  });
  const { dx, survive, survivalUp, fall, survivalDrift, afterDriftPerStep, afterLow, afterHigh, powerLow } =
    plan;
  const { surviveSlope, survivalUpSlope, landingDown, landingMiddle, landingUp } = plan;
  const { landingDownSlope, landingMiddleSlope, landingUpSlope, landingShift } = plan;
  const loss = 1 - recovery;
  const discount = Math.exp((-rate * timeYears) / steps);
  const halfDiscount = 0.5 * discount;
  // powers[m - powerLow] = e^{m dx}: node prices are a step's factor times one of these.
  const powers = new Float64Array(plan.powerHigh - powerLow + 1);
  for (let m = powerLow; m <= plan.powerHigh; m++) powers[m - powerLow] = Math.exp(m * dx);
  const top = spot * Math.exp(survivalDrift[steps] as number);
  if (!Number.isFinite(top * (powers[plan.powerHigh - powerLow] as number))) {
    throw new PricingError(
      'invalid_input',
      "the tree's outer nodes overflow (hazard times expiry too large for the lattice): use fewer steps",
      { steps, hazardPerYear: basePerYear },
    );
  }
  const sign = input.type === 'call' ? 1 : -1;
  const american = input.exercise === 'american';
  const width = 2 * SPOT_STENCIL;
  const values = new Float64Array(steps + width + 1);
  // slopes[j] = d values[j] / d shift: 0 at expiry.
  const slopes = new Float64Array(steps + width + 1);
  for (let j = 0; j <= steps + width; j++) {
    values[j] = Math.max(sign * (top * (powers[2 * j - steps - width - powerLow] as number) - strike), 0);
  }
  // After default: a lattice over [afterLow[i], afterHigh[i]] (indices from afterLow[steps]), or with R = 0 one value.
  const withLattice = recovery > 0;
  const lowest = afterLow[steps] as number;
  const after = new Float64Array(withLattice ? (afterHigh[steps] as number) - lowest + 2 : 1);
  const afterRoot = recovery * spot;
  if (withLattice) {
    const factor = afterRoot * Math.exp(steps * afterDriftPerStep);
    for (let k = lowest; k <= (afterHigh[steps] as number); k++) {
      after[k - lowest] = Math.max(
        sign * (factor * (powers[2 * k - steps - powerLow] as number) - strike),
        0,
      );
    }
  } else {
    after[0] = Math.max(-sign * strike, 0);
  }
  for (let i = steps - 1; i >= 0; i--) {
    const stay = discount * (survive[i] as number);
    const up = survivalUp[i] as number;
    const stayUp = stay * up;
    const stayDown = stay - stayUp;
    const falls = discount * (fall[i] as number);
    const staySlope = discount * (surviveSlope[i] as number);
    const stayUpSlope = staySlope * up + stay * (survivalUpSlope[i] as number);
    const stayDownSlope = staySlope - stayUpSlope;
    const fallsSlope = -staySlope;
    const factor = spot * Math.exp(survivalDrift[i] as number);
    const offset = -i - width - powerLow;
    const last = i + width;
    if (withLattice) {
      const landDown = landingDown[i] as number;
      const landMiddle = landingMiddle[i] as number;
      const landUp = landingUp[i] as number;
      const down = falls * landDown;
      const middle = falls * landMiddle;
      const upper = falls * landUp;
      const downSlope = fallsSlope * landDown + falls * (landingDownSlope[i] as number);
      const middleSlope = fallsSlope * landMiddle + falls * (landingMiddleSlope[i] as number);
      const upperSlope = fallsSlope * landUp + falls * (landingUpSlope[i] as number);
      // Survival node j lands around node j - SPOT_STENCIL + landingShift[i] after default.
      const base = (landingShift[i] as number) - SPOT_STENCIL - lowest;
      // Walk j upward carrying the values already read: node j + 1 is rewritten only at j + 1.
      let vLow = values[0] as number;
      let sLow = slopes[0] as number;
      let aLow = after[base - 1] as number;
      let aMid = after[base] as number;
      for (let j = 0; j <= last; j++) {
        const vHigh = values[j + 1] as number;
        const sHigh = slopes[j + 1] as number;
        const aHigh = after[base + j + 1] as number;
        let held = stayDown * vLow + stayUp * vHigh + down * aLow + middle * aMid + upper * aHigh;
        let slope =
          stayDownSlope * vLow +
          stayDown * sLow +
          stayUpSlope * vHigh +
          stayUp * sHigh +
          downSlope * aLow +
          middleSlope * aMid +
          upperSlope * aHigh;
        if (american) {
          const exercise = sign * (factor * (powers[offset + 2 * j] as number) - strike);
          if (exercise > held) {
            held = exercise;
            slope = 0;
          }
        }
        values[j] = held;
        slopes[j] = slope;
        vLow = vHigh;
        sLow = sHigh;
        aLow = aMid;
        aMid = aHigh;
      }
      const afterFactor = afterRoot * Math.exp(i * afterDriftPerStep);
      const afterOffset = 2 * lowest - i - powerLow;
      const high = (afterHigh[i] as number) - lowest;
      for (let c = (afterLow[i] as number) - lowest; c <= high; c++) {
        let held = halfDiscount * ((after[c] as number) + (after[c + 1] as number));
        if (american)
          held = Math.max(held, sign * (afterFactor * (powers[afterOffset + 2 * c] as number) - strike));
        after[c] = held;
      }
    } else {
      const afterValue = after[0] as number;
      const afterDefault = falls * afterValue;
      const afterDefaultSlope = fallsSlope * afterValue;
      let vLow = values[0] as number;
      let sLow = slopes[0] as number;
      for (let j = 0; j <= last; j++) {
        const vHigh = values[j + 1] as number;
        const sHigh = slopes[j + 1] as number;
        let held = stayDown * vLow + stayUp * vHigh + afterDefault;
        let slope =
          stayDownSlope * vLow + stayDown * sLow + stayUpSlope * vHigh + stayUp * sHigh + afterDefaultSlope;
        if (american) {
          const exercise = sign * (factor * (powers[offset + 2 * j] as number) - strike);
          if (exercise > held) {
            held = exercise;
            slope = 0;
          }
        }
        values[j] = held;
        slopes[j] = slope;
        vLow = vHigh;
        sLow = sHigh;
      }
      const held = discount * afterValue;
      after[0] = american ? Math.max(held, -sign * strike) : held;
    }
  }
  // Step 0: five nodes 2 dx apart in x = ln S; 5-point stencils give V_x and V_xx at the spot, then
  // delta = V_x / S and gamma = (V_xx - V_x) / S^2.
  const [v0 = 0, v1 = 0, price = 0, v3 = 0, v4 = 0] = values;
  const h = 2 * dx;
  const slope = (v0 - 8 * v1 + 8 * v3 - v4) / (12 * h);
  const curvature = (-v0 + 16 * v1 - 30 * price + 16 * v3 - v4) / (12 * h * h);
  const delta = slope / spot;
  const gamma = (curvature - slope) / (spot * spot);
  const valueAfter = withLattice ? (after[-lowest] as number) : (after[0] as number);
  const theta =
    (rate + lambdaNow) * price -
    (rate - yieldRate + lambdaNow * loss) * spot * delta -
    0.5 * volAnnual * volAnnual * spot * spot * gamma -
    lambdaNow * valueAfter;
  return { price, delta, gamma, theta, hazardSensitivity: slopes[SPOT_STENCIL] as number };
}
