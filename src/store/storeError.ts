import { CodedError } from '../core/codedError.ts';

/**
 * Codes of {@link StoreError}:
 * - `store_open_failed`: the database (or its directory) cannot be created or opened.
 * - `store_locked`: another process holds the store (one guard per store).
 * - `store_corrupt`: the file is not a database, or fails its integrity check.
 * - `store_schema_newer`: the database was migrated by a newer version of this program.
 * - `store_migration_failed`: a migration failed; the database is left at the previous version.
 * - `store_read_failed`, `store_write_failed`: a query failed (disk full, I/O error).
 * - `store_unreachable`: the database server cannot be reached, or the connection to it broke
 *   (PostgreSQL down, restarting, or a network fault); the service retries.
 * - `store_auth_failed`: the database server refused the user or password.
 * - `store_closed`: the store was used after `close()`.
 * - `store_fenced`: a write of a cluster member that is not (or no longer) the leader: the lease
 *   names another instance or epoch. The writer steps down.
 */
export const STORE_ERROR_CODES = [
  'store_open_failed',
  'store_locked',
  'store_corrupt',
  'store_schema_newer',
  'store_migration_failed',
  'store_read_failed',
  'store_write_failed',
  'store_unreachable',
  'store_auth_failed',
  'store_closed',
  'store_fenced',
] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

/** The error of every store adapter: a code, a one-line message, the driver's error as `cause`. */
export class StoreError extends CodedError<StoreErrorCode> {
  override name = 'StoreError';

  constructor(
    code: StoreErrorCode,
    shortMessage: string,
    options: { details?: string | undefined; cause?: unknown } = {},
  ) {
    super({ code, shortMessage, details: options.details, cause: options.cause });
  }
}
