import { bsmGreeksUnchecked, bsmPriceUnchecked } from './bsm.ts';
import { assertLatticeSpan, assertSteps, type TreeGreeks } from './crr.ts';
import { cumulativeHazard, type HazardCurve } from './cumulativeHazard.ts';
import { assertNonNegative, assertPositive, PricingError } from './errors.ts';
import { gaussKronrodNodes } from './gaussKronrod.ts';
import { jumpToDefaultRollback } from './jumpToDefaultRollback.ts';
import type { ExerciseStyle, Greeks, OptionInput } from './types.ts';
import { assertOptionInput, MAX_RATE_TIMES_T } from './validate.ts';

/**
 * An option on an underlying that defaults (a consensus failure) at the first event of a
 * Poisson process with intensity `hazardPerYear`. At default the price jumps to
 * `recoveryFraction` times its pre-default value (0 by default) and then diffuses on without
 * further defaults. Before default the risk-neutral drift is r - q + hazard * (1 - recovery), so
 * the forward stays S exp((r - q) T) and put-call parity holds as without default:
 * C - P = S exp(-qT) - K exp(-rT).
 */
export type JumpToDefaultInput = OptionInput & {
  /**
   * Intensity of the default (consensus-failure) event, per year, >= 0: the flat hazard, or with
   * `hazardCurve` the base rate that the hazard decays toward.
   */
  hazardPerYear: number;
  /** A hazard raised now that decays toward `hazardPerYear` (docs/hazard.md, "Term structure"). */
  hazardCurve?: HazardCurve;
  /** Fraction of the price left after default, in [0, 1]; 0 when absent. */
  recoveryFraction?: number;
};

/** Greeks with the sensitivity to the hazard rate, dV/dlambda per unit of hazard per year. */
export type JumpToDefaultGreeks = Greeks & { hazardSensitivity: number };

export type JumpToDefaultTreeInput = JumpToDefaultInput & {
  exercise: ExerciseStyle;
  /** Number of time steps of the tree, an integer >= 2. */
  steps: number;
};

export type JumpToDefaultTreeGreeks = TreeGreeks & { hazardSensitivity: number };

function recoveryOf(input: JumpToDefaultInput): number {
  const recovery = input.recoveryFraction ?? 0;
  if (!(recovery >= 0 && recovery <= 1)) {
    throw new PricingError('invalid_input', `recoveryFraction must lie in [0, 1], got ${recovery}`, {
      recoveryFraction: recovery,
    });
  }
  return recovery;
}

function assertJumpToDefaultInput(input: JumpToDefaultInput): number {
  assertOptionInput(input);
  assertNonNegative('hazardPerYear', input.hazardPerYear);
  let peak = input.hazardPerYear;
  if (input.hazardCurve !== undefined) {
    assertNonNegative('hazardCurve.initialPerYear', input.hazardCurve.initialPerYear);
    assertPositive('hazardCurve.halfLifeYears', input.hazardCurve.halfLifeYears);
    peak = Math.max(peak, input.hazardCurve.initialPerYear);
  }
  if (Math.abs(input.rate + peak) * input.timeYears > MAX_RATE_TIMES_T) {
    throw new PricingError(
      'invalid_input',
      `(rate + hazardPerYear) * timeYears must be at most ${MAX_RATE_TIMES_T}`,
      { hazardPerYear: peak, timeYears: input.timeYears },
    );
  }
  return recoveryOf(input);
}

/** Scratch for cumulativeHazard ([lambda(t), Lambda(t)]), a panel's nodes and its sums: pure code, not re-entered. */
const scratch = new Float64Array(2);
const PANEL = gaussKronrodNodes(0, 1);
const SUMS = new Float64Array(8);

/** Largest number of quadrature panels of one price: a bound on the work, never reached in practice. */
const MAX_PANELS = 400;

/** Accepted error estimate of a panel, per unit of its share of [0, T], relative to the price scale. */
const PANEL_TOLERANCE = 1e-13;

