import { bsmGreeksUnchecked, bsmPriceUnchecked } from './bsm.ts';
import { assertLatticeSpan, assertProbability, assertSteps, latticePrices, type TreeGreeks } from './crr.ts';
import { assertNonNegative, PricingError } from './errors.ts';
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
  /** Intensity of the default (consensus-failure) event, per year, >= 0. */
  hazardPerYear: number;
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
  if (Math.abs(input.rate + input.hazardPerYear) * input.timeYears > MAX_RATE_TIMES_T) {
    throw new PricingError(
      'invalid_input',
      `(rate + hazardPerYear) * timeYears must be at most ${MAX_RATE_TIMES_T}`,
      { hazardPerYear: input.hazardPerYear, timeYears: input.timeYears },
    );
  }
  return recoveryOf(input);
}

const QUADRATURE_POINTS = 48;
let legendre: { nodes: Float64Array; weights: Float64Array } | undefined;

/** Gauss-Legendre nodes and weights on [0, 1], computed once by Newton's method on P_n. */
function gaussLegendre(): { nodes: Float64Array; weights: Float64Array } {
  if (legendre) return legendre;
  const n = QUADRATURE_POINTS;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      derivative = (n * (x * p1 - p0)) / (x * x - 1);
      const step = p1 / derivative;
      x -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    nodes[i] = 0.5 * (1 - x);
    weights[i] = 1 / ((1 - x * x) * derivative * derivative);
  }
  legendre = { nodes, weights };
  return legendre;
}

/**
 * Price and Greeks of a European option with jump to default. With zero recovery the call is the
 * Black-Scholes-Merton call at the rate r + lambda, and the put follows by parity; with a
 * recovery R > 0 the price is exp(-lambda T) BSM(S e^{lambda (1-R) T}) plus the integral over the
 * default time tau of lambda e^{-lambda tau} BSM(R S e^{lambda (1-R) tau}), by 48-point
 * Gauss-Legendre quadrature (the integrand is smooth in tau). Theta (per year) comes from the
 * pricing equation with default; `hazardSensitivity` is dV/dlambda.
 *
 * @throws PricingError `invalid_input` for bad inputs (negative hazard, recovery outside [0, 1]).
 */
export function jumpToDefaultGreeks(input: JumpToDefaultInput): JumpToDefaultGreeks {
  const recovery = assertJumpToDefaultInput(input);
  const isCall = input.type === 'call';
  const { spot: S, strike: K, timeYears: T, rate: r, yieldRate: q, volAnnual: vol } = input;
  const lambda = input.hazardPerYear;
  const loss = 1 - recovery;
  const survival = Math.exp(-lambda * T);
  // Without default by T: exp(-lambda T) BSM(S e^{lambda (1-R) T}; r, q), which is
  // BSM(S; r + lambda, q + lambda R): same forward, discounted at r + lambda. No overflow.
  const alive = bsmGreeksUnchecked(isCall, S, K, T, r + lambda, q + lambda * recovery, vol);
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
    const { nodes, weights } = gaussLegendre();
    for (let i = 0; i < QUADRATURE_POINTS; i++) {
      const u = nodes[i] as number;
      const tau = u * T;
      const w = (weights[i] as number) * T;
      const decay = Math.exp(-lambda * tau);
      // Default at tau: BSM(R S e^{lambda (1-R) tau}; r, q) = BSM(R S; r, q - lambda (1-R) tau / T).
      const g = bsmGreeksUnchecked(isCall, recovery * S, K, T, r, q - lambda * loss * u, vol);
      const wd = w * lambda * decay;
      out.price += wd * g.price;
      out.delta += wd * recovery * g.delta;
      out.gamma += wd * recovery * recovery * g.gamma;
      out.vega += wd * g.vega;
      out.rho += wd * g.rho;
      out.dividendRho += wd * g.dividendRho;
      out.hazardSensitivity += w * decay * ((1 - lambda * tau) * g.price - lambda * loss * u * g.dividendRho);
    }
  }
  out.theta =
    (r + lambda) * out.price -
    (r - q + lambda * loss) * S * out.delta -
    0.5 * vol * vol * S * S * out.gamma -
    lambda * valueAtDefault;
  return out;
}

/** Price of a European option with jump to default (see {@link jumpToDefaultGreeks}). */
export function jumpToDefaultPrice(input: JumpToDefaultInput): number {
  return jumpToDefaultGreeks(input).price;
}

