import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openPostgresStore } from '../../src/store/postgres/openPostgresStore.ts';
import { postgresMigrations } from '../../src/store/postgres/postgresMigrations.ts';
import { freePort } from '../peers/nodes.ts';
import { type RunningPostgres, startPostgres } from '../support/startPostgres.ts';
import { runStoreContract } from './contract.ts';

const MODULE = fileURLToPath(new URL('../../src/store/postgres/openPostgresStore.ts', import.meta.url));

let server: RunningPostgres;
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server?.stop();
});

runStoreContract('postgres', async () => {
  const url = await server.createDatabase();
  // A killed holder's connection ends a moment after the process: give the lock that moment.
  const parameters = { url, lockTimeoutMs: 1500 };
  return {
    open: () => openPostgresStore(parameters),
    child: { module: MODULE, exportName: 'openPostgresStore', parameters: { url } },
    dispose: async () => undefined,
  };
});

describe('openPostgresStore', () => {
  it('error: a store migrated by a newer version is refused with store_schema_newer', async () => {
    const url = await server.createDatabase();
    const newer = [
      ...postgresMigrations,
      { version: 99, name: 'future', sql: 'CREATE TABLE future (x int)' },
    ];
    await (await openPostgresStore({ url, migrations: newer })).close();
    await assert.rejects(openPostgresStore({ url }), { code: 'store_schema_newer' });
  });

  it('behavior: a failed migration leaves the previous version and is store_migration_failed', async () => {
    const url = await server.createDatabase();
    const broken = [
      ...postgresMigrations,
      { version: postgresMigrations.length + 1, name: 'broken', sql: 'CREATE TABLE events (x int)' },
    ];
    await assert.rejects(openPostgresStore({ url, migrations: broken }), { code: 'store_migration_failed' });
    const store = await openPostgresStore({ url });
    assert.deepEqual(
      (await store.migrations()).map((m) => m.version),
      postgresMigrations.map((m) => m.version),
    );
    await store.close();
  });

  it('error: nothing listening is store_unreachable, one line naming host and port, the password redacted', async () => {
    const port = await freePort();
    await assert.rejects(
      openPostgresStore({ url: `postgres://guard:s3cret-pw@127.0.0.1:${port}/guard` }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'store_unreachable');
        assert.match(error.message, new RegExp(`cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}`));
        assert.match(error.message, /check that PostgreSQL runs/);
        assert.doesNotMatch(error.message, /s3cret-pw/);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      },
    );
  });

  it('error: a database that does not exist is store_open_failed and says to create it', async () => {
    await assert.rejects(
      openPostgresStore({ url: server.url('no_such_db') }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'store_open_failed');
        assert.match(error.message, /no_such_db/);
        assert.match(error.message, /createdb/);
        return true;
      },
    );
  });

  it('error: a wrong password is store_auth_failed, and the password is not printed', async () => {
    const url = await server.createDatabase();
    const admin = await openPostgresStore({ url });
    await admin.close();
    // trust authentication accepts any password; a role that does not exist is refused in class 28.
    await assert.rejects(
      openPostgresStore({ url: url.replace('postgres@', 'nobody:hunter2-secret@') }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'store_auth_failed');
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      },
    );
  });
});
