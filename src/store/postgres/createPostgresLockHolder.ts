import pg from 'pg';
import { StoreError } from '../storeError.ts';
import { destroyPostgresSocket } from './destroyPostgresSocket.ts';

/** The advisory lock key of a consensus-guard store (one per database). */
const LOCK_KEY = 0x63677374; // 'cgst'

export type PostgresLockHolder = {
  /** Takes the lock, waiting up to the timeout; throws `store_locked` when another process holds it. */
  acquire(): Promise<void>;
  /** Whether the lock is held now (false while it is being taken again). */
  held(): boolean;
  /** Releases the lock and stops taking it again. */
  release(): Promise<void>;
};

/**
 * The store's advisory lock on a connection of its own. When that connection breaks, it is taken
 * again in the background (every 500 ms) until it is held or the store is closed.
 */
export function createPostgresLockHolder(
  config: pg.PoolConfig,
  timeoutMs: number,
  displayUrl: string,
  shared: boolean,
): PostgresLockHolder {
  let client: pg.Client | undefined;
  let isHeld = false;
  let closing = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const tryOnce = async (): Promise<boolean> => {
    const next = new pg.Client({ ...config, application_name: 'consensus-guard lock' });
    next.on('error', () => undefined);
    try {
      await next.connect();
      const taken =
        (
          await next.query(
            shared ? 'SELECT pg_try_advisory_lock_shared($1) AS ok' : 'SELECT pg_try_advisory_lock($1) AS ok',
            [LOCK_KEY],
          )
        ).rows[0]?.ok === true;
      if (!taken) {
        await next.end().catch(() => undefined);
        return false;
      }
    } catch (error) {
      destroyPostgresSocket(next);
      await next.end().catch(() => undefined);
      throw error;
    }
    next.on('end', () => {
      if (client !== next) return;
      isHeld = false;
      client = undefined;
      if (!closing) schedule();
    });
    client = next;
    isHeld = true;
    return true;
  };

  const schedule = () => {
    retry = setTimeout(() => {
      retry = undefined;
      tryOnce()
        .then((taken) => {
          if (!taken && !closing) schedule();
        })
        .catch(() => {
          if (!closing) schedule();
        });
    }, 500);
    retry.unref?.();
  };

  return {
    async acquire() {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (await tryOnce()) return;
        if (Date.now() >= deadline) {
          throw new StoreError('store_locked', `the store at ${displayUrl} is held by another process`, {
            details: shared
              ? 'a single guard (not a cluster member) holds this store: stop it, or give another --store'
              : 'another guard holds this store (one guard per store): stop it, or give another --store',
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    held: () => isHeld,
    async release() {
      closing = true;
      if (retry) clearTimeout(retry);
      const current = client;
      client = undefined;
      isHeld = false;
      await current?.end().catch(() => undefined);
    },
  };
}
