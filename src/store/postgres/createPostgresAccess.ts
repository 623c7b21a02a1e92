import type pg from 'pg';
import { StoreError } from '../storeError.ts';
import { toPostgresStoreError, toStoreErrorCode } from './toPostgresStoreError.ts';

/** What a read runs its queries on: the pool, or a client in a transaction. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/** How the parts of a PostgreSQL store reach the database. */
export type PostgresAccess = {
  /** Runs `fn` on the pool; a driver error becomes a `store_read_failed` (or more precise)
   * {@link StoreError} that says what could not be read. */
  read<T>(what: string, fn: (db: Queryable) => Promise<T>): Promise<T>;
  /** Runs `fn` in a transaction on a client of its own, fenced by the lease in cluster mode. */
  transaction<T>(what: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** The same without the fence: the lease, heartbeats and the inbox. */
  unfencedTransaction<T>(what: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
};

export type CreatePostgresAccessParameters = {
  pool: pg.Pool;
  /** The store's URL without its password, for messages. */
  displayUrl: string;
  /** Throws `store_closed` once the store is closed. */
  assertOpen(): void;
  /** In cluster mode: checks, first in every fenced transaction, that this instance holds the
   * lease (throws `store_fenced` otherwise). Absent: a single guard, no fence. */
  checkFence?: ((client: pg.PoolClient) => Promise<void>) | undefined;
};

/**
 * Reads and transactions on a pool. A transaction whose connection broke (the error is
 * `store_unreachable`, or its ROLLBACK fails) gives the connection back as broken, so that the pool
 * does not hand it out again.
 */
export function createPostgresAccess(parameters: CreatePostgresAccessParameters): PostgresAccess {
  const { pool, displayUrl, assertOpen, checkFence } = parameters;
  const read = async <T>(what: string, fn: (db: Queryable) => Promise<T>): Promise<T> => {
    assertOpen();
    try {
      return await fn(pool);
    } catch (cause) {
      throw toPostgresStoreError(cause, 'store_read_failed', `cannot read ${what} (${displayUrl})`);
    }
  };
  const transaction = async <T>(
    what: string,
    fn: (client: pg.PoolClient) => Promise<T>,
    fenced: boolean,
  ): Promise<T> => {
    assertOpen();
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (cause) {
      throw toPostgresStoreError(cause, 'store_write_failed', `cannot ${what} (${displayUrl})`);
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      if (fenced && checkFence !== undefined) await checkFence(client);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (cause) {
      broken =
        !(cause instanceof StoreError) &&
        toStoreErrorCode(cause, 'store_write_failed') === 'store_unreachable';
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw toPostgresStoreError(cause, 'store_write_failed', `cannot ${what} (${displayUrl})`);
    } finally {
      client.release(broken);
    }
  };
  return {
    read,
    transaction: (what, fn) => transaction(what, fn, true),
    unfencedTransaction: (what, fn) => transaction(what, fn, false),
  };
}
