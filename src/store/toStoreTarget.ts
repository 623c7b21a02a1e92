import { toRedactedUrl } from '../config/toRedactedUrl.ts';
import { StoreError } from './storeError.ts';

/** Which store to open: SQLite in a data directory, PostgreSQL at a URL, or memory. */
export type StoreTarget =
  | { kind: 'sqlite'; dataDir: string }
  | { kind: 'postgres'; url: string; displayUrl: string }
  | { kind: 'memory' };

/**
 * Reads a store URL (`--store`): `memory:`, `sqlite:PATH` or a directory path (SQLite in that data
 * directory), or `postgres://…` / `postgresql://…` (the password in the URL or in `PGPASSWORD`).
 * Throws a `store_open_failed` {@link StoreError} for an empty value or another scheme.
 *
 * @example
 * toStoreTarget('postgres://guard@db:5432/guard') // { kind: 'postgres', url, displayUrl: 'postgres://***@db:5432/guard' }
 */
export function toStoreTarget(value: string): StoreTarget {
  const text = value.trim();
  if (text === 'memory:' || text === 'memory') return { kind: 'memory' };
  if (/^postgres(?:ql)?:\/\//i.test(text))
    return { kind: 'postgres', url: text, displayUrl: toRedactedUrl(text) };
  if (text.startsWith('sqlite:')) {
    const dataDir = text.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (dataDir !== '') return { kind: 'sqlite', dataDir };
  } else if (text !== '' && !/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text)) {
    return { kind: 'sqlite', dataDir: text };
  }
  throw new StoreError('store_open_failed', `not a store: ${JSON.stringify(toRedactedUrl(text))}`, {
    details: 'give memory:, a directory (or sqlite:DIR) for SQLite, or postgres://user@host:5432/database',
  });
}

/** How a target is printed: the data directory, the redacted URL, or `memory:`. */
export function toStoreDisplay(target: StoreTarget): string {
  if (target.kind === 'sqlite') return target.dataDir;
  if (target.kind === 'postgres') return target.displayUrl;
  return 'memory:';
}