/**
 * Price and Greeks of a European option with jump to default. With zero recovery the call is the
 * Black-Scholes-Merton call at the rate r + Lambda(T)/T (the average hazard), and the put follows by
 * parity; with a recovery R > 0 the price is exp(-Lambda(T)) BSM(S e^{(1-R) Lambda(T)}) plus the
 * integral over the default time tau of lambda(tau) e^{-Lambda(tau)} BSM(R S e^{(1-R) Lambda(tau)}),
 * summed by adaptive 15-point Gauss-Kronrod panels in tau: the panels start at tau = 2^k / lambda,
 * where the density of the default time halves, and split until the Kronrod and Gauss sums of the
 * price agree to 1e-13 of the price scale, so the integral stays accurate at any hazard.
 * `hazardCurve` makes the hazard decay from its initial value toward `hazardPerYear`. Theta (per
 * year) comes from the pricing equation with default at the hazard now; `hazardSensitivity` is dV/dh
 * for a parallel shift h of the hazard curve.
 *
 * @throws PricingError `invalid_input` for bad inputs (negative hazard, recovery outside [0, 1]).
 */
export function jumpToDefaultGreeks(input: JumpToDefaultInput): JumpToDefaultGreeks {
  const recovery = assertJumpToDefaultInput(input);
  const isCall = input.type === 'call';
  const { spot: S, strike: K, timeYears: T, rate: r, yieldRate: q, volAnnual: vol } = input;
  const base = input.hazardPerYear;
  const curve = input.hazardCurve;
  const loss = 1 - recovery;
  const cumulativeT =
    curve === undefined ? base * T : (cumulativeHazard(base, curve, T, scratch)[1] as number);
  const lambdaNow = curve === undefined ? base : curve.initialPerYear;
  const averageHazard = cumulativeT / T;
  const survival = Math.exp(-cumulativeT);
  // Without default by T: exp(-Lambda) BSM(S e^{(1-R) Lambda}; r, q), which is
  // BSM(S; r + Lambda/T, q + R Lambda/T): same forward, discounted at r + Lambda/T. No overflow.
  const alive = bsmGreeksUnchecked(isCall, S, K, T, r + averageHazard, q + averageHazard * recovery, vol);
  const out: JumpToDefaultGreeks = {
    price: alive.price,
    delta: alive.delta,
    gamma: alive.gamma,
    vega: alive.vega,
    theta: 0,
    rho: alive.rho,
    dividendRho: alive.dividendRho,
    hazardSensitivity: alive.rho + recovery * alive.dividendRho,
  };
  let valueAtDefault: number;
  if (recovery === 0) {
    const strikeNow = K * Math.exp(-r * T);
    valueAtDefault = isCall ? 0 : strikeNow;
    out.price += (1 - survival) * valueAtDefault;
    if (!isCall) out.rho -= (1 - survival) * T * strikeNow;
    out.hazardSensitivity += T * survival * valueAtDefault;
  } else {
    valueAtDefault = bsmPriceUnchecked(isCall, recovery * S, K, T, r, q, vol);
    addDefaultIntegral(out, isCall, S, K, T, r, q, vol, recovery, base, curve);
  }
  out.theta =
    (r + lambdaNow) * out.price -
    (r - q + lambdaNow * loss) * S * out.delta -
    0.5 * vol * vol * S * S * out.gamma -
    lambdaNow * valueAtDefault;
  return out;
}

/**
 * Adds to `out` the integral over the default time tau in [0, T] of
 * lambda(tau) e^{-Lambda(tau)} BSM(R S; r, q - (1-R) Lambda(tau)/T) and of its Greeks, by adaptive
 * Gauss-Kronrod panels (see {@link jumpToDefaultGreeks}).
 */
