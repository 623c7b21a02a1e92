import { StoreError, type StoreErrorCode } from '../storeError.ts';

const LOCKED = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_SNAPSHOT']);
const CORRUPT = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

/**
 * Wraps an error of the SQLite driver in a {@link StoreError}: `store_locked` for a busy or locked
 * database, `store_corrupt` for a file that is not a database or is damaged, `fallback` otherwise;
 * the driver's error is the `cause`.
 */
export function toStoreError(cause: unknown, fallback: StoreErrorCode, shortMessage: string): StoreError {
  const sqliteCode = (cause as { code?: unknown }).code;
  const details = cause instanceof Error ? cause.message : String(cause);
  let code = fallback;
  if (typeof sqliteCode === 'string') {
    if (LOCKED.has(sqliteCode)) code = 'store_locked';
    else if (CORRUPT.has(sqliteCode) || sqliteCode.startsWith('SQLITE_CORRUPT')) code = 'store_corrupt';
  }
  const hint =
    code === 'store_locked'
      ? 'another process holds this store (one guard per data directory)'
      : code === 'store_corrupt'
        ? 'the file is not a consensus-guard store or is damaged'
        : details;
  return new StoreError(code, shortMessage, {
    details: code === fallback ? details : `${hint} (${details})`,
    cause,
  });
}
