import type { StoreConfig } from '../config/parseConfig.ts';
import { type OpenStoreOptions, openStore } from '../store/openStore.ts';
import type { Store } from '../store/store.ts';
import { StoreError } from '../store/storeError.ts';
import { type StoreTarget, toStoreTarget } from '../store/toStoreTarget.ts';
import { toStoreCliError, usageError } from './errors.ts';

/** The `--store` help text of the commands that open a store. */
export const STORE_OPTION_HELP =
  'the store: memory:, a directory or sqlite:DIR (SQLite), or postgres://user@host:5432/db (password in the URL or PGPASSWORD)';

/**
 * The store a command opens: `--store URL`, else `--data-dir DIR` (SQLite), else the config file's
 * `store:` section, else `fallback`. Both options at once, or a URL that is not a store, is a usage
 * error.
 */
export function toCliStoreTarget(
  options: { store?: string | undefined; dataDir?: string | undefined },
  config: StoreConfig | undefined,
  fallback: StoreTarget,
): StoreTarget {
  if (options.store !== undefined && options.dataDir !== undefined)
    throw usageError('give either --store or --data-dir, not both');
  if (options.store !== undefined) {
    try {
      return toStoreTarget(options.store);
    } catch (error) {
      throw usageError(`--store: ${(error as Error).message}`);
    }
  }
  if (options.dataDir !== undefined) return { kind: 'sqlite', dataDir: options.dataDir };
  if (config?.kind === 'memory') return { kind: 'memory' };
  if (config?.kind === 'postgres' && config.url !== undefined && config.displayUrl !== undefined)
    return { kind: 'postgres', url: config.url, displayUrl: config.displayUrl };
  if (config?.kind === 'sqlite' || config?.dataDir !== undefined)
    return { kind: 'sqlite', dataDir: config.dataDir ?? './.data' };
  return fallback;
}

/** Opens `target`; a store that cannot be opened is a one-line CLI error that says what to check. */
export async function openCliStore(target: StoreTarget, options: OpenStoreOptions = {}): Promise<Store> {
  try {
    return await openStore(target, options);
  } catch (error) {
    if (error instanceof StoreError) throw toStoreCliError(error);
    throw error;
  }
}
