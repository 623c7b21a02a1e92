import pg from 'pg';
import { toRedactedUrl } from '../../config/toRedactedUrl.ts';
import type { Fence } from '../clusterStore.ts';
import type { Migration } from '../runMigrations.ts';
import type { Store } from '../store.ts';
import { StoreError } from '../storeError.ts';
import { storeRows } from '../storeRows.ts';
import { createPostgresAccess } from './createPostgresAccess.ts';
import { createPostgresCluster } from './createPostgresCluster.ts';
import { createPostgresEventLog } from './createPostgresEventLog.ts';
import { createPostgresLockHolder } from './createPostgresLockHolder.ts';
import { createPostgresOutbox } from './createPostgresOutbox.ts';
import { createPostgresSnapshots } from './createPostgresSnapshots.ts';
import { destroyPostgresSocket } from './destroyPostgresSocket.ts';
import { migratePostgres } from './migratePostgres.ts';
import { postgresMigrations } from './postgresMigrations.ts';
import { toPostgresConnectionConfig, toPostgresHostPort } from './toPostgresConnectionConfig.ts';
import { toPostgresOpenError } from './toPostgresOpenError.ts';

export type OpenPostgresStoreParameters = {
  /** `postgres://user[:password]@host[:port]/database`; without a password in it, `pg` takes
   * `PGPASSWORD` from the environment. Never printed as it is: see {@link toRedactedUrl}. */
  url: string;
  /** Connections in the pool (one more holds the store's lock). Default 4. */
  poolSize?: number;
  /** How long to wait for a connection, ms. Default 5000. */
  connectTimeoutMs?: number;
  /** How long to wait for the store's lock when another process holds it, ms. Default 0. */
  lockTimeoutMs?: number;
  /** Migrations to apply instead of the store's own (tests). */
  migrations?: readonly Migration[];
  /** Read only (`store status` beside a running guard): no lock taken, no migration applied, and
   * appends refused. Default false. */
  readOnly?: boolean;
  /** A member of a cluster of guards on this store (docs/deploy.md), under this instance name:
   * several processes share the store (a shared advisory lock, which a single guard's exclusive
   * one excludes), and every write is fenced by the lease (`cluster.setFence`): refused with
   * `store_fenced` until this instance holds it. Default: a single guard (exclusive lock, no fence). */
  instance?: string;
};

/** int8 (bigint, bigserial, COUNT) as a JS number: sequence numbers, ids and ms are safe integers. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Opens (creating the schema and migrating as needed) a store in a PostgreSQL database, through a
 * pool of `pg` connections:
 * - one guard per store: a session-level advisory lock, held on a connection of its own for as long
 *   as the store is open (a second process gets `store_locked`; the server releases it when the
 *   holder's connection ends, also at `kill -9`). If that connection breaks (a restart of the
 *   server), it is taken again as soon as the server answers, and appends wait for it;
 * - numbered migrations of its own (`postgresMigrations`), recorded in `migrations`;
 * - appends in one transaction per batch (multi-row inserts), with gap-free sequence numbers. An
 *   append whose outcome the client could not learn (the connection broke during COMMIT) is found
 *   at the next attempt by its bodies and not written twice;
 * - every driver error a {@link StoreError} (`store_unreachable`, `store_auth_failed`, ...: see
 *   `toPostgresStoreError`); messages name the URL redacted.
 *
 * @example
 * const store = await openPostgresStore({ url: 'postgres://guard@db.internal:5432/guard' });
 */
