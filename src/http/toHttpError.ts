import { CodedError } from '../core/codedError.ts';
import { STORE_ERROR_CODES } from '../store/storeError.ts';
import { HttpError, type HttpErrorCode } from './httpError.ts';

/** The answer to an error's `code`: the HTTP error code (which sets the status) and its message. */
type HttpAnswer = { code: HttpErrorCode; message?: (error: CodedError) => string };

const badRequest: HttpAnswer = { code: 'bad_request' };
const storeFailed: HttpAnswer = {
  code: 'not_ready',
  message: (error) => `the store cannot be read: ${error.message}`,
};

/**
 * The one table from the codes of the library's errors to the API's answers. A code that is not
 * here (or an error that is not a {@link CodedError}) is a bug: a 500 `internal`.
 * - `ServiceError`: an unknown breaker is a 404; a service not running, a command not stored and a
 *   cluster member that is not the leader are a 503.
 * - `RiskError`, `HazardError`, `PricingError`: bad input in a request body is a 400.
 * - `StoreError`: a store that cannot be used (e.g. by `GET /api/cluster`) is a 503.
 */
const HTTP_ANSWERS: ReadonlyMap<string, HttpAnswer> = new Map(
  Object.entries({
    unknown_breaker: { code: 'unknown_breaker' },
    not_started: {
      code: 'not_ready',
      message: () => 'the service is not running: retry once /readyz answers 200',
    },
    store_unavailable: { code: 'not_ready' },
    not_leader: { code: 'not_ready' },
    invalid_input: badRequest,
    invalid_graph: badRequest,
    unknown_reference: badRequest,
    ledger_conflict: badRequest,
    ...Object.fromEntries(STORE_ERROR_CODES.map((code) => [code, storeFailed])),
  }),
);

/**
 * Turns anything thrown by a route into an {@link HttpError}: an `HttpError` as is, a
 * {@link CodedError} by its code (see `HTTP_ANSWERS`), anything else as a 500 whose message says
 * nothing of the cause. No route maps its own errors.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof CodedError) {
    const answer = HTTP_ANSWERS.get(error.code);
    if (answer) return new HttpError(answer.code, answer.message?.(error) ?? error.message, { cause: error });
  }
  return new HttpError('internal', 'internal error', { cause: error });
}
