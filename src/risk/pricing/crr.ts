import { PricingError } from './errors.ts';
import type { ExerciseStyle, OptionInput } from './types.ts';
import { assertOptionInput } from './validate.ts';

export type CrrInput = OptionInput & {
  exercise: ExerciseStyle;
  /** Number of time steps of the tree, an integer >= 2. */
  steps: number;
};

/**
 * What a binomial tree defines: the price, delta and gamma read from the tree's first two steps,
 * and theta (per year) from the Black-Scholes equation at the root.
 */
export type TreeGreeks = {
  price: number;
  delta: number;
  gamma: number;
  theta: number;
};

/** Throws `invalid_input` unless `steps` is an integer >= 2 (gamma needs two steps). */
export function assertSteps(steps: number): void {
  if (!(Number.isInteger(steps) && steps >= 2)) {
    throw new PricingError('invalid_input', `steps must be an integer >= 2, got ${steps}`, { steps });
  }
}

/**
 * Throws `invalid_input` when the tree's outermost nodes, spot * exp(+-steps * dx) with
 * steps * dx = vol * sqrt(steps * T), would leave double precision (steps * dx above 700).
 */
export function assertLatticeSpan(volAnnual: number, timeYears: number, steps: number): void {
  const span = volAnnual * Math.sqrt(steps * timeYears);
  if (span > 700) {
    throw new PricingError(
      'invalid_input',
      `vol * sqrt(steps * T) = ${span} exceeds 700: the tree's outer nodes overflow; use fewer steps`,
      { volAnnual, timeYears, steps },
    );
  }
}

/** Throws `invalid_input` unless `up` is a probability. */
export function assertProbability(up: number, steps: number): void {
  if (!(up >= 0 && up <= 1)) {
    throw new PricingError(
      'invalid_input',
      `the tree's up probability ${up} lies outside [0, 1]: use more steps`,
      { upProbability: up, steps },
    );
  }
}

/**
 * Prices of the underlying at the tree's nodes: `spot * exp(k * dx)` at index `k + steps`, for
 * k = -steps..steps. Node j of step i sits at k = 2j - i.
 */
export function latticePrices(spot: number, dx: number, steps: number): Float64Array {
  const prices = new Float64Array(2 * steps + 1);
  for (let k = -steps; k <= steps; k++) prices[k + steps] = spot * Math.exp(k * dx);
  return prices;
}

/**
 * Cox-Ross-Rubinstein binomial tree for a European or American vanilla option, in the
 * log-price parametrization: dt = T/N, dx = vol * sqrt(dt),
 * pu = 1/2 + 1/2 * (r - q - vol^2/2) * dt / dx, discount exp(-r dt) per step, node (i, j) at
 * spot * exp((2j - i) dx). An American option is exercised wherever that pays more, at every step
 * including the first. Delta and gamma come from the nodes of steps 1 and 2, theta from the
 * Black-Scholes equation: theta = r V - (r - q) S delta - vol^2 S^2 gamma / 2.
 *
 * Cost: steps^2 / 2 node updates.
 *
 * @throws PricingError `invalid_input` for bad inputs or too few steps for a probability in [0, 1].
 */
export function crrPrice(input: CrrInput): TreeGreeks {
  assertOptionInput(input);
  assertSteps(input.steps);
  assertLatticeSpan(input.volAnnual, input.timeYears, input.steps);
  const { spot, strike, timeYears, rate, yieldRate, volAnnual, steps } = input;
  const dt = timeYears / steps;
  const dx = volAnnual * Math.sqrt(dt);
  const up = 0.5 + (0.5 * ((rate - yieldRate - 0.5 * volAnnual * volAnnual) * dt)) / dx;
  assertProbability(up, steps);
  const down = 1 - up;
  const discount = Math.exp(-rate * dt);
  const prices = latticePrices(spot, dx, steps);
  const sign = input.type === 'call' ? 1 : -1;
  const american = input.exercise === 'american';
  const values = new Float64Array(steps + 1);
  for (let j = 0; j <= steps; j++) {
    values[j] = Math.max(sign * ((prices[2 * j] as number) - strike), 0);
  }
  let p1d = 0;
  let p1u = 0;
  let p2d = 0;
  let p2m = 0;
  let p2u = 0;
  if (steps === 2) {
    p2d = values[0] as number;
    p2m = values[1] as number;
    p2u = values[2] as number;
  }
  for (let i = steps - 1; i >= 0; i--) {
    const offset = steps - i;
    if (american) {
      for (let j = 0; j <= i; j++) {
        const held = (down * (values[j] as number) + up * (values[j + 1] as number)) * discount;
        const exercised = sign * ((prices[offset + 2 * j] as number) - strike);
        values[j] = Math.max(held, exercised);
      }
    } else {
      for (let j = 0; j <= i; j++) {
        values[j] = (down * (values[j] as number) + up * (values[j + 1] as number)) * discount;
      }
    }
    if (i === 2) {
      p2d = values[0] as number;
      p2m = values[1] as number;
      p2u = values[2] as number;
    } else if (i === 1) {
      p1d = values[0] as number;
      p1u = values[1] as number;
    }
  }
  const price = values[0] as number;
  const s2d = prices[steps - 2] as number;
  const s2m = prices[steps] as number;
  const s2u = prices[steps + 2] as number;
  const delta = (p1u - p1d) / ((prices[steps + 1] as number) - (prices[steps - 1] as number));
  const gamma = ((p2u - p2m) / (s2u - s2m) - (p2m - p2d) / (s2m - s2d)) / ((s2u - s2d) / 2);
  const theta =
    rate * price - (rate - yieldRate) * spot * delta - 0.5 * volAnnual * volAnnual * spot * spot * gamma;
  return { price, delta, gamma, theta };
}
