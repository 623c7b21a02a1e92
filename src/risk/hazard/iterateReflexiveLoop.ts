import { assertNonNegative, assertPositive, HazardError } from './hazardError.ts';
import { type HazardPerYearParameters, hazardPerYear } from './hazardPerYear.ts';
import type { EconomicSecurityInput } from './toEconomicHazard.ts';

export const DEFAULT_LOOP_TOLERANCE_REL = 1e-10;
export const DEFAULT_LOOP_MAX_ITERATIONS = 1000;
/** The loop is a spiral once the price falls below this fraction of the pre-shock price. */
export const DEFAULT_SPIRAL_FLOOR_REL = 1e-6;

export type IterateReflexiveLoopParameters = {
  /** The hazard's inputs; `security.priceUsd` is the pre-shock price `p0`. */
  hazard: HazardPerYearParameters & { security: EconomicSecurityInput };
  /** `p1`: the price right after the shock, before any feedback, in USD. */
  shockedPriceUsd: number;
  /** `beta`: relative price impact of one unit of hazard per year, in years. */
  priceImpactYears: number;
  /** Stop when a step moves the price by at most this fraction. Default 1e-10. */
  toleranceRel?: number;
  /** Default 1000. */
  maxIterations?: number;
  /** Spiral when the price falls below `spiralFloorRel * p0`. Default 1e-6. */
  spiralFloorRel?: number;
};

/** One evaluation of the loop: a price and the hazard at that price. */
export type LoopStep = { priceUsd: number; hazardPerYear: number };

export type IterateReflexiveLoopReturnType =
  | {
      converged: true;
      /** The fixed point `p*`, in USD. */
      priceUsd: number;
      /** The hazard at `p*`, per year. */
      hazardPerYear: number;
      /** Price updates made. */
      iterations: number;
      /** Every price tried, from `p1`, with its hazard; the last one is `p*`. */
      path: LoopStep[];
    }
  | {
      converged: false;
      /** `spiral`: the price fell below the floor; `max_iterations`: no fixed point reached in time. */
      reason: 'spiral' | 'max_iterations';
      /** The last price computed, in USD (below the floor for a spiral, possibly 0). */
      priceUsd: number;
      iterations: number;
      /** Every price tried with its hazard, from `p1` (not the last price of a spiral). */
      path: LoopStep[];
    };

/**
 * The reflexive loop of economic security: a price shock lowers the cost to attack, which raises
 * the hazard, which lowers the price further. With `H(p)` the hazard at token price `p`
 * ({@link hazardPerYear} with `security.priceUsd = p`), `p0` the pre-shock price and
 * `H0 = H(p0)` the hazard that `p0` already reflects, the price after the shock `p1` responds to
 * the hazard as
 *
 *   p = F(p) = p1 * exp(-beta * (H(p) - H0))
 *
 * and the loop iterates `p_{n+1} = F(p_n)` from `p_1`. `H` does not increase with `p`, so `F` does
 * not decrease and the path is monotone: after a fall it falls, and either settles on the largest
 * fixed point below `p1` or heads to zero. It stops when a step moves the price by at most
 * `toleranceRel` of it (converged), when the price falls below `spiralFloorRel * p0` (a spiral), or
 * after `maxIterations` updates.
 *
 * Where the economic term is active for one attack, `H(p) = c + k ln(p_c / p)` with `p_c` the
 * price at which the attack's ratio equals `R0`, so in `x = ln p` the map is affine with slope
 * `a = beta * k` (`beta * k * m` with `m` attacks active): a contraction that converges when
 * `a < 1`, a spiral when `a >= 1` and the shock takes the price below the fixed point.
 *
 * @throws {HazardError} `invalid_input` for a non-positive or non-finite price, a negative
 *   `priceImpactYears`, a tolerance or floor outside (0, 1), a `maxIterations` that is not a
 *   positive integer; and whatever {@link hazardPerYear} throws.
 *
 * @example
 * const result = iterateReflexiveLoop({ hazard, shockedPriceUsd: 0.7 * p0, priceImpactYears: 1 });
 * if (!result.converged && result.reason === 'spiral') haltNewRisk();
 */
export function iterateReflexiveLoop(
  parameters: IterateReflexiveLoopParameters,
): IterateReflexiveLoopReturnType {
  const p0 = parameters.hazard.security.priceUsd;
  assertPositive(p0, 'hazard.security.priceUsd');
  const p1 = parameters.shockedPriceUsd;
  assertPositive(p1, 'shockedPriceUsd');
  const beta = parameters.priceImpactYears;
  assertNonNegative(beta, 'priceImpactYears');
  const toleranceRel = parameters.toleranceRel ?? DEFAULT_LOOP_TOLERANCE_REL;
  assertFraction(toleranceRel, 'toleranceRel');
  const spiralFloorRel = parameters.spiralFloorRel ?? DEFAULT_SPIRAL_FLOOR_REL;
  assertFraction(spiralFloorRel, 'spiralFloorRel');
  const maxIterations = parameters.maxIterations ?? DEFAULT_LOOP_MAX_ITERATIONS;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new HazardError('invalid_input', `maxIterations must be a positive integer, got ${maxIterations}`, {
      field: 'maxIterations',
      value: maxIterations,
    });
  }

  const hazardAt = (priceUsd: number): number =>
    hazardPerYear({ ...parameters.hazard, security: { ...parameters.hazard.security, priceUsd } })
      .hazardPerYear;
  const hazard0 = hazardAt(p0);
  const floorUsd = spiralFloorRel * p0;

  const path: LoopStep[] = [];
  let priceUsd = p1;
  let hazard = hazardAt(priceUsd);
  path.push({ priceUsd, hazardPerYear: hazard });
  for (let iterations = 1; iterations <= maxIterations; iterations += 1) {
    const next = p1 * Math.exp(-beta * (hazard - hazard0));
    if (next < floorUsd) {
      return { converged: false, reason: 'spiral', priceUsd: next, iterations, path };
    }
    const moved = Math.abs(next - priceUsd);
    priceUsd = next;
    hazard = hazardAt(priceUsd);
    path.push({ priceUsd, hazardPerYear: hazard });
    if (moved <= toleranceRel * priceUsd) {
      return { converged: true, priceUsd, hazardPerYear: hazard, iterations, path };
    }
  }
  return { converged: false, reason: 'max_iterations', priceUsd, iterations: maxIterations, path };
}

function assertFraction(value: number, field: string): void {
  assertPositive(value, field);
  if (value >= 1) {
    throw new HazardError('invalid_input', `${field} must be below 1, got ${value}`, { field, value });
  }
}
