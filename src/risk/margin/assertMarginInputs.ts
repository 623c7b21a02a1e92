import { assertInRange } from '../contagion/riskError.ts';
import type { MarginPolicy } from './marginPolicy.ts';

/**
 * Checks the portfolio's rate and every number of the policy against its range.
 *
 * @throws {RiskError} `invalid_input` naming the first field out of range.
 */
export function assertMarginInputs(rate: number, policy: MarginPolicy): void {
  assertInRange(rate, 'portfolio.rate', -1, 1);
  assertInRange(policy.horizonDays, 'policy.horizonDays', 0, 36_500);
  assertInRange(policy.tailProbability, 'policy.tailProbability', Number.MIN_VALUE, 1);
  assertInRange(policy.maintenanceRatio, 'policy.maintenanceRatio', 0, 1);
  assertInRange(policy.volFloor, 'policy.volFloor', Number.MIN_VALUE, 10);
  for (const [i, move] of policy.grid.priceMoves.entries()) {
    assertInRange(move, `policy.grid.priceMoves.${i}`, -0.999999, 100);
  }
  for (const [i, shift] of policy.grid.volShifts.entries()) {
    assertInRange(shift, `policy.grid.volShifts.${i}`, -10, 10);
  }
  for (const [i, move] of policy.extendedMoves.entries()) {
    assertInRange(move, `policy.extendedMoves.${i}`, -0.999999, 100);
  }
  assertInRange(policy.extendedFraction, 'policy.extendedFraction', 0, 1);
  assertInRange(policy.failureVolShift, 'policy.failureVolShift', 0, 10);
  if (policy.tenorVolShock) {
    const t = policy.tenorVolShock;
    assertInRange(t.up, 'policy.tenorVolShock.up', 0, 100);
    assertInRange(t.down, 'policy.tenorVolShock.down', 0, 1);
    assertInRange(t.shortTermPower, 'policy.tenorVolShock.shortTermPower', 0, 5);
    assertInRange(t.longTermPower, 'policy.tenorVolShock.longTermPower', 0, 5);
    assertInRange(t.minVolUp, 'policy.tenorVolShock.minVolUp', 0, 10);
  }
}
