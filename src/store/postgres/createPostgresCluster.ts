import type pg from 'pg';
import type {
  ClusterRole,
  ClusterStore,
  Fence,
  InboxRow,
  InstanceInfo,
  LeaseInfo,
  LocationInfo,
} from '../clusterStore.ts';
import { StoreError } from '../storeError.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

export type CreatePostgresClusterParameters = {
  /** Runs `fn` on the pool (reads), wrapping driver errors. */
  read: <T>(what: string, fn: (db: Queryable) => Promise<T>) => Promise<T>;
  /** Runs `fn` in a transaction (unfenced: lease, heartbeats, inbox), wrapping driver errors. */
  transaction: <T>(what: string, fn: (client: pg.PoolClient) => Promise<T>) => Promise<T>;
  /** Called by `setFence` with the last seq the instance has applied. */
  onFence: (fence: Fence | undefined, lastSeq: number | undefined) => void;
};

export type PostgresCluster = ClusterStore & {
  /** In a write transaction: locks the lease row FOR SHARE and throws `store_fenced` unless it
   * names `fence`. */
  checkFence(client: Queryable, fence: Fence | undefined): Promise<void>;
};

/**
 * The cluster tables of a PostgreSQL store (migration 2): `lease` (one row: holder, epoch,
 * expires_at), `instances` (heartbeats) and the watchers' `inbox` (numbered in commit order by the
 * one row of `inbox_head`, locked by each append, so a reader that has seen seq n never later finds
 * a row below it). Every time is the database's `now()`.
 */
