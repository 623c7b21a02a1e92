import type pg from 'pg';
import { type Migration, type MigrationDialect, runMigrations } from '../runMigrations.ts';
import { toPostgresStoreError } from './toPostgresStoreError.ts';

/** The advisory lock cluster members migrate under. */
const MIGRATION_LOCK_KEY = 0x63676d67; // 'cgmg'

/**
 * Brings a PostgreSQL store to the newest of `migrations` through {@link runMigrations}. Cluster
 * members start together: one migrates at a time, under an advisory lock of its own.
 */
export async function migratePostgres(
  pool: pg.Pool,
  migrations: readonly Migration[],
  displayUrl: string,
  clustered: boolean,
): Promise<void> {
  const migrate = () =>
    runMigrations({
      dialect: toPostgresMigrationDialect(pool),
      migrations,
      label: `the store at ${displayUrl}`,
    });
  if (!clustered) return migrate();
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}

/** The PostgreSQL statements of the shared migration runner. */
function toPostgresMigrationDialect(pool: pg.Pool): MigrationDialect {
  return {
    async createTable() {
      await pool.query(
        'CREATE TABLE IF NOT EXISTS migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at_ms bigint NOT NULL)',
      );
    },
    async currentVersion() {
      return (
        ((await pool.query('SELECT COALESCE(MAX(version), 0) AS v FROM migrations')).rows[0]?.v as number) ??
        0
      );
    },
    async apply(migration, appliedAtMs) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(migration.sql);
        await client.query('INSERT INTO migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          appliedAtMs,
        ]);
        await client.query('COMMIT');
      } catch (cause) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw cause;
      } finally {
        client.release();
      }
    },
    toStoreError: toPostgresStoreError,
  };
}
