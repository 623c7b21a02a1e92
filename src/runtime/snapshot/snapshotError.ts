import { CodedError } from '../../core/codedError.ts';

/**
 * Codes of {@link SnapshotError}:
 * - `unencodable`: the value holds something the graph codec cannot restore exactly (a function,
 *   a symbol, a class instance such as a Date).
 * - `corrupt`: a snapshot body is not an encoded graph.
 */
export type SnapshotErrorCode = 'unencodable' | 'corrupt';

/** An error of the engine-state codec: a value it cannot encode, or a body it cannot decode. */
export class SnapshotError extends CodedError<SnapshotErrorCode> {
  override name = 'SnapshotError';

  constructor(code: SnapshotErrorCode, message: string, options: { cause?: unknown } = {}) {
    super({ code, shortMessage: message, cause: options.cause });
  }
}
