import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type Migration, type MigrationDialect, runMigrations } from '../runMigrations.ts';
import { StoreError } from '../storeError.ts';
import { toStoreError } from './toStoreError.ts';

/** Where and how to open one SQLite file of consensus-guard (the store, the ledger). */
export type SqliteFileParameters = {
  /** Directory of the file; created if missing. Default `./.data`. */
  dataDir?: string | undefined;
  /** Path of the file (instead of `dataDir`); `:memory:` for a throwaway database. */
  path?: string | undefined;
  /** `full` (default) syncs the log at every commit, so a commit survives a power loss;
   * `normal` survives a process crash only, and commits faster. */
  synchronous?: 'full' | 'normal' | undefined;
  /** Migrations to apply instead of the file's own (tests use this to check the refusal of a
   * newer schema). */
  migrations?: readonly Migration[];
};

export type OpenSqliteDatabaseParameters = SqliteFileParameters & {
  /** The file's name inside `dataDir`. */
  fileName: string;
  /** Numbered migrations, applied once each in version order. */
  migrations: readonly Migration[];
  /** What the file is, for error messages: `the store`, `the ledger`. */
  label: string;
};

/**
 * Opens a SQLite file of consensus-guard, creating and migrating it as needed: WAL journal, the
 * chosen `synchronous` level, an exclusive lock held while open (a second process gets
 * `store_locked`; the OS releases the lock when the process dies, even by `kill -9`), and the
 * numbered `migrations` recorded in a `migrations` table (a file migrated by a newer version is
 * refused with `store_schema_newer`). Errors are {@link StoreError}s with the driver's error as
 * `cause`.
 */
export async function openSqliteDatabase(
  parameters: OpenSqliteDatabaseParameters,
): Promise<Database.Database> {
  const { label } = parameters;
  const dir = parameters.dataDir ?? './.data';
  const path = parameters.path ?? join(dir, parameters.fileName);
  if (parameters.path === undefined) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (cause) {
      throw new StoreError('store_open_failed', `cannot create the data directory ${dir}`, {
        details: (cause as Error).message,
        cause,
      });
    }
  }
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: 0 });
  } catch (cause) {
    throw toStoreError(cause, 'store_open_failed', `cannot open ${label} ${path}`);
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${parameters.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -65536');
    db.exec('BEGIN EXCLUSIVE; COMMIT;');
  } catch (cause) {
    db.close();
    throw toStoreError(cause, 'store_open_failed', `cannot open ${label} ${path}`);
  }
  try {
    await runMigrations({ dialect: toSqliteMigrationDialect(db), migrations: parameters.migrations, label });
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** The SQLite statements of the shared migration runner. */
function toSqliteMigrationDialect(db: Database.Database): MigrationDialect {
  return {
    async createTable() {
      db.exec(
        'CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER NOT NULL)',
      );
    },
    async currentVersion() {
      return (db.prepare('SELECT MAX(version) AS v FROM migrations').get() as { v: number | null }).v ?? 0;
    },
    async apply(migration, appliedAtMs) {
      db.transaction(() => {
        db.exec(migration.sql);
        db.prepare('INSERT INTO migrations (version, name, applied_at_ms) VALUES (?, ?, ?)').run(
          migration.version,
          migration.name,
          appliedAtMs,
        );
      })();
    },
    toStoreError,
  };
}
