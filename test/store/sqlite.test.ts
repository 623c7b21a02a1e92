import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Transition } from '../../src/breaker/levels.ts';
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
      const next = sqliteMigrations.length + 1;
      const broken = [...sqliteMigrations, { version: next, name: 'broken', sql: 'CREATE TABLE events (x)' }];
      await assert.rejects(openSqliteStore({ dataDir: dir, migrations: broken }), {
        code: 'store_migration_failed',
      });
      const store = await openSqliteStore({ dataDir: dir });
      assert.deepEqual(
        (await store.migrations()).map((m) => m.version),
        sqliteMigrations.map((m) => m.version),
      );
      await store.close();
    }));

  it('behavior: a store of schema version 1 gets an id, and its stored keys carry it', () =>
    withDir(async (dir) => {
      const db = new Database(join(dir, SQLITE_FILE_NAME));
      const [first] = sqliteMigrations;
      db.exec(first!.sql);
      db.exec(
        'CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER NOT NULL)',
      );
      db.prepare('INSERT INTO migrations VALUES (1, ?, 0)').run(first!.name);
      const transition: Transition = {
        breaker: 'eth',
        from: 'normal',
        to: 'halt',
        atMs: 1,
        reason: 'r',
        causes: ['reorg'],
        mode: 'auto',
        seq: 1,
        idempotencyKey: 'eth:1:normal>halt',
      };
      db.prepare(
        "INSERT INTO transitions VALUES ('eth:1:normal>halt', 'eth', 1, 'normal', 'halt', 'auto', 1, ?)",
      ).run(JSON.stringify(transition));
      db.prepare(
        "INSERT INTO outbox (sink, idempotency_key, breaker, breaker_seq, next_attempt_at_ms, created_at_ms) VALUES ('hook', 'eth:1:normal>halt', 'eth', 1, 0, 0)",
      ).run();
      db.close();
      const store = await openSqliteStore({ dataDir: dir });
      try {
        const key = `${store.id}:eth:1:normal>halt`;
        assert.deepEqual(await store.listTransitions(), [{ ...transition, idempotencyKey: key }]);
        assert.deepEqual(
          (await store.headActions('hook')).map((a) => a.transition.idempotencyKey),
          [key],
        );
        const again = await store.enqueueTransitions({
          transitions: [{ ...transition, idempotencyKey: key }],
          sinks: ['hook'],
          nowMs: 0,
        });
        assert.deepEqual(again, { enqueued: 0, conflicts: [] }, 'a replay finds the same keys');
      } finally {
        await store.close();
      }
    }));
});
