import { CodedError } from '../core/codedError.ts';

/** Where bad input was found: the dotted path of the field and, for logs, its value. */
export type FieldErrorDetails = {
  /** Dotted path of the offending input, e.g. `accounts.3.positions.0.strike`. */
  field: string;
  /** The offending value, for logs. */
  value?: unknown;
};

/** An error with a machine-readable `code` and the offending `field` (its `details`): the base of
 * the hazard and the venue-risk errors. */
export class FieldError<Code extends string> extends CodedError<Code, FieldErrorDetails> {
  override name = 'FieldError';
  readonly field: string;
  readonly value: unknown;

  constructor(code: Code, message: string, details: FieldErrorDetails, options: { cause?: unknown } = {}) {
    super({ code, shortMessage: message, details, cause: options.cause });
    this.field = details.field;
    this.value = details.value;
  }
}