export async function openPostgresStore(parameters: OpenPostgresStoreParameters): Promise<Store> {
  const displayUrl = toRedactedUrl(parameters.url);
  const where = toPostgresHostPort(parameters.url);
  const config: pg.PoolConfig = {
    ...toPostgresConnectionConfig(parameters.url),
    max: parameters.poolSize ?? 4,
    connectionTimeoutMillis: parameters.connectTimeoutMs ?? 5000,
    application_name: 'consensus-guard',
    types,
  };
  if (parameters.instance !== undefined) {
    // A member paused inside a transaction (SIGSTOP, a long GC) would hold its lock on the lease
    // row and keep the next leader from taking it: the server ends such a session.
    config.idle_in_transaction_session_timeout = 1000;
  }
  // Connections that fail inside `pg` before they are handed out (a password refused by the client
  // itself) keep their socket; they are closed by hand when the open fails.
  const clients = new Set<pg.Client>();
  class TrackedClient extends pg.Client {
    constructor(clientConfig?: string | pg.ClientConfig) {
      super(clientConfig);
      clients.add(this);
      this.once('end', () => clients.delete(this));
    }
  }
  const pool = new pg.Pool({ ...config, Client: TrackedClient });
  const abandon = async () => {
    await pool.end().catch(() => undefined);
    for (const client of clients) destroyPostgresSocket(client);
  };
  // A connection that breaks while idle (or checked out) reports an 'error' event: without a
  // listener it would end the process. The query on it fails and says so; nothing else to do.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));

  const readOnly = parameters.readOnly === true;
  const clustered = parameters.instance !== undefined;
  const lock = createPostgresLockHolder(config, parameters.lockTimeoutMs ?? 0, displayUrl, clustered);
  try {
    if (!readOnly) await lock.acquire();
  } catch (error) {
    await abandon();
    throw toPostgresOpenError(error, displayUrl, where);
  }
  let id: string;
  const head = { knownLastSeq: 0 };
  try {
    if (!readOnly)
      await migratePostgres(pool, parameters.migrations ?? postgresMigrations, displayUrl, clustered);
    const meta = await pool.query("SELECT value FROM meta WHERE key = 'store_id'");
    id = meta.rows[0]?.value as string;
    if (typeof id !== 'string' || id === '') {
      throw new StoreError('store_corrupt', `the store at ${displayUrl} has no id`, {
        details: 'the meta table has no store_id',
      });
    }
    head.knownLastSeq = (await pool.query('SELECT last_seq FROM log_head')).rows[0]?.last_seq as number;
  } catch (error) {
    await lock.release();
    await abandon();
    throw toPostgresOpenError(error, displayUrl, where);
  }

  let closed = false;
  const assertOpen = () => {
    if (closed) throw new StoreError('store_closed', 'the store is closed');
  };
  // The leader's claim, in cluster mode: every write transaction checks it first.
  let fence: Fence | undefined;
  const access = createPostgresAccess({
    pool,
    displayUrl,
    assertOpen,
    checkFence: clustered ? (client) => cluster.checkFence(client, fence) : undefined,
  });
  const cluster = createPostgresCluster({
    read: access.read,
    transaction: access.unfencedTransaction,
    onFence(next, lastSeq) {
      fence = next;
      if (lastSeq !== undefined) head.knownLastSeq = lastSeq;
    },
  });
  const { checkFence: _checkFence, ...clusterStore } = cluster;
  const snapshots = createPostgresSnapshots(access);
  const { write: _write, ...snapshotReads } = snapshots;

  return {
    id,
    cluster: clusterStore,
    ...createPostgresEventLog({
      access,
      snapshots,
      head,
      assertWritable() {
        if (readOnly)
          throw new StoreError('store_write_failed', `the store at ${displayUrl} is open read only`);
        if (!closed && !lock.held()) {
          throw new StoreError('store_unreachable', `cannot append events (${displayUrl})`, {
            details: 'the connection that holds the store lock broke; it is being taken again',
          });
        }
      },
    }),
    ...snapshotReads,
    ...createPostgresOutbox(access),

    async migrations() {
      return access.read('migrations', async (db) =>
        (await db.query('SELECT version, name, applied_at_ms FROM migrations ORDER BY version')).rows.map(
          storeRows.toMigrationInfo,
        ),
      );
    },

    async close() {
      if (closed) return;
      closed = true;
      await lock.release();
      await pool.end().catch(() => undefined);
    },
  };
}
