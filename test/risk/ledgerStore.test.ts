import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as files from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { RiskError } from '../../src/risk/contagion/riskError.ts';
import { createJsonLinesLedgerStore } from '../../src/risk/settlement/createJsonLinesLedgerStore.ts';
import { createMemoryLedgerStore } from '../../src/risk/settlement/createMemoryLedgerStore.ts';
import { parseLedgerLine, toLedgerLine } from '../../src/risk/settlement/ledgerStore.ts';
import {
  openSqliteLedgerStore,
  SQLITE_LEDGER_FILE_NAME,
} from '../../src/store/sqlite/openSqliteLedgerStore.ts';
import { sqliteLedgerMigrations } from '../../src/store/sqlite/sqliteMigrations.ts';
import { head, lifecycleFacts, ref } from './ledgerFixtures.ts';
import { openJsonLinesLedgerStore } from './ledgerStoreAdapters.ts';
import { nextJson, runLedgerStoreContract, startChild, stop } from './ledgerStoreContract.ts';

const tempDir = () => files.mkdtemp(join(tmpdir(), 'cg-ledger-store-'));
const removeDir = (dir: string) => files.rm(dir, { recursive: true, force: true });

runLedgerStoreContract('memory', async () => {
  let current: ReturnType<typeof createMemoryLedgerStore> | undefined;
  return {
    open: async () => (current = createMemoryLedgerStore(current?.facts)),
    atomicAppend: true,
    dispose: async () => {},
  };
});

runLedgerStoreContract('json-lines', async () => {
  const dir = await tempDir();
  const parameters = { path: join(dir, 'ledger.jsonl') };
  return {
    open: () => openJsonLinesLedgerStore(parameters),
    child: {
      module: fileURLToPath(new URL('./ledgerStoreAdapters.ts', import.meta.url)),
      exportName: 'openJsonLinesLedgerStore',
      parameters,
    },
    atomicAppend: false,
    dispose: () => removeDir(dir),
  };
});

const sqliteChild = (dataDir: string) => ({
  module: fileURLToPath(new URL('../../src/store/sqlite/openSqliteLedgerStore.ts', import.meta.url)),
  exportName: 'openSqliteLedgerStore',
  parameters: { dataDir },
});

runLedgerStoreContract('sqlite', async () => {
  const dir = await tempDir();
  return {
    open: () => openSqliteLedgerStore({ dataDir: dir }),
    child: sqliteChild(dir),
    atomicAppend: true,
    dispose: () => removeDir(dir),
  };
});

const withDir = async (fn: (dir: string) => Promise<void>) => {
  const dir = await tempDir();
  try {
    await fn(dir);
  } finally {
    await removeDir(dir);
  }
};

describe('parseLedgerLine', () => {
  const cases: [string, string, RegExp, boolean][] = [
    [
      'broken JSON keeps the parser error as cause',
      '{"type":',
      /^ledger line 3 is not a ledger fact: /,
      true,
    ],
    ['an object without type', '{"at":1}', /^ledger line 3 is not a ledger fact: no type$/, false],
    ['null', 'null', /^ledger line 3 is not a ledger fact: no type$/, false],
  ];
  for (const [name, line, message, hasCause] of cases) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => parseLedgerLine(line, 3),
        (error) =>
          error instanceof RiskError &&
          error.code === 'invalid_input' &&
          error.field === 'line.3' &&
          message.test(error.message) &&
          error.cause instanceof SyntaxError === hasCause,
      );
    });
  }
});

describe('createJsonLinesLedgerStore', () => {
  it('behavior: a torn last line is ignored, a bad line in the middle is an error', () =>
    withDir(async (dir) => {
      const path = join(dir, 'l.jsonl');
      const store = createJsonLinesLedgerStore({ path, files });
      const facts = lifecycleFacts.slice(0, 4);
      await store.append(facts);
      await files.appendFile(path, '{"type":"head","ch');
      assert.equal((await store.load()).length, facts.length);
      await files.appendFile(path, '\n');
      await assert.rejects(store.load(), { code: 'invalid_input', field: 'line.5' });
    }));
});

