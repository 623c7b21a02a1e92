import { SNAPSHOTS_KEPT, type SnapshotInput, type Store } from '../store.ts';
import { type StoreRow, storeRows } from '../storeRows.ts';
import type { PostgresAccess, Queryable } from './createPostgresAccess.ts';

export type PostgresSnapshots = Pick<Store, 'listSnapshots' | 'readSnapshot'> & {
  /** Stores `snapshot` as the state after event `seq`, inside the caller's transaction, and deletes
   * all but the newest {@link SNAPSHOTS_KEPT}. */
  write(client: Queryable, seq: number, snapshot: SnapshotInput): Promise<void>;
};

/** The engine snapshots of a PostgreSQL store. */
export function createPostgresSnapshots({ read }: PostgresAccess): PostgresSnapshots {
  return {
    async write(client, seq, snapshot) {
      await client.query(
        `INSERT INTO snapshots (seq, format_version, config_hash, checksum, at_ms, bytes, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (seq) DO UPDATE SET format_version = $2, config_hash = $3, checksum = $4, at_ms = $5, bytes = $6, body = $7`,
        storeRows.toSnapshotValues(seq, snapshot),
      );
      await client.query(
        'DELETE FROM snapshots WHERE seq NOT IN (SELECT seq FROM snapshots ORDER BY seq DESC LIMIT $1)',
        [SNAPSHOTS_KEPT],
      );
    },

    async listSnapshots() {
      return read('snapshots', async (db) =>
        (
          await db.query(
            'SELECT seq, format_version, config_hash, checksum, at_ms, bytes FROM snapshots ORDER BY seq DESC',
          )
        ).rows.map(storeRows.toSnapshotInfo),
      );
    },

    async readSnapshot(seq) {
      return read('a snapshot', async (db) => {
        const row = (await db.query('SELECT * FROM snapshots WHERE seq = $1', [seq])).rows[0] as
          | StoreRow
          | undefined;
        return row === undefined ? undefined : storeRows.toStoredSnapshot(row);
      });
    },
  };
}
