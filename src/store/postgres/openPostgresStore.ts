import pg from 'pg';
import type { Transition } from '../../breaker/levels.ts';
import { toRedactedUrl } from '../../config/toRedactedUrl.ts';
import type { Fence } from '../clusterStore.ts';
import type { Migration } from '../sqlite/sqliteMigrations.ts';
import {
  type AuditEntry,
  type EventEntry,
  type OutboxAction,
  type OutboxCounts,
  type OutboxStatus,
  SNAPSHOTS_KEPT,
  type SnapshotInfo,
  type Store,
  type StoredEvent,
  type StoredSignal,
} from '../store.ts';
import { storeCodec } from '../storeCodec.ts';
import { StoreError } from '../storeError.ts';
import { createPostgresCluster } from './createPostgresCluster.ts';
import { postgresMigrations } from './postgresMigrations.ts';
import { toPostgresStoreError, toStoreErrorCode } from './toPostgresStoreError.ts';

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

type Row = Record<string, unknown>;
type Queryable = Pick<pg.PoolClient, 'query'>;

/** The advisory lock key of a consensus-guard store (one per database). */
const LOCK_KEY = 0x63677374; // 'cgst'
/** The advisory lock cluster members migrate under. */
const MIGRATION_LOCK_KEY = 0x63676d67; // 'cgmg'

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
  const where = toHostPort(parameters.url);
  const config: pg.PoolConfig = {
    ...toConnectionConfig(parameters.url),
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
    for (const client of clients) destroySocket(client);
  };
  // A connection that breaks while idle (or checked out) reports an 'error' event: without a
  // listener it would end the process. The query on it fails and says so; nothing else to do.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));

  const readOnly = parameters.readOnly === true;
  const clustered = parameters.instance !== undefined;
  const lock = createLockHolder(config, parameters.lockTimeoutMs ?? 0, displayUrl, clustered);
  try {
    if (!readOnly) await lock.acquire();
  } catch (error) {
    await abandon();
    throw toOpenError(error, displayUrl, where);
  }
  let id: string;
  let knownLastSeq: number;
  try {
    if (!readOnly) await migrate(pool, parameters.migrations ?? postgresMigrations, displayUrl, clustered);
    const meta = await pool.query("SELECT value FROM meta WHERE key = 'store_id'");
    id = meta.rows[0]?.value as string;
    if (typeof id !== 'string' || id === '') {
      throw new StoreError('store_corrupt', `the store at ${displayUrl} has no id`, {
        details: 'the meta table has no store_id',
      });
    }
    knownLastSeq = (await pool.query('SELECT last_seq FROM log_head')).rows[0]?.last_seq as number;
  } catch (error) {
    await lock.release();
    await abandon();
    throw toOpenError(error, displayUrl, where);
  }

  let closed = false;
  const assertOpen = () => {
    if (closed) throw new StoreError('store_closed', 'the store is closed');
  };
  const read = async <T>(what: string, fn: (db: Queryable) => Promise<T>): Promise<T> => {
    assertOpen();
    try {
      return await fn(pool);
    } catch (cause) {
      throw toPostgresStoreError(cause, 'store_read_failed', `cannot read ${what} (${displayUrl})`);
    }
  };
  // The leader's claim, in cluster mode: every write transaction checks it first.
  let fence: Fence | undefined;
  const transaction = async <T>(
    what: string,
    fn: (client: pg.PoolClient) => Promise<T>,
    fenced = clustered,
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
      if (fenced) await cluster.checkFence(client, fence);
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

  const cluster = createPostgresCluster({
    read,
    transaction: (what, fn) => transaction(what, fn, false),
    onFence(next, lastSeq) {
      fence = next;
      if (lastSeq !== undefined) knownLastSeq = lastSeq;
    },
  });
  const { checkFence: _checkFence, ...clusterStore } = cluster;

  const enqueue = async (
    db: Queryable,
    transitions: readonly Transition[],
    sinks: readonly string[],
    nowMs: number,
  ): Promise<{ enqueued: number; conflicts: Transition[] }> => {
    let enqueued = 0;
    const conflicts: Transition[] = [];
    for (const t of transitions) {
      const stored = await db.query(
        'SELECT idempotency_key FROM transitions WHERE breaker = $1 AND seq = $2',
        [t.breaker, t.seq],
      );
      const keys = stored.rows.map((r) => r.idempotency_key as string);
      if (keys.length > 0 && !keys.includes(t.idempotencyKey)) {
        conflicts.push(t);
        continue;
      }
      await db.query(
        `INSERT INTO transitions (idempotency_key, breaker, seq, from_level, to_level, mode, at_ms, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (idempotency_key) DO NOTHING`,
        [t.idempotencyKey, t.breaker, t.seq, t.from, t.to, t.mode, t.atMs, storeCodec.toTransitionBody(t)],
      );
      if (sinks.length > 0) {
        const result = await db.query(
          `INSERT INTO outbox (sink, idempotency_key, breaker, breaker_seq, next_attempt_at_ms, created_at_ms)
           SELECT sink, $2, $3, $4, $5, $5 FROM unnest($1::text[]) AS sink
           ON CONFLICT (sink, idempotency_key) DO NOTHING`,
          [sinks, t.idempotencyKey, t.breaker, t.seq, nowMs],
        );
        enqueued += result.rowCount ?? 0;
      }
    }
    return { enqueued, conflicts };
  };

  /** Inserts `entries` as events `firstSeq`.., with their signals, audit rows and transitions. */
  const insertEntries = async (
    client: pg.PoolClient,
    entries: readonly EventEntry[],
    firstSeq: number,
    sinks: readonly string[],
    nowMs: number,
  ) => {
    const seqs: number[] = [];
    const eventTypes: string[] = [];
    const atMs: number[] = [];
    const bodies: string[] = [];
    const inboxSeqs: Array<number | null> = [];
    const signals = {
      seq: [] as number[],
      chain: [] as string[],
      kind: [] as string[],
      severity: [] as string[],
      atMs: [] as number[],
      body: [] as string[],
    };
    const transitions: Transition[] = [];
    const audits: unknown[][] = [];
    entries.forEach((entry, i) => {
      const seq = firstSeq + i;
      const event = entry.event;
      seqs.push(seq);
      eventTypes.push(event.type);
      atMs.push(event.type === 'observation' ? event.observation.observedAtMs : event.command.atMs);
      bodies.push(storeCodec.toEventBody(event));
      inboxSeqs.push(entry.inboxSeq ?? null);
      if (event.type === 'command' && event.command.type !== 'condition') {
        const c = event.command;
        audits.push([
          seq,
          c.type,
          c.breaker,
          c.type === 'override' ? c.level : null,
          c.actor,
          c.reason,
          c.atMs,
        ]);
      }
      for (const s of entry.signals) {
        signals.seq.push(seq);
        signals.chain.push(s.chain);
        signals.kind.push(s.kind);
        signals.severity.push(s.severity);
        signals.atMs.push(s.atMs);
        signals.body.push(storeCodec.toSignalBody(s));
      }
      transitions.push(...entry.transitions);
    });
    await client.query(
      inboxSeqs.some((x) => x !== null)
        ? 'INSERT INTO events (seq, type, at_ms, body, inbox_seq) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::bigint[])'
        : 'INSERT INTO events (seq, type, at_ms, body) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[])',
      inboxSeqs.some((x) => x !== null)
        ? [seqs, eventTypes, atMs, bodies, inboxSeqs]
        : [seqs, eventTypes, atMs, bodies],
    );
    if (signals.seq.length > 0) {
      await client.query(
        `INSERT INTO signals (event_seq, chain, kind, severity, at_ms, body)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])`,
        [signals.seq, signals.chain, signals.kind, signals.severity, signals.atMs, signals.body],
      );
    }
    for (const audit of audits) {
      await client.query(
        'INSERT INTO audit (event_seq, action, breaker, level, actor, reason, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        audit,
      );
    }
    if (transitions.length > 0) await enqueue(client, transitions, sinks, nowMs);
  };

  const toAction = (row: Row): OutboxAction => {
    const action: OutboxAction = {
      id: row.id as number,
      sink: row.sink as string,
      status: row.status as OutboxStatus,
      attempts: row.attempts as number,
      nextAttemptAtMs: row.next_attempt_at_ms as number,
      transition: storeCodec.toTransition(row.transition_body as string, row.idempotency_key as string),
    };
    if (row.last_error !== null) action.lastError = row.last_error as string;
    if (row.delivered_at_ms !== null) action.deliveredAtMs = row.delivered_at_ms as number;
    return action;
  };

  return {
    id,
    cluster: clusterStore,

    async appendEvents({ entries, sinks, nowMs, snapshot }) {
      if (readOnly)
        throw new StoreError('store_write_failed', `the store at ${displayUrl} is open read only`);
      if (!closed && !lock.held()) {
        throw new StoreError('store_unreachable', `cannot append events (${displayUrl})`, {
          details: 'the connection that holds the store lock broke; it is being taken again',
        });
      }
      const { seqs, lastSeq } = await transaction('append events', async (client) => {
        const current = (await client.query('SELECT last_seq FROM log_head FOR UPDATE')).rows[0]
          ?.last_seq as number;
        let done = 0;
        if (current !== knownLastSeq) {
          // An earlier attempt committed without hearing so, or someone else wrote: find out which.
          done = await committedPrefix(client, entries, knownLastSeq, current);
        }
        const rest = entries.slice(done);
        const firstSeq = knownLastSeq + done + 1;
        if (rest.length > 0) await insertEntries(client, rest, firstSeq, sinks, nowMs);
        const last = knownLastSeq + entries.length;
        if (last !== current) await client.query('UPDATE log_head SET last_seq = $1', [last]);
        if (snapshot) {
          await client.query(
            `INSERT INTO snapshots (seq, format_version, config_hash, checksum, at_ms, bytes, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (seq) DO UPDATE SET format_version = $2, config_hash = $3, checksum = $4, at_ms = $5, bytes = $6, body = $7`,
            [
              last,
              snapshot.formatVersion,
              snapshot.configHash,
              snapshot.checksum,
              snapshot.atMs,
              snapshot.body.byteLength,
              Buffer.from(snapshot.body.buffer, snapshot.body.byteOffset, snapshot.body.byteLength),
            ],
          );
          await client.query(
            'DELETE FROM snapshots WHERE seq NOT IN (SELECT seq FROM snapshots ORDER BY seq DESC LIMIT $1)',
            [SNAPSHOTS_KEPT],
          );
        }
        return { seqs: entries.map((_, i) => knownLastSeq + i + 1), lastSeq: last };
      });
      knownLastSeq = lastSeq;
      return seqs;
    },

    async *readEvents(options = {}) {
      const batchSize = options.batchSize ?? 10_000;
      let after = options.afterSeq ?? 0;
      while (true) {
        const rows = await read(
          'the event log',
          async (db) =>
            (
              await db.query({
                text: 'SELECT seq, type, body FROM events WHERE seq > $1 ORDER BY seq LIMIT $2',
                values: [after, batchSize],
                rowMode: 'array',
              })
            ).rows as Array<[number, string, string]>,
        );
        if (rows.length === 0) return;
        const batch: StoredEvent[] = new Array(rows.length);
        for (let i = 0; i < rows.length; i += 1) {
          const [seq, type, body] = rows[i]!;
          batch[i] = { seq, ...storeCodec.toEvent(type, body, seq) };
        }
        after = rows[rows.length - 1]![0];
        yield batch;
        if (rows.length < batchSize) return;
      }
    },

    async lastSeq() {
      return read(
        'the event log',
        async (db) => (await db.query('SELECT last_seq FROM log_head')).rows[0]?.last_seq as number,
      );
    },

    async countEvents() {
      return read(
        'the event log',
        async (db) => (await db.query('SELECT COUNT(*) AS n FROM events')).rows[0]?.n as number,
      );
    },

    async listSnapshots() {
      return read('snapshots', async (db) =>
        (
          await db.query(
            'SELECT seq, format_version, config_hash, checksum, at_ms, bytes FROM snapshots ORDER BY seq DESC',
          )
        ).rows.map(toSnapshotInfo),
      );
    },

    async readSnapshot(seq) {
      return read('a snapshot', async (db) => {
        const row = (await db.query('SELECT * FROM snapshots WHERE seq = $1', [seq])).rows[0] as
          | Row
          | undefined;
        if (row === undefined) return undefined;
        const body = row.body as Buffer;
        return {
          ...toSnapshotInfo(row),
          body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
        };
      });
    },

    async enqueueTransitions({ transitions, sinks, nowMs }) {
      return transaction('enqueue transitions', (client) => enqueue(client, transitions, sinks, nowMs));
    },

    async headActions(sink) {
      return read('the outbox', async (db) =>
        (
          await db.query(
            `SELECT * FROM (
               SELECT DISTINCT ON (o.breaker) o.*, t.body AS transition_body FROM outbox o
               JOIN transitions t ON t.idempotency_key = o.idempotency_key
               WHERE o.sink = $1 AND o.status = 'pending'
               ORDER BY o.breaker, o.breaker_seq, o.id
             ) heads ORDER BY breaker COLLATE "C", breaker_seq`,
            [sink],
          )
        ).rows.map(toAction),
      );
    },

    async markDelivered(actionId, atMs) {
      await transaction('mark an action delivered', (client) =>
        client.query(
          "UPDATE outbox SET status = 'delivered', delivered_at_ms = $1 WHERE id = $2 AND status = 'pending'",
          [atMs, actionId],
        ),
      );
    },

    async markAttemptFailed(actionId, failure) {
      await transaction('record a failed attempt', (client) =>
        client.query(
          'UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at_ms = $2, status = $3 WHERE id = $4',
          [
            failure.error.slice(0, 2000),
            failure.nextAttemptAtMs,
            failure.final === true ? 'failed' : 'pending',
            actionId,
          ],
        ),
      );
    },

    async listActions(options = {}) {
      return read('the outbox', async (db) => {
        const where: string[] = [];
        const args: unknown[] = [];
        if (options.sink !== undefined) {
          args.push(options.sink);
          where.push(`o.sink = $${args.length}`);
        }
        if (options.status !== undefined) {
          args.push(options.status);
          where.push(`o.status = $${args.length}`);
        }
        args.push(options.limit ?? null);
        const sql = `SELECT o.*, t.body AS transition_body FROM outbox o
          JOIN transitions t ON t.idempotency_key = o.idempotency_key
          ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.id LIMIT $${args.length}`;
        return (await db.query(sql, args)).rows.map(toAction);
      });
    },

    async countActions(sink) {
      return read('the outbox', async (db) => {
        const counts: OutboxCounts = { pending: 0, delivered: 0, failed: 0 };
        const rows = (
          await db.query(
            'SELECT status, COUNT(*) AS n FROM outbox WHERE ($1::text IS NULL OR sink = $1) GROUP BY status',
            [sink ?? null],
          )
        ).rows as Array<{ status: OutboxStatus; n: number }>;
        for (const row of rows) counts[row.status] = row.n;
        return counts;
      });
    },

    async countActionsBySink() {
      return read('the outbox', async (db) => {
        const out: Record<string, OutboxCounts> = {};
        const rows = (await db.query('SELECT sink, status, COUNT(*) AS n FROM outbox GROUP BY sink, status'))
          .rows as Array<{
          sink: string;
          status: OutboxStatus;
          n: number;
        }>;
        for (const row of rows) {
          out[row.sink] ??= { pending: 0, delivered: 0, failed: 0 };
          out[row.sink]![row.status] = row.n;
        }
        return out;
      });
    },

    async listTransitions(options = {}) {
      return read('transitions', async (db) => {
        const rows = (
          await db.query(
            `SELECT * FROM (SELECT position, idempotency_key, body FROM transitions
             WHERE ($1::text IS NULL OR breaker = $1) ORDER BY position DESC LIMIT $2) newest ORDER BY position`,
            [options.breaker ?? null, options.limit ?? null],
          )
        ).rows as Array<{ idempotency_key: string; body: string }>;
        return rows.map((row) => storeCodec.toTransition(row.body, row.idempotency_key));
      });
    },

    async listSignals(options = {}) {
      return read('signals', async (db) => {
        const rows = (
          await db.query(
            'SELECT * FROM (SELECT id, event_seq, body FROM signals ORDER BY id DESC LIMIT $1) newest ORDER BY id',
            [options.limit ?? null],
          )
        ).rows as Array<{ id: number; event_seq: number; body: string }>;
        return rows.map(
          (row): StoredSignal => ({
            id: row.id,
            eventSeq: row.event_seq,
            signal: storeCodec.toSignal(row.body, row.id),
          }),
        );
      });
    },

    async listAudit(options = {}) {
      return read('the audit log', async (db) => {
        const rows = (
          await db.query(
            `SELECT * FROM (SELECT * FROM audit WHERE ($1::text IS NULL OR breaker = $1) ORDER BY id DESC LIMIT $2) newest ORDER BY id`,
            [options.breaker ?? null, options.limit ?? null],
          )
        ).rows as Row[];
        return rows.map((row) => {
          const entry: AuditEntry = {
            id: row.id as number,
            eventSeq: row.event_seq as number,
            action: row.action as AuditEntry['action'],
            breaker: row.breaker as string,
            actor: row.actor as string,
            reason: row.reason as string,
            atMs: row.at_ms as number,
          };
          if (row.level !== null) entry.level = row.level as NonNullable<AuditEntry['level']>;
          return entry;
        });
      });
    },

    async migrations() {
      return read('migrations', async (db) =>
        (await db.query('SELECT version, name, applied_at_ms FROM migrations ORDER BY version')).rows.map(
          (row) => ({
            version: row.version as number,
            name: row.name as string,
            appliedAtMs: row.applied_at_ms as number,
          }),
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

/** How many of `entries` are stored already after `knownLastSeq` (an append that committed without
 * its client hearing so); throws when the log holds other events there. */
async function committedPrefix(
  client: pg.PoolClient,
  entries: readonly EventEntry[],
  knownLastSeq: number,
  current: number,
): Promise<number> {
  const stored = current - knownLastSeq;
  if (stored < 0 || stored > entries.length) {
    throw new StoreError('store_write_failed', 'the event log changed under this guard', {
      details: `expected the last seq ${knownLastSeq}, found ${current}: another process writes to this store`,
    });
  }
  const rows = (
    await client.query('SELECT type, body FROM events WHERE seq > $1 AND seq <= $2 ORDER BY seq', [
      knownLastSeq,
      current,
    ])
  ).rows as Array<{ type: string; body: string }>;
  rows.forEach((row, i) => {
    const event = entries[i]!.event;
    if (row.type !== event.type || row.body !== storeCodec.toEventBody(event)) {
      throw new StoreError('store_write_failed', 'the event log changed under this guard', {
        details: `event ${knownLastSeq + i + 1} is not the one this guard appended: another process writes to this store`,
      });
    }
  });
  return stored;
}

async function migrate(
  pool: pg.Pool,
  migrations: readonly Migration[],
  displayUrl: string,
  clustered: boolean,
): Promise<void> {
  if (!clustered) return migrateLocked(pool, migrations, displayUrl);
  // Cluster members start together: one migrates at a time, under a lock of its own.
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrateLocked(pool, migrations, displayUrl);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}

async function migrateLocked(
  pool: pg.Pool,
  migrations: readonly Migration[],
  displayUrl: string,
): Promise<void> {
  await pool.query(
    'CREATE TABLE IF NOT EXISTS migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at_ms bigint NOT NULL)',
  );
  const current =
    ((await pool.query('SELECT COALESCE(MAX(version), 0) AS v FROM migrations')).rows[0]?.v as number) ?? 0;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new StoreError('store_schema_newer', `the store at ${displayUrl} is at schema version ${current}`, {
      details: `this program knows versions up to ${latest}: upgrade consensus-guard`,
    });
  }
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= current) continue;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(migration.sql);
      await client.query('INSERT INTO migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        Date.now(),
      ]);
      await client.query('COMMIT');
    } catch (cause) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw toPostgresStoreError(cause, 'store_migration_failed', `migration ${migration.version} failed`);
    } finally {
      client.release();
    }
  }
}

