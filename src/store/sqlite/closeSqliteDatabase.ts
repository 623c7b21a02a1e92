import type Database from 'better-sqlite3';
import { toStoreError } from './toStoreError.ts';

/** Closes a SQLite file of consensus-guard (releasing its lock); a failure is a
 * `store_write_failed` {@link StoreError} about `label` (`the store`, `the ledger`). */
export function closeSqliteDatabase(db: Database.Database, label: string): void {
  try {
    db.close();
  } catch (cause) {
    throw toStoreError(cause, 'store_write_failed', `cannot close ${label}`);
  }
}
