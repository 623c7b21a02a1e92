import { FieldError, type FieldErrorDetails } from '../fieldError.ts';

/**
 * The one error type of the venue-risk modules (contagion, oracle, margin, cover, settlement).
 * Pure code throws only on broken input or a broken invariant; expected anomalies (a stale oracle,
 * an orphaned trade) are values, never exceptions.
 */

export type RiskErrorCode =
  /** A number is `NaN`, infinite or outside its documented range, or a field is missing. */
  | 'invalid_input'
  /** A dependency names a node the graph does not have, or the graph has a cycle. */
  | 'invalid_graph'
  /** An asset, chain or node is not known where it must be. */
  | 'unknown_reference'
  /** A ledger fact contradicts the ledger (e.g. the same execution recorded twice differently). */
  | 'ledger_conflict';

export type RiskErrorDetails = FieldErrorDetails;

export class RiskError extends FieldError<RiskErrorCode> {
  override readonly name = 'RiskError';
}

/** Throws `invalid_input` unless `value` is a finite number within `[min, max]`. */
export function assertInRange(
  value: unknown,
  field: string,
  min: number,
  max: number,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new RiskError(
      'invalid_input',
      `${field} must be a number in [${min}, ${max}], got ${String(value)}`,
      {
        field,
        value,
      },
    );
  }
}
