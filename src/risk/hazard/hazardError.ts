import { FieldError, type FieldErrorDetails } from '../fieldError.ts';

/**
 * The one error type of the hazard model. Pure code throws only on broken input: a price that is
 * not a positive finite number, a malformed incident record, an empty observation window. Every
 * error carries a machine-readable `code` and the offending `field`, never a silent `NaN`.
 */

export type HazardErrorCode =
  /** A number is `NaN`, infinite, or outside its documented range. */
  | 'invalid_input'
  /** An incident record does not have the table's shape (see `toIncidentRecords`). */
  | 'invalid_incident'
  /** An observation window is malformed or empty. */
  | 'invalid_window'
  /** No base rate is known for the chain and none was given. */
  | 'unknown_chain';

export type HazardErrorDetails = FieldErrorDetails;

export class HazardError extends FieldError<HazardErrorCode> {
  override readonly name = 'HazardError';
}

/** Throws `invalid_input` unless `value` is a finite number. */
export function assertFiniteNumber(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new HazardError('invalid_input', `${field} must be a finite number, got ${String(value)}`, {
      field,
      value,
    });
  }
}

/** Throws `invalid_input` unless `value` is a finite number greater than zero. */
export function assertPositive(value: unknown, field: string): asserts value is number {
  assertFiniteNumber(value, field);
  if (value <= 0) {
    throw new HazardError('invalid_input', `${field} must be greater than 0, got ${value}`, { field, value });
  }
}

/** Throws `invalid_input` unless `value` is a finite number at or above zero. */
export function assertNonNegative(value: unknown, field: string): asserts value is number {
  assertFiniteNumber(value, field);
  if (value < 0) {
    throw new HazardError('invalid_input', `${field} must be at least 0, got ${value}`, { field, value });
  }
}
