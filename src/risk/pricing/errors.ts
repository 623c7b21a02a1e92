import { CodedError } from '../../core/codedError.ts';

/**
 * Errors of the pricing library. Every failure carries a machine-readable `code` and the
 * offending values in `details`, so a caller (the CLI, the HTTP layer) can map it in one place.
 */

/**
 * - `invalid_input`: an argument is NaN, infinite or out of its domain (negative volatility,
 *   `timeYears <= 0`, a non-positive spot or strike, a recovery outside [0, 1], ...).
 * - `no_implied_vol`: no volatility reproduces the given price (it lies outside the model's
 *   no-arbitrage bounds).
 * - `not_converged`: an iterative method hit its iteration limit before its tolerance.
 */
export type PricingErrorCode = 'invalid_input' | 'no_implied_vol' | 'not_converged';

export type PricingErrorDetails = Record<string, number | string | boolean>;

/** The one error type that the pricing library throws. */
export class PricingError extends CodedError<PricingErrorCode, PricingErrorDetails> {
  override name = 'PricingError';

  constructor(
    code: PricingErrorCode,
    message: string,
    details: PricingErrorDetails = {},
    options: { cause?: unknown } = {},
  ) {
    super({ code, shortMessage: message, details, cause: options.cause });
  }
}

/** Throws `invalid_input` unless `value` is a finite number. */
export function assertFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new PricingError('invalid_input', `${name} must be a finite number, got ${value}`, {
      [name]: value,
    });
  }
}

/** Throws `invalid_input` unless `value` is finite and strictly positive. */
export function assertPositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new PricingError('invalid_input', `${name} must be a finite number > 0, got ${value}`, {
      [name]: value,
    });
  }
}

/** Throws `invalid_input` unless `value` is finite and not negative. */
export function assertNonNegative(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new PricingError('invalid_input', `${name} must be a finite number >= 0, got ${value}`, {
      [name]: value,
    });
  }
}
