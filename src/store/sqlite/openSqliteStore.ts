import type Database from 'better-sqlite3';
import type { Transition } from '../../breaker/levels.ts';
import {
  type AuditEntry,
  type EventRecord,
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
import { openSqliteDatabase, type SqliteFileParameters } from './openSqliteDatabase.ts';
import { sqliteMigrations } from './sqliteMigrations.ts';
import { toStoreError } from './toStoreError.ts';

/** Where and how to open the file `consensus-guard.sqlite`. */
export type OpenSqliteStoreParameters = SqliteFileParameters;

/** The file name of the store inside its data directory. */
export const SQLITE_FILE_NAME = 'consensus-guard.sqlite';

type Row = Record<string, unknown>;

/**
 * Opens (creating and migrating as needed) the embedded SQLite store: WAL journal, numbered
 * migrations in the `migrations` table, and an exclusive lock held while open, so that a second
 * process opening the same file gets a `store_locked` {@link StoreError} instead of a second
 * writer. The lock belongs to the process: the OS releases it when the process dies, even by
 * `kill -9`. Errors carry a code and the driver's error as `cause`.
 *
 * @example
 * const store = await openSqliteStore({ dataDir: './.data' });
 */
export async function openSqliteStore(parameters: OpenSqliteStoreParameters = {}): Promise<Store> {
  const db = openSqliteDatabase({
    dataDir: parameters.dataDir,
    path: parameters.path,
    fileName: SQLITE_FILE_NAME,
    synchronous: parameters.synchronous,
    migrations: parameters.migrations ?? sqliteMigrations,
    label: 'the store',
  });
  return createSqliteStore(db);
}

function createSqliteStore(db: Database.Database): Store {
  let closed = false;
  const id = readStoreId(db);
  const statements = {
    insertEvent: db.prepare('INSERT INTO events (type, at_ms, body) VALUES (?, ?, ?)'),
    insertSignal: db.prepare(
      'INSERT INTO signals (event_seq, chain, kind, severity, at_ms, body) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertAudit: db.prepare(
      'INSERT INTO audit (event_seq, action, breaker, level, actor, reason, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    findTransition: db
      .prepare('SELECT idempotency_key FROM transitions WHERE breaker = ? AND seq = ?')
      .pluck(),
    insertTransition: db.prepare(
      'INSERT OR IGNORE INTO transitions (idempotency_key, breaker, seq, from_level, to_level, mode, at_ms, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    insertOutbox: db.prepare(
      'INSERT OR IGNORE INTO outbox (sink, idempotency_key, breaker, breaker_seq, next_attempt_at_ms, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    readEvents: db.prepare('SELECT seq, type, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?').raw(),
    lastSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) FROM events').pluck(),
    headActions: db.prepare(`
      SELECT o.*, t.body AS transition_body FROM outbox o
      JOIN transitions t ON t.idempotency_key = o.idempotency_key
      WHERE o.id IN (
        SELECT (SELECT o2.id FROM outbox o2
                WHERE o2.sink = b.sink AND o2.status = 'pending' AND o2.breaker = b.breaker
                ORDER BY o2.breaker_seq, o2.id LIMIT 1)
        FROM (SELECT DISTINCT sink, breaker FROM outbox WHERE sink = ? AND status = 'pending') b
      )
      ORDER BY o.breaker, o.breaker_seq`),
    markDelivered: db.prepare(
      "UPDATE outbox SET status = 'delivered', delivered_at_ms = ? WHERE id = ? AND status = 'pending'",
    ),
    markFailed: db.prepare(
      'UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at_ms = ?, status = ? WHERE id = ?',
    ),
    countActions: db.prepare(
      'SELECT status, COUNT(*) AS n FROM outbox WHERE (? IS NULL OR sink = ?) GROUP BY status',
    ),
    countActionsBySink: db.prepare('SELECT sink, status, COUNT(*) AS n FROM outbox GROUP BY sink, status'),
    insertSnapshot: db.prepare(
      'INSERT OR REPLACE INTO snapshots (seq, format_version, config_hash, checksum, at_ms, bytes, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    pruneSnapshots: db.prepare(
      'DELETE FROM snapshots WHERE seq NOT IN (SELECT seq FROM snapshots ORDER BY seq DESC LIMIT ?)',
    ),
    listSnapshots: db.prepare(
      'SELECT seq, format_version, config_hash, checksum, at_ms, bytes FROM snapshots ORDER BY seq DESC',
    ),
    readSnapshot: db.prepare('SELECT * FROM snapshots WHERE seq = ?'),
    countEvents: db.prepare('SELECT COUNT(*) FROM events').pluck(),
  };

  const assertOpen = () => {
    if (closed) throw new StoreError('store_closed', 'the store is closed');
  };
  const write = <T>(what: string, fn: () => T): T => {
    assertOpen();
    try {
      return db.transaction(fn).immediate();
    } catch (cause) {
      if (cause instanceof StoreError) throw cause;
      throw toStoreError(cause, 'store_write_failed', `cannot ${what}`);
    }
  };
  const read = <T>(what: string, fn: () => T): T => {
    assertOpen();
    try {
      return fn();
    } catch (cause) {
      if (cause instanceof StoreError) throw cause;
      throw toStoreError(cause, 'store_read_failed', `cannot read ${what}`);
    }
  };

  const enqueue = (
    transitions: readonly Transition[],
    sinks: readonly string[],
    nowMs: number,
  ): { enqueued: number; conflicts: Transition[] } => {
    let enqueued = 0;
    const conflicts: Transition[] = [];
    for (const t of transitions) {
      const stored = statements.findTransition.all(t.breaker, t.seq) as string[];
      if (stored.length > 0 && !stored.includes(t.idempotencyKey)) {
        conflicts.push(t);
        continue;
      }
      statements.insertTransition.run(
        t.idempotencyKey,
        t.breaker,
        t.seq,
        t.from,
        t.to,
        t.mode,
        t.atMs,
        storeCodec.toTransitionBody(t),
      );
      for (const sink of sinks) {
        enqueued += statements.insertOutbox.run(
          sink,
          t.idempotencyKey,
          t.breaker,
          t.seq,
          nowMs,
          nowMs,
        ).changes;
      }
    }
    return { enqueued, conflicts };
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

    async appendEvents({ entries, sinks, nowMs, snapshot }) {
      return write('append events', () => {
        const seqs: number[] = [];
        for (const entry of entries) {
          const event: EventRecord = entry.event;
          const atMs = event.type === 'observation' ? event.observation.observedAtMs : event.command.atMs;
          const seq = Number(
            statements.insertEvent.run(event.type, atMs, storeCodec.toEventBody(event)).lastInsertRowid,
          );
          seqs.push(seq);
          if (event.type === 'command' && event.command.type !== 'condition') {
            const c = event.command;
            statements.insertAudit.run(
              seq,
              c.type,
              c.breaker,
              c.type === 'override' ? c.level : null,
              c.actor,
              c.reason,
              c.atMs,
            );
          }
          for (const s of entry.signals) {
            statements.insertSignal.run(seq, s.chain, s.kind, s.severity, s.atMs, storeCodec.toSignalBody(s));
          }
          if (entry.transitions.length > 0) enqueue(entry.transitions, sinks, nowMs);
        }
        if (snapshot) {
          const seq = seqs.at(-1) ?? (statements.lastSeq.get() as number);
          statements.insertSnapshot.run(
            seq,
            snapshot.formatVersion,
            snapshot.configHash,
            snapshot.checksum,
            snapshot.atMs,
            snapshot.body.byteLength,
            Buffer.from(snapshot.body.buffer, snapshot.body.byteOffset, snapshot.body.byteLength),
          );
          statements.pruneSnapshots.run(SNAPSHOTS_KEPT);
        }
        return seqs;
      });
    },

    async *readEvents(options = {}) {
      const batchSize = options.batchSize ?? 10_000;
      let after = options.afterSeq ?? 0;
      while (true) {
        const rows = read('the event log', () => statements.readEvents.all(after, batchSize)) as Array<
          [number, string, string]
        >;
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
      return read('the event log', () => statements.lastSeq.get() as number);
    },

    async countEvents() {
      return read('the event log', () => statements.countEvents.get() as number);
    },

    async listSnapshots() {
      return read('snapshots', () => (statements.listSnapshots.all() as Row[]).map(toSnapshotInfo));
    },

    async readSnapshot(seq) {
      return read('a snapshot', () => {
        const row = statements.readSnapshot.get(seq) as Row | undefined;
        if (row === undefined) return undefined;
        const body = row.body as Buffer;
        return {
          ...toSnapshotInfo(row),
          body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
        };
      });
    },

    async enqueueTransitions({ transitions, sinks, nowMs }) {
      return write('enqueue transitions', () => enqueue(transitions, sinks, nowMs));
    },

    async headActions(sink) {
      return read('the outbox', () => (statements.headActions.all(sink) as Row[]).map(toAction));
    },

    async markDelivered(id, atMs) {
      write('mark an action delivered', () => statements.markDelivered.run(atMs, id));
    },

    async markAttemptFailed(id, failure) {
      write('record a failed attempt', () =>
        statements.markFailed.run(
          failure.error.slice(0, 2000),
          failure.nextAttemptAtMs,
          failure.final === true ? 'failed' : 'pending',
          id,
        ),
      );
    },

    async listActions(options = {}) {
      return read('the outbox', () => {
        const where: string[] = [];
        const args: unknown[] = [];
        if (options.sink !== undefined) {
          where.push('o.sink = ?');
          args.push(options.sink);
        }
        if (options.status !== undefined) {
          where.push('o.status = ?');
          args.push(options.status);
        }
        const sql = `SELECT o.*, t.body AS transition_body FROM outbox o
          JOIN transitions t ON t.idempotency_key = o.idempotency_key
          ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.id LIMIT ?`;
        return (db.prepare(sql).all(...args, options.limit ?? -1) as Row[]).map(toAction);
      });
    },

    async countActions(sink) {
      return read('the outbox', () => {
        const counts: OutboxCounts = { pending: 0, delivered: 0, failed: 0 };
        const rows = statements.countActions.all(sink ?? null, sink ?? null) as Array<{
          status: OutboxStatus;
          n: number;
        }>;
        for (const row of rows) counts[row.status] = row.n;
        return counts;
      });
    },

    async countActionsBySink() {
      return read('the outbox', () => {
        const out: Record<string, OutboxCounts> = {};
        const rows = statements.countActionsBySink.all() as Array<{
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
      return read('transitions', () => {
        const rows = db
          .prepare(
            `SELECT * FROM (SELECT rowid AS r, idempotency_key, body FROM transitions
             WHERE (? IS NULL OR breaker = ?) ORDER BY rowid DESC LIMIT ?) ORDER BY r`,
          )
          .all(options.breaker ?? null, options.breaker ?? null, options.limit ?? -1) as Array<{
          idempotency_key: string;
          body: string;
        }>;
        return rows.map((row) => storeCodec.toTransition(row.body, row.idempotency_key));
      });
    },

    async listSignals(options = {}) {
      return read('signals', () => {
        const rows = db
          .prepare(
            'SELECT * FROM (SELECT id, event_seq, body FROM signals ORDER BY id DESC LIMIT ?) ORDER BY id',
          )
          .all(options.limit ?? -1) as Array<{ id: number; event_seq: number; body: string }>;
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
      return read('the audit log', () => {
        const rows = db
          .prepare(
            `SELECT * FROM (SELECT * FROM audit WHERE (? IS NULL OR breaker = ?) ORDER BY id DESC LIMIT ?) ORDER BY id`,
          )
          .all(options.breaker ?? null, options.breaker ?? null, options.limit ?? -1) as Row[];
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
      return read('migrations', () =>
        (
          db.prepare('SELECT version, name, applied_at_ms FROM migrations ORDER BY version').all() as Array<{
            version: number;
            name: string;
            applied_at_ms: number;
          }>
        ).map((row) => ({ version: row.version, name: row.name, appliedAtMs: row.applied_at_ms })),
      );
    },

    async close() {
      if (closed) return;
      closed = true;
      try {
        db.close();
      } catch (cause) {
        throw toStoreError(cause, 'store_write_failed', 'cannot close the store');
      }
    },
  };
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

function readStoreId(db: Database.Database): string {
  let id: unknown;
  try {
    id = db.prepare("SELECT value FROM meta WHERE key = 'store_id'").pluck().get();
  } catch (cause) {
    db.close();
    throw toStoreError(cause, 'store_read_failed', 'cannot read the store id');
  }
  if (typeof id !== 'string' || id === '') {
    db.close();
    throw new StoreError('store_corrupt', 'the store has no id', {
      details: 'the meta table has no store_id: the file is damaged',
    });
  }
  return id;
}
