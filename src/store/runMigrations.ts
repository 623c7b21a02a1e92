import { StoreError, type StoreErrorCode } from './storeError.ts';

/** A schema change, applied once, in version order, inside a transaction. */
export type Migration = { version: number; name: string; sql: string };

/** What {@link runMigrations} needs of a database: the few statements whose dialect differs. */
export type MigrationDialect = {
  /** Creates the `migrations` table (version, name, applied_at_ms) when it is missing. */
  createTable(): Promise<void>;
  /** The highest version recorded in `migrations`, 0 when none. */
  currentVersion(): Promise<number>;
  /** Runs `migration.sql` and records the migration, in one transaction. */
  apply(migration: Migration, appliedAtMs: number): Promise<void>;
  /** Wraps a driver error of `apply` in a {@link StoreError}. */
  toStoreError(cause: unknown, fallback: StoreErrorCode, shortMessage: string): StoreError;
};

export type RunMigrationsParameters = {
  dialect: MigrationDialect;
  migrations: readonly Migration[];
  /** What the database is, for error messages: `the store`, `the store at postgres://...`. */
  label: string;
};

/**
 * Brings a database to the newest of `migrations`: each one above the recorded version, in version
 * order, in a transaction of its own. A database at a version newer than any of `migrations` is
 * refused with `store_schema_newer` (it was migrated by a newer program); a failed migration is a
 * `store_migration_failed` {@link StoreError}, and leaves the database at the previous version.
 */
export async function runMigrations({ dialect, migrations, label }: RunMigrationsParameters): Promise<void> {
  await dialect.createTable();
  const current = await dialect.currentVersion();
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new StoreError('store_schema_newer', `${label} is at schema version ${current}`, {
      details: `this program knows versions up to ${latest}: upgrade consensus-guard`,
    });
  }
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= current) continue;
    try {
      await dialect.apply(migration, Date.now());
    } catch (cause) {
      throw dialect.toStoreError(cause, 'store_migration_failed', `migration ${migration.version} failed`);
    }
  }
}