describe('openSqliteLedgerStore', () => {
  it('default: one row (seq, toLedgerLine) per fact in ledger.sqlite, WAL, migrated', () =>
    withDir(async (dir) => {
      const dataDir = join(dir, 'nested', 'data');
      const store = await openSqliteLedgerStore({ dataDir });
      const facts = lifecycleFacts.slice(0, 3);
      await store.append(facts);
      await store.close();
      const db = new Database(join(dataDir, SQLITE_LEDGER_FILE_NAME), { readonly: true });
      try {
        assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
        assert.deepEqual(
          db.prepare('SELECT version FROM migrations').pluck().all(),
          sqliteLedgerMigrations.map((m) => m.version),
        );
        assert.deepEqual(
          db.prepare('SELECT seq, body FROM ledger ORDER BY seq').all(),
          facts.map((fact, i) => ({ seq: i + 1, body: toLedgerLine(fact) })),
        );
      } finally {
        db.close();
      }
    }));

  it('error: a corrupt row is an invalid_input RiskError naming its seq', () =>
    withDir(async (dir) => {
      const store = await openSqliteLedgerStore({ dataDir: dir });
      await store.append(lifecycleFacts.slice(0, 3));
      await store.close();
      const db = new Database(join(dir, SQLITE_LEDGER_FILE_NAME));
      db.prepare('UPDATE ledger SET body = ? WHERE seq = 2').run('{"type":"head","chain":');
      db.close();
      const reopened = await openSqliteLedgerStore({ dataDir: dir });
      try {
        await assert.rejects(reopened.load(), (error: unknown) => {
          assert.ok(error instanceof RiskError);
          assert.equal(error.code, 'invalid_input');
          assert.equal(error.field, 'seq.2');
          assert.match(error.message, /^ledger seq 2 is not a ledger fact: /);
          return true;
        });
      } finally {
        await reopened.close();
      }
    }));

  it('behavior: one append is one transaction: a failing fact stores none of its batch', () =>
    withDir(async (dir) => {
      const migrations = [
        ...sqliteLedgerMigrations,
        {
          version: 99,
          name: 'refuse chain zzz',
          sql: `CREATE TRIGGER refuse BEFORE INSERT ON ledger WHEN NEW.body LIKE '%"zzz"%'
                BEGIN SELECT RAISE(ABORT, 'refused'); END;`,
        },
      ];
      const store = await openSqliteLedgerStore({ dataDir: dir, migrations });
      try {
        await store.append([head(1)]);
        await assert.rejects(
          store.append([head(2), head(3), { type: 'head', chain: 'zzz', atMs: 4, head: ref(4) }]),
          (error: unknown) => {
            assert.equal((error as { code?: string }).code, 'store_write_failed');
            assert.match((error as { cause?: Error }).cause?.message ?? '', /refused/);
            return true;
          },
        );
        assert.deepEqual(await store.load(), [head(1)]);
        await store.append([head(2)]);
        assert.deepEqual(await store.load(), [head(1), head(2)]);
      } finally {
        await store.close();
      }
    }));

  it('error: a ledger held by another process is store_locked until that process dies', () =>
    withDir(async (dir) => {
      const children = new Set<ChildProcess>();
      const holder = startChild(sqliteChild(dir), 'hold', children);
      try {
        assert.deepEqual(await nextJson(holder), { ready: true });
        await assert.rejects(openSqliteLedgerStore({ dataDir: dir }), { code: 'store_locked' });
      } finally {
        await stop(holder.process);
      }
      const store = await openSqliteLedgerStore({ dataDir: dir });
      assert.deepEqual(await store.load(), []);
      await store.close();
    }));

  it('error: a ledger migrated by a newer version is store_schema_newer; a closed one is store_closed', () =>
    withDir(async (dir) => {
      const newer = [
        ...sqliteLedgerMigrations,
        { version: 99, name: 'future', sql: 'CREATE TABLE future (x)' },
      ];
      await (await openSqliteLedgerStore({ dataDir: dir, migrations: newer })).close();
      await assert.rejects(openSqliteLedgerStore({ dataDir: dir }), {
        code: 'store_schema_newer',
        message: /^the ledger is at schema version 99/,
      });
      const store = await openSqliteLedgerStore({ path: ':memory:' });
      await store.close();
      await store.close();
      await assert.rejects(store.load(), { code: 'store_closed' });
      await assert.rejects(store.append([head(1)]), { code: 'store_closed' });
    }));
});
