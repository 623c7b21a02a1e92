import { randomUUID } from 'node:crypto';
import type { Transition } from '../../breaker/levels.ts';
import { readEventBatches } from '../readEventBatches.ts';
import {
  type AuditEntry,
  type OutboxAction,
  type OutboxCounts,
  SNAPSHOTS_KEPT,
  type Store,
  type StoredSignal,
  type StoredSnapshot,
} from '../store.ts';
import { storeCodec } from '../storeCodec.ts';
import { StoreError } from '../storeError.ts';
import { storeRows } from '../storeRows.ts';

/** The contents of an in-memory store; it outlives a `close()` so that the store can be opened
 * again in the same process (tests), like a file. */
export type MemoryDatabase = {
  readonly id: string;
  open: boolean;
  events: Array<{ seq: number; type: string; body: string }>;
  lastSeq: number;
  signals: Array<{ id: number; eventSeq: number; body: string }>;
  transitions: Array<{ key: string; breaker: string; seq: number; body: string }>;
  outbox: Array<Omit<OutboxAction, 'transition'> & { key: string; breaker: string; breakerSeq: number }>;
  audit: AuditEntry[];
  snapshots: StoredSnapshot[];
  nextId: number;
  createdAtMs: number;
};

export type OpenMemoryStoreParameters = {
  /** The database to open; default a new, empty one. */
  database?: MemoryDatabase;
  /** Keep at most this many of the newest events and signals (a guard that runs for ever without a
   * database: `watch`); default all of them. Delivered outbox rows go as well. */
  retainEvents?: number;
};

/** A new, empty in-memory database with a random id. */
export function createMemoryDatabase(): MemoryDatabase {
  return {
    id: randomUUID(),
    open: false,
    events: [],
    lastSeq: 0,
    signals: [],
    transitions: [],
    outbox: [],
    audit: [],
    snapshots: [],
    nextId: 1,
    createdAtMs: Date.now(),
  };
}

/**
 * A {@link Store} in the process's memory: what `watch` runs on, and a store for tests. It keeps the
 * same bodies as the other adapters (through `storeCodec`), so what it returns is what SQLite or
 * PostgreSQL would return. Nothing survives the process. One open store per database: a second
 * `openMemoryStore` of an open database gets `store_locked`.
 *
 * @example
 * const store = await openMemoryStore();
 */
