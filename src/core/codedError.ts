export type CodedErrorParameters<Code extends string> = {
  code: Code;
  /** One line for humans, without credentials. */
  shortMessage: string;
  details?: string | undefined;
  cause?: unknown;
};

/**
 * An error with a machine-readable `code`, a one-line `shortMessage` (the message adds `details`)
 * and the library error it wraps as `cause`: the base of the sources' and the keeper's errors.
 */
export class CodedError<Code extends string> extends Error {
  readonly code: Code;
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor({ code, shortMessage, details, cause }: CodedErrorParameters<Code>) {
    super(
      details ? `${shortMessage}: ${details}` : shortMessage,
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
