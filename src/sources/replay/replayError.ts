import { CodedError } from '../../core/codedError.ts';

/** Codes of {@link ReplayError}. */
export type ReplayErrorCode = 'file_not_found' | 'file_unreadable' | 'file_unwritable';

/**
 * An IO failure of an observation log: the file is missing, unreadable or unwritable. Malformed
 * lines are never errors of this kind: they are reported line by line and skipped.
 */
export class ReplayError extends CodedError<ReplayErrorCode> {
  override name = 'ReplayError';
  readonly path: string;
  constructor(code: ReplayErrorCode, path: string, message: string, options: { cause?: unknown } = {}) {
    super({ code, shortMessage: message, cause: options.cause });
    this.path = path;
  }
}

/** Wraps a file system error of `path` into a {@link ReplayError}. */
export function toReplayError(cause: unknown, path: string, writing: boolean): ReplayError {
  const sysCode = (cause as { code?: unknown } | null)?.code;
  if (!writing && sysCode === 'ENOENT') {
    return new ReplayError('file_not_found', path, `observation log not found: ${path}`, { cause });
  }
  const detail = cause instanceof Error ? cause.message : String(cause);
  return writing
    ? new ReplayError('file_unwritable', path, `cannot write observation log ${path}: ${detail}`, { cause })
    : new ReplayError('file_unreadable', path, `cannot read observation log ${path}: ${detail}`, { cause });
}
