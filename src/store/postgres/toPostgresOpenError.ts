import { StoreError } from '../storeError.ts';
import { toPostgresStoreError } from './toPostgresStoreError.ts';

/** An error at open as a one-line StoreError that names the server and what to check. */
export function toPostgresOpenError(error: unknown, displayUrl: string, where: string): StoreError {
  const wrapped = toPostgresStoreError(error, 'store_open_failed', `cannot open the store at ${displayUrl}`);
  if (error instanceof StoreError) return error;
  const hint =
    wrapped.code === 'store_unreachable'
      ? `check that PostgreSQL runs and accepts TCP connections at ${where}, and the host and port in the URL`
      : wrapped.code === 'store_auth_failed'
        ? 'check the user, and the password (in the URL or PGPASSWORD)'
        : (error as { code?: unknown }).code === '3D000'
          ? 'check the database name in the URL, or create the database (createdb)'
          : undefined;
  const short =
    wrapped.code === 'store_unreachable'
      ? `cannot reach PostgreSQL at ${where} (${displayUrl})`
      : wrapped.code === 'store_auth_failed'
        ? `PostgreSQL at ${where} refused the login (${displayUrl})`
        : `cannot open the store at ${displayUrl}`;
  return new StoreError(wrapped.code, short, {
    details: hint === undefined ? wrapped.details : `${wrapped.details}: ${hint}`,
    cause: error,
  });
}