function addDefaultIntegral(
  out: JumpToDefaultGreeks,
  isCall: boolean,
  S: number,
  K: number,
  T: number,
  r: number,
  q: number,
  vol: number,
  recovery: number,
  base: number,
  curve: HazardCurve | undefined,
): void {
  const loss = 1 - recovery;
  const peak = Math.max(base, curve?.initialPerYear ?? base);
  const scale = Math.max(S * Math.exp(-q * T), K * Math.exp(-r * T));
  // Panels [2^(k-1)/peak, 2^k/peak]: each holds at most a constant share of the default density.
  const pending: number[] = [];
  let edge = T;
  if (peak * T > 2) {
    let k = 1;
    while (k < peak * T) k *= 2;
    for (k /= 2; k >= 1; k /= 2) {
      pending.push(k / peak, edge);
      edge = k / peak;
    }
  }
  pending.push(0, edge);
  const panel = PANEL;
  const hazard = scratch;
  const sums = SUMS;
  let panels = 0;
  while (pending.length > 0) {
    const b = pending.pop() as number;
    const a = pending.pop() as number;
    gaussKronrodNodes(a, b, panel);
    sums.fill(0);
    let gauss = 0;
    for (let n = 0; n < 15; n++) {
      const tau = panel.nodes[n] as number;
      cumulativeHazard(base, curve, tau, hazard);
      const lambda = hazard[0] as number;
      const cumulative = hazard[1] as number;
      const decay = Math.exp(-cumulative);
      // Default at tau: BSM(R S e^{(1-R) Lambda(tau)}; r, q) = BSM(R S; r, q - (1-R) Lambda(tau) / T).
      const g = bsmGreeksUnchecked(isCall, recovery * S, K, T, r, q - (loss * cumulative) / T, vol);
      const density = lambda * decay;
      const w = panel.kronrodWeights[n] as number;
      const wd = w * density;
      sums[0] = (sums[0] as number) + wd * g.price;
      sums[1] = (sums[1] as number) + wd * recovery * g.delta;
      sums[2] = (sums[2] as number) + wd * recovery * recovery * g.gamma;
      sums[3] = (sums[3] as number) + wd * g.vega;
      sums[4] = (sums[4] as number) + wd * g.rho;
      sums[5] = (sums[5] as number) + wd * g.dividendRho;
      sums[6] =
        (sums[6] as number) +
        w * decay * ((1 - lambda * tau) * g.price - (lambda * loss * tau * g.dividendRho) / T);
      gauss += (panel.gaussWeights[n] as number) * density * g.price;
    }
    panels += 1;
    const error = Math.abs((sums[0] as number) - gauss);
    const allowed = PANEL_TOLERANCE * scale * Math.max((b - a) / T, 1e-3);
    if (error > allowed && panels + pending.length / 2 < MAX_PANELS && b - a > 1e-12 * T) {
      const middle = 0.5 * (a + b);
      pending.push(middle, b, a, middle);
      continue;
    }
    out.price += sums[0] as number;
    out.delta += sums[1] as number;
    out.gamma += sums[2] as number;
    out.vega += sums[3] as number;
    out.rho += sums[4] as number;
    out.dividendRho += sums[5] as number;
    out.hazardSensitivity += sums[6] as number;
  }
}

/** Price of a European option with jump to default (see {@link jumpToDefaultGreeks}). */
export function jumpToDefaultPrice(input: JumpToDefaultInput): number {
  return jumpToDefaultGreeks(input).price;
}

/**
 * Jump to default on binomial lattices, European or American. A survival lattice (log spacing
 * dx = vol sqrt(dt), centre drifting with the hazard's share of the pre-default forward, CRR's up
 * probability) carries the option until default; each step the underlying defaults with
 * probability 1 - exp(-(Lambda(t + dt) - Lambda(t))) and lands, on three nodes that match the mean
 * and log variance of its price, on a lattice after default that carries the option on R S with no
 * further default (with R = 0 one value a step; the put holder exercises at once for K). Every
 * step is an exact martingale step of the discounted price (see jumpToDefaultSchedule.ts), so
 * an American call without dividend equals the European one. American options are exercised
 * wherever that pays more, on both lattices, at every step. Delta and gamma come from five nodes
 * around the spot at t = 0, theta from the pricing equation with default at the hazard now,
 * `hazardSensitivity` (dV/dh for a parallel shift h of the hazard curve, on the same lattices) by
 * forward-mode differentiation in the same rollback (see {@link jumpToDefaultRollback}).
 *
 * Cost: one survival lattice of steps^2 / 2 nodes, each carrying its value and its derivative, and
 * one lattice after default of about as many nodes (none with R = 0).
 *
 * @throws PricingError `invalid_input` for bad inputs, too few steps for probabilities in [0, 1]
 * (the message says to use more steps), or nodes that would overflow.
 */
export function jumpToDefaultTree(input: JumpToDefaultTreeInput): JumpToDefaultTreeGreeks {
  const recovery = assertJumpToDefaultInput(input);
  assertSteps(input.steps);
  assertLatticeSpan(input.volAnnual, input.timeYears, input.steps);
  return jumpToDefaultRollback(input, recovery, 0);
}
