/**
 * Codes of {@link StoreError}:
 * - `store_open_failed`: the database (or its directory) cannot be created or opened.
 * - `store_locked`: another process holds the store (one guard per data directory).
 * - `store_corrupt`: the file is not a database, or fails its integrity check.
 * - `store_schema_newer`: the database was migrated by a newer version of this program.
 * - `store_migration_failed`: a migration failed; the database is left at the previous version.
 * - `store_read_failed`, `store_write_failed`: a query failed (disk full, I/O error).
 * - `store_closed`: the store was used after `close()`.
 */
export const STORE_ERROR_CODES = [
  'store_open_failed',
  'store_locked',
  'store_corrupt',
  'store_schema_newer',
  'store_migration_failed',
  'store_read_failed',
  'store_write_failed',
  'store_closed',
] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

/** The error of every store adapter: a code, a one-line message, the driver's error as `cause`. */
export class StoreError extends Error {
  override name = 'StoreError';
  readonly code: StoreErrorCode;
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(
    code: StoreErrorCode,
    shortMessage: string,
    options: { details?: string; cause?: unknown } = {},
  ) {
    super(
      options.details ? `${shortMessage}: ${options.details}` : shortMessage,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = options.details;
  }
}