export function createPostgresCluster(parameters: CreatePostgresClusterParameters): PostgresCluster {
  const { read, transaction } = parameters;
  return {
    async checkFence(client, fence) {
      if (fence === undefined) {
        throw new StoreError('store_fenced', 'this instance is not the leader: writes are refused', {
          details: 'a cluster member writes only while it holds the lease',
        });
      }
      const row = (await client.query('SELECT holder, epoch FROM lease FOR SHARE')).rows[0] as
        | { holder: string | null; epoch: number }
        | undefined;
      if (row?.holder !== fence.instance || row.epoch !== fence.epoch) {
        throw new StoreError(
          'store_fenced',
          `the lease was taken over: ${fence.instance} at epoch ${fence.epoch} may not write`,
          { details: `the lease names ${row?.holder ?? 'nobody'} at epoch ${row?.epoch ?? 0}` },
        );
      }
    },

    async acquireLease(instance, ttlMs) {
      return transaction('take the lease', async (client) => {
        await client.query("SET LOCAL lock_timeout = '1s'");
        const row = (
          await client.query(
            `UPDATE lease SET holder = $1, epoch = epoch + 1,
               expires_at = now() + $2 * interval '1 millisecond', renewed_at = now()
             WHERE expires_at < now() RETURNING epoch`,
            [instance, ttlMs],
          )
        ).rows[0] as { epoch: number } | undefined;
        return row?.epoch;
      });
    },

    async renewLease(fence, ttlMs) {
      return transaction('renew the lease', async (client) => {
        const result = await client.query(
          `UPDATE lease SET expires_at = now() + $3 * interval '1 millisecond', renewed_at = now()
           WHERE holder = $1 AND epoch = $2`,
          [fence.instance, fence.epoch, ttlMs],
        );
        return result.rowCount === 1;
      });
    },

    async releaseLease(fence) {
      await transaction('release the lease', (client) =>
        client.query("UPDATE lease SET expires_at = '-infinity' WHERE holder = $1 AND epoch = $2", [
          fence.instance,
          fence.epoch,
        ]),
      );
    },

    async readLease(): Promise<LeaseInfo> {
      return read('the lease', async (db) => {
        const row = (
          await db.query(
            `SELECT holder, epoch, expires_at > now() AS valid,
               (EXTRACT(EPOCH FROM (now() - renewed_at)) * 1000)::float8 AS age_ms,
               CASE WHEN renewed_at IS NULL THEN NULL
                 ELSE (EXTRACT(EPOCH FROM (expires_at - now())) * 1000)::float8 END AS expires_in_ms
             FROM lease`,
          )
        ).rows[0] as
          | {
              holder: string | null;
              epoch: number;
              valid: boolean;
              age_ms: number | null;
              expires_in_ms: number | null;
            }
          | undefined;
        if (row === undefined)
          return { holder: null, epoch: 0, valid: false, ageMs: null, expiresInMs: null };
        return {
          holder: row.holder,
          epoch: row.epoch,
          valid: row.valid,
          ageMs: row.age_ms === null ? null : Math.round(row.age_ms),
          expiresInMs: row.expires_in_ms === null ? null : Math.round(row.expires_in_ms),
        };
      });
    },

    setFence(fence, lastSeq) {
      parameters.onFence(fence, lastSeq);
    },

    async heartbeat(beat) {
      await transaction('record a heartbeat', (client) =>
        client.query(
          `INSERT INTO instances (instance, role, location, epoch, seen_at) VALUES ($1, $2, $3, $4, now())
           ON CONFLICT (instance) DO UPDATE SET role = $2, location = $3, epoch = $4, seen_at = now()`,
          [beat.instance, beat.role, beat.location ?? null, beat.epoch ?? null],
        ),
      );
    },

    async listInstances(options = {}) {
      return read('the instances', async (db) =>
        (
          await db.query(
            `SELECT instance, role, location, epoch,
               (EXTRACT(EPOCH FROM (now() - seen_at)) * 1000)::float8 AS age_ms
             FROM instances WHERE seen_at > now() - $1 * interval '1 millisecond' ORDER BY instance COLLATE "C"`,
            [options.withinMs ?? 60_000],
          )
        ).rows.map(
          (row): InstanceInfo => ({
            instance: row.instance as string,
            role: row.role as ClusterRole,
            location: row.location as string | null,
            epoch: row.epoch as number | null,
            ageMs: Math.round(row.age_ms as number),
          }),
        ),
      );
    },

    async appendInbox(instance, location, rows) {
      if (rows.length === 0) return 0;
      return transaction('append observations to the inbox', async (client) => {
        const head = (await client.query('SELECT last_seq FROM inbox_head FOR UPDATE')).rows[0]
          ?.last_seq as number;
        const stored = new Set(
          (
            await client.query(
              'SELECT local_seq FROM inbox WHERE instance = $1 AND local_seq = ANY($2::bigint[])',
              [instance, rows.map((r) => r.localSeq)],
            )
          ).rows.map((r) => r.local_seq as number),
        );
        const fresh = rows.filter(
          (r, i) => !stored.has(r.localSeq) && rows.findIndex((o) => o.localSeq === r.localSeq) === i,
        );
        if (fresh.length === 0) return 0;
        await client.query(
          `INSERT INTO inbox (seq, instance, local_seq, location, observed_at_ms, line)
           SELECT s, $2, l, $3, o, t FROM unnest($1::bigint[], $4::bigint[], $5::bigint[], $6::text[]) AS x(s, l, o, t)`,
          [
            fresh.map((_, i) => head + i + 1),
            instance,
            location ?? null,
            fresh.map((r) => r.localSeq),
            fresh.map((r) => r.observedAtMs),
            fresh.map((r) => r.line),
          ],
        );
        await client.query('UPDATE inbox_head SET last_seq = $1', [head + fresh.length]);
        return fresh.length;
      });
    },

    async readInbox(afterSeq, limit) {
      return read('the inbox', async (db) =>
        (
          await db.query(
            'SELECT seq, instance, local_seq, location, observed_at_ms, line FROM inbox WHERE seq > $1 ORDER BY seq LIMIT $2',
            [afterSeq, limit],
          )
        ).rows.map(
          (row): InboxRow => ({
            seq: row.seq as number,
            instance: row.instance as string,
            localSeq: row.local_seq as number,
            location: row.location as string | null,
            observedAtMs: row.observed_at_ms as number,
            line: row.line as string,
          }),
        ),
      );
    },

    async lastInboxSeqTaken() {
      return read(
        'the event log',
        async (db) =>
          ((await db.query('SELECT COALESCE(MAX(inbox_seq), 0) AS n FROM events')).rows[0]?.n as number) ?? 0,
      );
    },

    async lastLocalSeq(instance) {
      return read(
        'the inbox',
        async (db) =>
          ((
            await db.query('SELECT COALESCE(MAX(local_seq), 0) AS n FROM inbox WHERE instance = $1', [
              instance,
            ])
          ).rows[0]?.n as number) ?? 0,
      );
    },

    async locations() {
      return read('the inbox', async (db) =>
        (
          await db.query(
            `SELECT i.location, array_agg(DISTINCT i.instance) AS instances, COUNT(*) AS observations,
               MAX(i.observed_at_ms) AS last_observed_at_ms,
               (EXTRACT(EPOCH FROM (now() - MAX(i.stored_at))) * 1000)::float8 AS age_ms
             FROM inbox i WHERE i.location IS NOT NULL GROUP BY i.location ORDER BY i.location COLLATE "C"`,
          )
        ).rows.map(
          (row): LocationInfo => ({
            location: row.location as string,
            instances: (row.instances as string[]).sort(),
            observations: row.observations as number,
            lastObservedAtMs: row.last_observed_at_ms as number,
            lastStoredAgeMs: Math.round(row.age_ms as number),
          }),
        ),
      );
    },
  };
}