/** One tree rollback: the price and the nodes of steps 1 and 2 for delta and gamma. */
function rollTree(input: JumpToDefaultTreeInput, lambda: number, recovery: number): TreeGreeks {
  const { spot, strike, timeYears, rate, yieldRate, volAnnual, steps } = input;
  const dt = timeYears / steps;
  const dx = volAnnual * Math.sqrt(dt);
  const loss = 1 - recovery;
  const halfVariance = 0.5 * volAnnual * volAnnual;
  const up = 0.5 + (0.5 * ((rate - yieldRate + lambda * loss - halfVariance) * dt)) / dx;
  const upAfter = 0.5 + (0.5 * ((rate - yieldRate - halfVariance) * dt)) / dx;
  assertProbability(up, steps);
  assertProbability(upAfter, steps);
  const down = 1 - up;
  const downAfter = 1 - upAfter;
  const survive = Math.exp(-lambda * dt);
  const discount = Math.exp(-rate * dt);
  const alive = latticePrices(spot, dx, steps);
  const defaulted = latticePrices(recovery * spot, dx, steps);
  const sign = input.type === 'call' ? 1 : -1;
  const american = input.exercise === 'american';
  const values = new Float64Array(steps + 1);
  const after = new Float64Array(steps + 1);
  for (let j = 0; j <= steps; j++) {
    values[j] = Math.max(sign * ((alive[2 * j] as number) - strike), 0);
    after[j] = Math.max(sign * ((defaulted[2 * j] as number) - strike), 0);
  }
  const level1 = [0, 0];
  const level2 = [0, 0, 0];
  if (steps === 2) level2.splice(0, 3, values[0] as number, values[1] as number, values[2] as number);
  for (let i = steps - 1; i >= 0; i--) {
    const offset = steps - i;
    for (let j = 0; j <= i; j++) {
      const afterDown = after[j] as number;
      const afterUp = after[j + 1] as number;
      let held =
        discount *
        (survive * (down * (values[j] as number) + up * (values[j + 1] as number)) +
          (1 - survive) * (down * afterDown + up * afterUp));
      let heldAfter = discount * (downAfter * afterDown + upAfter * afterUp);
      if (american) {
        held = Math.max(held, sign * ((alive[offset + 2 * j] as number) - strike));
        heldAfter = Math.max(heldAfter, sign * ((defaulted[offset + 2 * j] as number) - strike));
      }
      values[j] = held;
      after[j] = heldAfter;
    }
    if (i === 2) level2.splice(0, 3, values[0] as number, values[1] as number, values[2] as number);
    if (i === 1) level1.splice(0, 2, values[0] as number, values[1] as number);
  }
  const price = values[0] as number;
  const [p2d = 0, p2m = 0, p2u = 0] = level2;
  const [p1d = 0, p1u = 0] = level1;
  const s2d = alive[steps - 2] as number;
  const s2m = alive[steps] as number;
  const s2u = alive[steps + 2] as number;
  const delta = (p1u - p1d) / ((alive[steps + 1] as number) - (alive[steps - 1] as number));
  const gamma = ((p2u - p2m) / (s2u - s2m) - (p2m - p2d) / (s2m - s2d)) / ((s2u - s2d) / 2);
  const theta =
    (rate + lambda) * price -
    (rate - yieldRate + lambda * loss) * spot * delta -
    halfVariance * spot * spot * gamma -
    lambda * (after[0] as number);
  return { price, delta, gamma, theta };
}

/**
 * Jump to default on a binomial tree, European or American. The tree is the CRR log-price
 * lattice of {@link crrPrice} with the pre-default drift r - q + lambda (1 - R); each step the
 * underlying defaults with probability 1 - exp(-lambda dt), and the option then takes its value
 * on a second lattice, rooted at R S, that carries the option after default (no further default;
 * with R = 0 the put holder exercises at once for K). American options are exercised wherever that
 * pays more, on both lattices, at every step. Delta and gamma come from steps 1 and 2, theta from
 * the pricing equation with default, `hazardSensitivity` from a difference of two trees in lambda.
 *
 * Cost: three trees of steps^2 / 2 nodes (one price, two for the hazard sensitivity).
 *
 * @throws PricingError `invalid_input` for bad inputs or too few steps for probabilities in [0, 1].
 */
export function jumpToDefaultTree(input: JumpToDefaultTreeInput): JumpToDefaultTreeGreeks {
  const recovery = assertJumpToDefaultInput(input);
  assertSteps(input.steps);
  assertLatticeSpan(input.volAnnual, input.timeYears, input.steps);
  const lambda = input.hazardPerYear;
  const result = rollTree(input, lambda, recovery);
  const h = 1e-5 * Math.max(1, lambda);
  let hazardSensitivity: number;
  if (lambda >= h) {
    hazardSensitivity =
      (rollTree(input, lambda + h, recovery).price - rollTree(input, lambda - h, recovery).price) / (2 * h);
  } else {
    const v1 = rollTree(input, lambda + h, recovery).price;
    const v2 = rollTree(input, lambda + 2 * h, recovery).price;
    hazardSensitivity = (-3 * result.price + 4 * v1 - v2) / (2 * h);
  }
  return { ...result, hazardSensitivity };
}
