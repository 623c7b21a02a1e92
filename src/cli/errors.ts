import { CodedError } from '../core/codedError.ts';
import { toPrintable } from '../core/toPrintable.ts';

/**
 * An error the CLI prints as one line and exits with: 2 for usage errors, 1 otherwise.
 */
export class CliError extends CodedError<string> {
  override name = 'CliError';
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number; code?: string; cause?: unknown } = {}) {
    super({ code: options.code ?? 'cli_error', shortMessage: message, cause: options.cause });
    this.exitCode = options.exitCode ?? 1;
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, { exitCode: 2, code: 'usage' });
}

/** A store that cannot be opened, as a CLI error that says what to do (`--data-dir`, `--store`). */
export function toStoreCliError(error: Error & { code: string }): CliError {
  const hint =
    error.code === 'store_locked'
      ? ': stop the other guard, or give another --store (or --data-dir)'
      : error.code === 'store_corrupt'
        ? ': move the file away and start again, or give another --store (or --data-dir)'
        : '';
  return new CliError(`${error.message}${hint}`, { code: error.code, cause: error });
}

/**
 * The one line the CLI prints for an error that ends a command, and its exit code: a
 * {@link CliError} as it says, another {@link CodedError} with its code (exit 1), anything else as
 * unexpected (exit 1).
 */
export function toCliFailure(error: unknown): { line: string; exitCode: number } {
  if (error instanceof CliError)
    return { line: `consensus-guard: ${toPrintable(error.message)}\n`, exitCode: error.exitCode };
  if (error instanceof CodedError)
    return { line: `consensus-guard: ${toPrintable(error.message)} (${error.code})\n`, exitCode: 1 };
  const message = error instanceof Error ? error.message : String(error);
  return { line: `consensus-guard: unexpected error: ${toPrintable(message)}\n`, exitCode: 1 };
}
