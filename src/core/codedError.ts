/**
 * What a {@link CodedError} is built from. `details` is optional while its type admits `undefined`
 * (the default, a string), required otherwise.
 */
export type CodedErrorParameters<Code extends string, Details = string | undefined> = {
  code: Code;
  /** One line for humans, without credentials. */
  shortMessage: string;
  cause?: unknown;
} & (undefined extends Details ? { details?: Details } : { details: Details });

/**
 * The base of every error of the project: a machine-readable `code`, a one-line `shortMessage`,
 * `details` (a string the message appends, or structured data for logs) and the error it wraps as
 * `cause`.
 *
 * @example
 * throw new CodedError({ code: 'timeout', shortMessage: 'no answer within 5000 ms', cause });
 */
export class CodedError<Code extends string = string, Details = string | undefined> extends Error {
  override name = 'CodedError';
  readonly code: Code;
  readonly shortMessage: string;
  readonly details: Details;

  constructor(parameters: CodedErrorParameters<Code, Details>) {
    const { code, shortMessage, cause } = parameters;
    const details = parameters.details as Details;
    super(
      typeof details === 'string' && details !== '' ? `${shortMessage}: ${details}` : shortMessage,
      cause === undefined ? undefined : { cause },
    );
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = details;
  }

  /**
   * Walks the `cause` chain (cycles stop the walk): returns the deepest error, or with `fn` the
   * first error for which `fn` is true (undefined when none is).
   */
  walk(fn?: (error: unknown) => boolean): unknown {
    let current: unknown = this;
    const seen = new Set<unknown>();
    while (current !== undefined && current !== null && !seen.has(current)) {
      if (fn?.(current)) return current;
      seen.add(current);
      const next: unknown = (current as { cause?: unknown }).cause;
      if (next === undefined || next === null) return fn ? undefined : current;
      current = next;
    }
    return fn ? undefined : current;
  }
}
