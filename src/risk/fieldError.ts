/** Where bad input was found: the dotted path of the field and, for logs, its value. */
export type FieldErrorDetails = {
  /** Dotted path of the offending input, e.g. `accounts.3.positions.0.strike`. */
  field: string;
  /** The offending value, for logs. */
  value?: unknown;
};

/** An error with a machine-readable `code` and the offending `field`: the base of the hazard and
 * the venue-risk errors. */
export class FieldError<Code extends string> extends Error {
  readonly code: Code;
  readonly field: string;
  readonly value: unknown;

  constructor(code: Code, message: string, details: FieldErrorDetails) {
    super(message);
    this.code = code;
    this.field = details.field;
    this.value = details.value;
  }
}
