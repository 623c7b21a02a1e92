import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openSqliteStore, SQLITE_FILE_NAME } from '../../src/store/sqlite/openSqliteStore.ts';
import { sqliteMigrations } from '../../src/store/sqlite/sqliteMigrations.ts';
import { runStoreContract } from './contract.ts';

const MODULE = fileURLToPath(new URL('../../src/store/sqlite/openSqliteStore.ts', import.meta.url));

runStoreContract('sqlite', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cg-store-'));
  return {
    open: () => openSqliteStore({ dataDir }),
    child: { module: MODULE, exportName: 'openSqliteStore', parameters: { dataDir } },
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
});

describe('openSqliteStore', () => {
  const withDir = async (fn: (dir: string) => Promise<void>) => {
    const dir = await mkdtemp(join(tmpdir(), 'cg-sqlite-'));
    try {
      await fn(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  it('default: creates the data directory and a WAL database file in it', () =>
    withDir(async (dir) => {
      const dataDir = join(dir, 'nested', 'data');
      const store = await openSqliteStore({ dataDir });
      await store.close();
      assert.ok((await stat(join(dataDir, SQLITE_FILE_NAME))).isFile());
      const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
      try {
        assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
        assert.deepEqual(
          db.prepare('SELECT version FROM migrations').pluck().all(),
          sqliteMigrations.map((m) => m.version),
        );
      } finally {
        db.close();
      }
    }));

  it('error: a file that is not a database is refused with store_corrupt', () =>
    withDir(async (dir) => {
      await writeFile(join(dir, SQLITE_FILE_NAME), 'this is not a database, just some text '.repeat(200));
      await assert.rejects(openSqliteStore({ dataDir: dir }), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'store_corrupt');
        assert.ok(error.cause instanceof Error);
        return true;
      });
    }));

  it('error: a store migrated by a newer version is refused with store_schema_newer', () =>
    withDir(async (dir) => {
      const newer = [...sqliteMigrations, { version: 99, name: 'future', sql: 'CREATE TABLE future (x)' }];
      await (await openSqliteStore({ dataDir: dir, migrations: newer })).close();
      await assert.rejects(openSqliteStore({ dataDir: dir }), { code: 'store_schema_newer' });
    }));

  it('error: a data directory that cannot be created is store_open_failed', () =>
    withDir(async (dir) => {
      await writeFile(join(dir, 'file'), 'x');
      await assert.rejects(openSqliteStore({ dataDir: join(dir, 'file', 'data') }), {
        code: 'store_open_failed',
      });
    }));

  it('behavior: a failed migration leaves the previous version and is store_migration_failed', () =>
    withDir(async (dir) => {
      const broken = [...sqliteMigrations, { version: 2, name: 'broken', sql: 'CREATE TABLE events (x)' }];
      await assert.rejects(openSqliteStore({ dataDir: dir, migrations: broken }), {
        code: 'store_migration_failed',
      });
      const store = await openSqliteStore({ dataDir: dir });
      assert.deepEqual(
        (await store.migrations()).map((m) => m.version),
        [1],
      );
      await store.close();
    }));
});
