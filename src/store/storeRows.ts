import type {
  AuditEntry,
  EventRecord,
  OutboxAction,
  OutboxCounts,
  OutboxStatus,
  SnapshotInfo,
  SnapshotInput,
  StoredEvent,
  StoredSignal,
  StoredSnapshot,
} from './store.ts';
import { storeCodec } from './storeCodec.ts';

/** A row as a SQL driver returns it, by column name. */
export type StoreRow = Record<string, unknown>;

/** One `status, COUNT(*) AS n` row of the outbox (with `sink` when grouped by it). */
export type OutboxCountRow = { sink?: string; status: OutboxStatus; n: number };

/**
 * The mappings between the store's SQL rows and its port's values, the same in every SQL adapter
 * (SQLite and PostgreSQL share the schema's column names): what a row means is written once here,
 * and each adapter keeps only its dialect's statements.
 */
export const storeRows = {
  /** When an event happened: the observation's receive time, or the command's. */
  toEventAtMs(event: EventRecord): number {
    return event.type === 'observation' ? event.observation.observedAtMs : event.command.atMs;
  },

  /** The `audit` row (event_seq, action, breaker, level, actor, reason, at_ms) of a manual
   * override or resume; undefined for any other event. */
  toAuditValues(seq: number, event: EventRecord): unknown[] | undefined {
    if (event.type !== 'command' || event.command.type === 'condition') return undefined;
    const c = event.command;
    return [seq, c.type, c.breaker, c.type === 'override' ? c.level : null, c.actor, c.reason, c.atMs];
  },

  /** Rows `[seq, type, body]` of the event log, as stored events. */
  toStoredEvents(rows: ReadonlyArray<readonly [number, string, string]>): StoredEvent[] {
    const batch: StoredEvent[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i += 1) {
      const [seq, type, body] = rows[i]!;
      batch[i] = { seq, ...storeCodec.toEvent(type, body, seq) };
    }
    return batch;
  },

  /** An `outbox` row joined with its transition's body as `transition_body`. */
  toOutboxAction(row: StoreRow): OutboxAction {
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
  },

  /** Outbox counts by status (absent statuses count 0). */
  toOutboxCounts(rows: readonly OutboxCountRow[]): OutboxCounts {
    const counts: OutboxCounts = { pending: 0, delivered: 0, failed: 0 };
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  },

  /** Outbox counts by sink and status. */
  toOutboxCountsBySink(rows: readonly OutboxCountRow[]): Record<string, OutboxCounts> {
    const out: Record<string, OutboxCounts> = {};
    for (const row of rows) {
      const sink = row.sink ?? '';
      out[sink] ??= { pending: 0, delivered: 0, failed: 0 };
      out[sink]![row.status] = row.n;
    }
    return out;
  },

  /** A `signals` row (id, event_seq, body). */
  toStoredSignal(row: { id: number; event_seq: number; body: string }): StoredSignal {
    return { id: row.id, eventSeq: row.event_seq, signal: storeCodec.toSignal(row.body, row.id) };
  },

  /** An `audit` row. */
  toAuditEntry(row: StoreRow): AuditEntry {
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
  },

  /** A `snapshots` row, without its body. */
  toSnapshotInfo(row: StoreRow): SnapshotInfo {
    return {
      seq: row.seq as number,
      formatVersion: row.format_version as number,
      configHash: row.config_hash as string,
      checksum: row.checksum as string,
      atMs: row.at_ms as number,
      bytes: row.bytes as number,
    };
  },

  /** The `snapshots` row (seq, format_version, config_hash, checksum, at_ms, bytes, body) of a
   * snapshot of the state after event `seq`; the body a `Buffer` on the same bytes. */
  toSnapshotValues(seq: number, snapshot: SnapshotInput): unknown[] {
    return [
      seq,
      snapshot.formatVersion,
      snapshot.configHash,
      snapshot.checksum,
      snapshot.atMs,
      snapshot.body.byteLength,
      Buffer.from(snapshot.body.buffer, snapshot.body.byteOffset, snapshot.body.byteLength),
    ];
  },

  /** A `snapshots` row with its body (a `Buffer` from either driver), as a view on the same bytes. */
  toStoredSnapshot(row: StoreRow): StoredSnapshot {
    const body = row.body as Buffer;
    return {
      ...storeRows.toSnapshotInfo(row),
      body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
    };
  },

  /** A `migrations` row. */
  toMigrationInfo(row: StoreRow): { version: number; name: string; appliedAtMs: number } {
    return {
      version: row.version as number,
      name: row.name as string,
      appliedAtMs: row.applied_at_ms as number,
    };
  },
};
