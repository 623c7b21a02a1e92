import type Database from 'better-sqlite3';
import type { Transition } from '../../breaker/levels.ts';
import { readEventBatches } from '../readEventBatches.ts';
import { SNAPSHOTS_KEPT, type Store } from '../store.ts';
import { storeCodec } from '../storeCodec.ts';
import { StoreError } from '../storeError.ts';
import { type OutboxCountRow, type StoreRow, storeRows } from '../storeRows.ts';
import { closeSqliteDatabase } from './closeSqliteDatabase.ts';
import { openSqliteDatabase, type SqliteFileParameters } from './openSqliteDatabase.ts';
import { sqliteMigrations } from './sqliteMigrations.ts';
import { toStoreError } from './toStoreError.ts';

/** Where and how to open the file `consensus-guard.sqlite`. */
export type OpenSqliteStoreParameters = SqliteFileParameters;

/** The file name of the store inside its data directory. */
export const SQLITE_FILE_NAME = 'consensus-guard.sqlite';

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
  const db = await openSqliteDatabase({
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

  return {
    id,

    async appendEvents({ entries, sinks, nowMs, snapshot }) {
      return write('append events', () => {
        const seqs: number[] = [];
        for (const entry of entries) {
          const event = entry.event;
          const atMs = storeRows.toEventAtMs(event);
          const seq = Number(
            statements.insertEvent.run(event.type, atMs, storeCodec.toEventBody(event)).lastInsertRowid,
          );
          seqs.push(seq);
          const audit = storeRows.toAuditValues(seq, event);
          if (audit !== undefined) statements.insertAudit.run(...audit);
          for (const s of entry.signals) {
            statements.insertSignal.run(seq, s.chain, s.kind, s.severity, s.atMs, storeCodec.toSignalBody(s));
          }
          if (entry.transitions.length > 0) enqueue(entry.transitions, sinks, nowMs);
        }
        if (snapshot) {
          const seq = seqs.at(-1) ?? (statements.lastSeq.get() as number);
          statements.insertSnapshot.run(...storeRows.toSnapshotValues(seq, snapshot));
          statements.pruneSnapshots.run(SNAPSHOTS_KEPT);
        }
        return seqs;
      });
    },

    readEvents(options = {}) {
      return readEventBatches({
        ...options,
        readBatch: async (afterSeq, limit) =>
          storeRows.toStoredEvents(
            read('the event log', () => statements.readEvents.all(afterSeq, limit)) as Array<
              [number, string, string]
            >,
          ),
      });
    },

    async lastSeq() {
      return read('the event log', () => statements.lastSeq.get() as number);
    },

    async countEvents() {
      return read('the event log', () => statements.countEvents.get() as number);
    },

    async listSnapshots() {
      return read('snapshots', () =>
        (statements.listSnapshots.all() as StoreRow[]).map(storeRows.toSnapshotInfo),
      );
    },

    async readSnapshot(seq) {
      return read('a snapshot', () => {
        const row = statements.readSnapshot.get(seq) as StoreRow | undefined;
        return row === undefined ? undefined : storeRows.toStoredSnapshot(row);
      });
    },

    async enqueueTransitions({ transitions, sinks, nowMs }) {
      return write('enqueue transitions', () => enqueue(transitions, sinks, nowMs));
    },

    async headActions(sink) {
      return read('the outbox', () =>
        (statements.headActions.all(sink) as StoreRow[]).map(storeRows.toOutboxAction),
      );
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
        return (db.prepare(sql).all(...args, options.limit ?? -1) as StoreRow[]).map(
          storeRows.toOutboxAction,
        );
      });
    },

    async countActions(sink) {
      return read('the outbox', () =>
        storeRows.toOutboxCounts(statements.countActions.all(sink ?? null, sink ?? null) as OutboxCountRow[]),
      );
    },

    async countActionsBySink() {
      return read('the outbox', () =>
        storeRows.toOutboxCountsBySink(statements.countActionsBySink.all() as OutboxCountRow[]),
      );
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
        return rows.map(storeRows.toStoredSignal);
      });
    },

    async listAudit(options = {}) {
      return read('the audit log', () => {
        const rows = db
          .prepare(
            `SELECT * FROM (SELECT * FROM audit WHERE (? IS NULL OR breaker = ?) ORDER BY id DESC LIMIT ?) ORDER BY id`,
          )
          .all(options.breaker ?? null, options.breaker ?? null, options.limit ?? -1) as StoreRow[];
        return rows.map(storeRows.toAuditEntry);
      });
    },

    async migrations() {
      return read('migrations', () =>
        (
          db
            .prepare('SELECT version, name, applied_at_ms FROM migrations ORDER BY version')
            .all() as StoreRow[]
        ).map(storeRows.toMigrationInfo),
      );
    },

    async close() {
      if (closed) return;
      closed = true;
      closeSqliteDatabase(db, 'the store');
    },
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
