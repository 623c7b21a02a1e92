import { StoreError, type StoreErrorCode } from '../storeError.ts';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/**
 * Wraps an error of the PostgreSQL driver (`pg`) in a {@link StoreError}, by SQLSTATE or socket
 * error code:
 * - `store_unreachable`: the server cannot be reached or the connection broke (refused, reset,
 *   timed out, class 08 connection exceptions, 57P01-57P03 shutting down or starting up, 53300 too
 *   many connections);
 * - `store_auth_failed`: class 28 (wrong user or password);
 * - `store_open_failed`: 3D000, the database does not exist;
 * - `store_corrupt`: XX001, XX002 (damaged data or index);
 * - `fallback` otherwise (`store_read_failed`, `store_write_failed`, ...).
 * The driver's error is the `cause`; its message never holds the password (and the error's
 * `client`, which does, is never read).
 */
export function toPostgresStoreError(
  cause: unknown,
  fallback: StoreErrorCode,
  shortMessage: string,
): StoreError {
  if (cause instanceof StoreError) return cause;
  const code = toStoreErrorCode(cause, fallback);
  const message = cause instanceof Error ? cause.message : String(cause);
  const sqlState = (cause as { code?: unknown }).code;
  const details =
    typeof sqlState === 'string' && !message.includes(sqlState) ? `${message} (${sqlState})` : message;
  return new StoreError(code, shortMessage, { details, cause });
}

export function toStoreErrorCode(cause: unknown, fallback: StoreErrorCode): StoreErrorCode {
  const code = (cause as { code?: unknown }).code;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return 'store_unreachable';
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300')
      return 'store_unreachable';
    if (code.startsWith('28')) return 'store_auth_failed';
    if (code === '3D000') return 'store_open_failed';
    if (code === 'XX001' || code === 'XX002') return 'store_corrupt';
  }
  if (/password must be a string|password authentication failed|SASL|no password supplied/i.test(message))
    return 'store_auth_failed';
  if (
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(
      message,
    )
  )
    return 'store_unreachable';
  return fallback;
}