export async function openMemoryStore(parameters: OpenMemoryStoreParameters = {}): Promise<Store> {
  const db = parameters.database ?? createMemoryDatabase();
  if (db.open) throw new StoreError('store_locked', 'the in-memory store is open already');
  db.open = true;
  const migrations = [{ version: 1, name: 'in memory: no schema', appliedAtMs: db.createdAtMs }];
  const retain = parameters.retainEvents;
  let closed = false;
  const assertOpen = () => {
    if (closed) throw new StoreError('store_closed', 'the store is closed');
  };
  const nextId = () => {
    const id = db.nextId;
    db.nextId += 1;
    return id;
  };

  const enqueue = (transitions: readonly Transition[], sinks: readonly string[], nowMs: number) => {
    let enqueued = 0;
    const conflicts: Transition[] = [];
    for (const t of transitions) {
      const same = db.transitions.filter((row) => row.breaker === t.breaker && row.seq === t.seq);
      if (same.length > 0 && !same.some((row) => row.key === t.idempotencyKey)) {
        conflicts.push(t);
        continue;
      }
      if (!db.transitions.some((row) => row.key === t.idempotencyKey)) {
        db.transitions.push({
          key: t.idempotencyKey,
          breaker: t.breaker,
          seq: t.seq,
          body: storeCodec.toTransitionBody(t),
        });
      }
      for (const sink of sinks) {
        if (db.outbox.some((row) => row.sink === sink && row.key === t.idempotencyKey)) continue;
        db.outbox.push({
          id: nextId(),
          sink,
          key: t.idempotencyKey,
          breaker: t.breaker,
          breakerSeq: t.seq,
          status: 'pending',
          attempts: 0,
          nextAttemptAtMs: nowMs,
        });
        enqueued += 1;
      }
    }
    return { enqueued, conflicts };
  };

  const toAction = (row: MemoryDatabase['outbox'][number]): OutboxAction => {
    const { key, breaker: _breaker, breakerSeq: _seq, ...rest } = row;
    const body = db.transitions.find((t) => t.key === key)?.body ?? '';
    return { ...rest, transition: storeCodec.toTransition(body, key) };
  };

  const prune = () => {
    if (retain === undefined) return;
    if (db.events.length > retain * 2) db.events.splice(0, db.events.length - retain);
    if (db.signals.length > retain * 2) db.signals.splice(0, db.signals.length - retain);
    if (db.outbox.length > retain * 2) {
      db.outbox = db.outbox.filter((row) => row.status === 'pending');
    }
    if (db.transitions.length > retain * 2) db.transitions.splice(0, db.transitions.length - retain);
    if (db.audit.length > retain * 2) db.audit.splice(0, db.audit.length - retain);
  };

  return {
    id: db.id,

    async appendEvents({ entries, sinks, nowMs, snapshot }) {
      assertOpen();
      const seqs: number[] = [];
      for (const entry of entries) {
        const event = entry.event;
        const seq = db.lastSeq + 1;
        db.lastSeq = seq;
        seqs.push(seq);
        db.events.push({ seq, type: event.type, body: storeCodec.toEventBody(event) });
        if (event.type === 'command' && event.command.type !== 'condition') {
          const c = event.command;
          const audit: AuditEntry = {
            id: nextId(),
            eventSeq: seq,
            action: c.type,
            breaker: c.breaker,
            actor: c.actor,
            reason: c.reason,
            atMs: c.atMs,
          };
          if (c.type === 'override') audit.level = c.level;
          db.audit.push(audit);
        }
        for (const s of entry.signals) {
          db.signals.push({ id: nextId(), eventSeq: seq, body: storeCodec.toSignalBody(s) });
        }
        if (entry.transitions.length > 0) enqueue(entry.transitions, sinks, nowMs);
      }
      if (snapshot) {
        db.snapshots.unshift({
          ...snapshot,
          body: Uint8Array.from(snapshot.body),
          seq: db.lastSeq,
          bytes: snapshot.body.byteLength,
        });
        db.snapshots.sort((a, b) => b.seq - a.seq);
        db.snapshots.length = Math.min(db.snapshots.length, SNAPSHOTS_KEPT);
      }
      prune();
      return seqs;
    },

    readEvents(options = {}) {
      return readEventBatches({
        ...options,
        async readBatch(afterSeq, limit) {
          assertOpen();
          const start = db.events.findIndex((e) => e.seq > afterSeq);
          if (start < 0) return [];
          return storeRows.toStoredEvents(
            db.events.slice(start, start + limit).map((row) => [row.seq, row.type, row.body] as const),
          );
        },
      });
    },

    async lastSeq() {
      assertOpen();
      return db.lastSeq;
    },

    async countEvents() {
      assertOpen();
      return db.events.length;
    },

    async listSnapshots() {
      assertOpen();
      return db.snapshots.map(({ body: _, ...info }) => info);
    },

    async readSnapshot(seq) {
      assertOpen();
      const found = db.snapshots.find((s) => s.seq === seq);
      return found === undefined ? undefined : { ...found, body: Uint8Array.from(found.body) };
    },

    async enqueueTransitions({ transitions, sinks, nowMs }) {
      assertOpen();
      return enqueue(transitions, sinks, nowMs);
    },

    async headActions(sink) {
      assertOpen();
      const heads = new Map<string, MemoryDatabase['outbox'][number]>();
      for (const row of db.outbox) {
        if (row.sink !== sink || row.status !== 'pending') continue;
        const head = heads.get(row.breaker);
        if (
          !head ||
          row.breakerSeq < head.breakerSeq ||
          (row.breakerSeq === head.breakerSeq && row.id < head.id)
        )
          heads.set(row.breaker, row);
      }
      return [...heads.values()]
        .sort((a, b) =>
          a.breaker < b.breaker ? -1 : a.breaker > b.breaker ? 1 : a.breakerSeq - b.breakerSeq,
        )
        .map(toAction);
    },

    async markDelivered(id, atMs) {
      assertOpen();
      const row = db.outbox.find((r) => r.id === id);
      if (row && row.status === 'pending') {
        row.status = 'delivered';
        row.deliveredAtMs = atMs;
      }
    },

    async markAttemptFailed(id, failure) {
      assertOpen();
      const row = db.outbox.find((r) => r.id === id);
      if (!row) return;
      row.attempts += 1;
      row.lastError = failure.error.slice(0, 2000);
      row.nextAttemptAtMs = failure.nextAttemptAtMs;
      row.status = failure.final === true ? 'failed' : 'pending';
    },

    async listActions(options = {}) {
      assertOpen();
      const rows = db.outbox.filter(
        (r) =>
          (options.sink === undefined || r.sink === options.sink) &&
          (options.status === undefined || r.status === options.status),
      );
      return rows.slice(0, options.limit ?? rows.length).map(toAction);
    },

    async countActions(sink) {
      assertOpen();
      const counts: OutboxCounts = { pending: 0, delivered: 0, failed: 0 };
      for (const row of db.outbox) if (sink === undefined || row.sink === sink) counts[row.status] += 1;
      return counts;
    },

    async countActionsBySink() {
      assertOpen();
      const out: Record<string, OutboxCounts> = {};
      for (const row of db.outbox) {
        out[row.sink] ??= { pending: 0, delivered: 0, failed: 0 };
        out[row.sink]![row.status] += 1;
      }
      return out;
    },

    async listTransitions(options = {}) {
      assertOpen();
      const rows = db.transitions.filter(
        (t) => options.breaker === undefined || t.breaker === options.breaker,
      );
      return newest(rows, options.limit).map((row) => storeCodec.toTransition(row.body, row.key));
    },

    async listSignals(options = {}) {
      assertOpen();
      return newest(db.signals, options.limit).map(
        (row): StoredSignal => ({
          id: row.id,
          eventSeq: row.eventSeq,
          signal: storeCodec.toSignal(row.body, row.id),
        }),
      );
    },

    async listAudit(options = {}) {
      assertOpen();
      const rows = db.audit.filter((a) => options.breaker === undefined || a.breaker === options.breaker);
      return newest(rows, options.limit).map((a) => ({ ...a }));
    },

    async migrations() {
      assertOpen();
      return migrations.map((m) => ({ ...m }));
    },

    async close() {
      if (closed) return;
      closed = true;
      db.open = false;
    },
  };
}

/** The `limit` newest rows, oldest first. */
function newest<T>(rows: readonly T[], limit: number | undefined): T[] {
  return limit === undefined || limit < 0 ? [...rows] : rows.slice(Math.max(0, rows.length - limit));
}