type LockHolder = {
  acquire(): Promise<void>;
  held(): boolean;
  release(): Promise<void>;
};

/**
 * The store's advisory lock on a connection of its own. When that connection breaks, it is taken
 * again in the background (every 500 ms) until it is held or the store is closed.
 */
function createLockHolder(
  config: pg.PoolConfig,
  timeoutMs: number,
  displayUrl: string,
  shared: boolean,
): LockHolder {
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
      destroySocket(next);
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

/** An error at open as a one-line StoreError that names the server and what to check. */
function toOpenError(error: unknown, displayUrl: string, where: string): StoreError {
  const wrapped = toPostgresStoreError(error, 'store_open_failed', `cannot open the store at ${displayUrl}`);
  if (error instanceof StoreError) return error;
  const hint =
    wrapped.code === 'store_unreachable'
      ? `check that PostgreSQL runs and accepts TCP connections at ${where}, and the host and port in the URL`
      : wrapped.code === 'store_auth_failed'
        ? 'check the user, and the password (in the URL or PGPASSWORD)'
        : (error as { code?: unknown }).code === '3D000'
          ? 'check the database name in the URL, or create the database (createdb)'
          : undefined;
  const short =
    wrapped.code === 'store_unreachable'
      ? `cannot reach PostgreSQL at ${where} (${displayUrl})`
      : wrapped.code === 'store_auth_failed'
        ? `PostgreSQL at ${where} refused the login (${displayUrl})`
        : `cannot open the store at ${displayUrl}`;
  return new StoreError(wrapped.code, short, {
    details: hint === undefined ? wrapped.details : `${wrapped.details}: ${hint}`,
    cause: error,
  });
}

/**
 * The connection fields of a postgres:// URL. The password is the URL's, else `PGPASSWORD`, else
 * empty: a server that asks for one then refuses the login cleanly (without any, `pg` fails before
 * answering and leaves the connection open until the server's authentication timeout). A URL with
 * query parameters (`sslmode`, ...) is passed to `pg` as it is.
 */
function toConnectionConfig(url: string): pg.ClientConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { connectionString: url };
  }
  if (parsed.search !== '') return { connectionString: url };
  const config: pg.ClientConfig = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || process.env.PGHOST || 'localhost',
    port: Number(parsed.port || process.env.PGPORT || 5432),
  };
  const password = decodeURIComponent(parsed.password) || process.env.PGPASSWORD || '';
  // A function: `pg` would replace an empty string with undefined.
  config.password = () => password;
  const user = decodeURIComponent(parsed.username) || process.env.PGUSER;
  if (user) config.user = user;
  const database = decodeURIComponent(parsed.pathname.slice(1)) || process.env.PGDATABASE;
  if (database) config.database = database;
  return config;
}

/** Closes a client's socket whatever state its protocol is in (`end()` leaves it open after a
 * failure during authentication). Reaches into `pg`'s connection: there is no public way. */
function destroySocket(client: pg.Client): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/** `host:port` of a postgres:// URL, with the defaults `pg` applies (PGHOST, PGPORT, localhost, 5432). */
export function toHostPort(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname || process.env.PGHOST || 'localhost';
    const port = parsed.port || process.env.PGPORT || '5432';
    return `${host}:${port}`;
  } catch {
    return 'the host in the URL';
  }
}

function toSnapshotInfo(row: Row): SnapshotInfo {
  return {
    seq: row.seq as number,
    formatVersion: row.format_version as number,
    configHash: row.config_hash as string,
    checksum: row.checksum as string,
    atMs: row.at_ms as number,
    bytes: row.bytes as number,
  };
}
