/**
 * An error the CLI prints as one line and exits with: 2 for usage errors, 1 otherwise.
 */
export class CliError extends Error {
  readonly exitCode: number;
  readonly code: string;
  constructor(message: string, options: { exitCode?: number; code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? 1;
    this.code = options.code ?? 'cli_error';
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, { exitCode: 2, code: 'usage' });
}
