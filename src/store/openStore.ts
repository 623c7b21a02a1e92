import { openMemoryStore } from './memory/openMemoryStore.ts';
import { openSqliteStore } from './sqlite/openSqliteStore.ts';
import type { Store } from './store.ts';
import type { StoreTarget } from './toStoreTarget.ts';

export type OpenStoreOptions = {
  /** For `memory`: keep at most this many of the newest events (a guard that runs for ever). */
  retainEvents?: number;
  /** For `postgres`: read only, without the lock (`store status` beside a running guard). */
  readOnly?: boolean;
  /** For `postgres`: open as this member of a cluster of guards (fenced writes; docs/deploy.md). */
  instance?: string;
};

/**
 * Opens the store a {@link StoreTarget} names. The PostgreSQL adapter (and `pg`) is loaded only
 * when a PostgreSQL store is opened.
 */
export async function openStore(target: StoreTarget, options: OpenStoreOptions = {}): Promise<Store> {
  switch (target.kind) {
    case 'sqlite':
      return openSqliteStore({ dataDir: target.dataDir });
    case 'postgres': {
      const { openPostgresStore } = await import('./postgres/openPostgresStore.ts');
      return openPostgresStore({
        url: target.url,
        readOnly: options.readOnly === true,
        ...(options.instance === undefined ? {} : { instance: options.instance }),
      });
    }
    case 'memory':
      return openMemoryStore(
        options.retainEvents === undefined ? {} : { retainEvents: options.retainEvents },
      );
  }
}
