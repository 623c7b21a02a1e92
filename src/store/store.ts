import type { Level, Transition } from '../breaker/levels.ts';
import type { Signal } from '../core/signal.ts';
import type { EngineEvent } from '../engine/command.ts';
import type { ClusterStore } from './clusterStore.ts';

/**
 * The storage port of the durable guard. One adapter per database (`sqlite/`, `postgres/`, and
 * `memory/` for a guard that keeps nothing across runs): every method is async, takes and returns
 * plain values, and says nothing of SQL dialects or connections. One contract suite
 * (test/store/contract.ts) runs against every adapter.
 *
 * What it keeps:
 * - the event log: observations (in the replay format of docs/formats.md) and manual breaker
 *   commands, in order, each with a sequence number from 1;
 * - the signals and breaker transitions each event produced;
 * - the action outbox: one row per transition per sink, unique on (sink, idempotency key);
 * - the audit log of manual overrides and resumes (who, why, when); external conditions are in
 *   the event log only;
 * - engine snapshots: the engine state after an event, written in the transaction of that event,
 *   so that a restart replays only the events after it (the newest {@link SNAPSHOTS_KEPT} are kept).
 */

/** Snapshots an adapter keeps; older ones are deleted in the transaction that writes a new one. */
export const SNAPSHOTS_KEPT = 3;

/** An engine snapshot to store. The store keeps the bytes as they are; the service makes and
 * checks them (format, configuration hash, checksum). */
export type SnapshotInput = {
  /** Format version of the body. */
  formatVersion: number;
  /** Hash of the engine configuration the state was made with. */
  configHash: string;
  /** SHA-256 of the body, hex: a body that does not match is corrupt. */
  checksum: string;
  /** When it was made, ms since the epoch. */
  atMs: number;
  body: Uint8Array;
};

/** A stored snapshot without its body. */
export type SnapshotInfo = Omit<SnapshotInput, 'body'> & {
  /** The sequence number of the last event the snapshot covers. */
  seq: number;
  /** Size of the body in bytes. */
  bytes: number;
};

export type StoredSnapshot = SnapshotInfo & { body: Uint8Array };

export type { BreakerCommand } from '../engine/command.ts';

/** One entry of the event log: an observation or a breaker command. */
export type EventRecord = EngineEvent;

/** An event as stored, with its sequence number. */
export type StoredEvent = EventRecord & { seq: number };

/** An event with what the engine made of it; appended atomically. */
export type EventEntry = {
  event: EventRecord;
  signals: readonly Signal[];
  transitions: readonly Transition[];
  /** The inbox row the event was taken from (a watcher's observation; PostgreSQL only): stored
   * with it, so that the inbox is taken once. */
  inboxSeq?: number;
};

export type AppendEventsParameters = {
  entries: readonly EventEntry[];
  /** Sinks that receive every transition: one outbox row per transition and sink. */
  sinks: readonly string[];
  /** Time the outbox rows become due, ms since the epoch. */
  nowMs: number;
  /** The engine state after the last of `entries` (after the last stored event when `entries` is
   * empty), stored in the same transaction. */
  snapshot?: SnapshotInput;
};

export type EnqueueTransitionsParameters = {
  transitions: readonly Transition[];
  sinks: readonly string[];
  nowMs: number;
};

export type EnqueueTransitionsReturnType = {
  /** Outbox rows added (rows already there are left alone). */
  enqueued: number;
  /** Transitions whose (breaker, seq) is stored with another idempotency key: the log replayed to a
   * different history (the engine configuration changed). They are not enqueued. */
  conflicts: Transition[];
};

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

/** One delivery of a transition to a sink. */
export type OutboxAction = {
  id: number;
  sink: string;
  status: OutboxStatus;
  /** Delivery attempts so far. */
  attempts: number;
  /** Earliest time of the next attempt, ms since the epoch. */
  nextAttemptAtMs: number;
  lastError?: string;
  deliveredAtMs?: number;
  transition: Transition;
};

export type AuditEntry = {
  id: number;
  /** Sequence number of the command in the event log. */
  eventSeq: number;
  action: 'override' | 'resume';
  breaker: string;
  /** The pinned level (overrides only). */
  level?: Level;
  actor: string;
  reason: string;
  atMs: number;
};

export type StoredSignal = { id: number; eventSeq: number; signal: Signal };

export type OutboxCounts = Record<OutboxStatus, number>;

export type Store = {
  /**
   * The store's identity: a random UUID made when the store was created, the same at every open of
   * the same database. Every idempotency key the service stores starts with it
   * (`<storeId>:<breaker>:<seq>:<from>><to>`), so two data directories never share a key.
   */
  readonly id: string;
  /** The lease, instances and watchers' inbox of a cluster (PostgreSQL only; absent: one guard,
   * always the leader). */
  readonly cluster?: ClusterStore;
  /** Appends events with their signals, transitions and outbox rows in one transaction, in order.
   * Returns the sequence number of each event. */
  appendEvents(parameters: AppendEventsParameters): Promise<number[]>;
  /** The event log after `afterSeq`, in order, as batches of at most `batchSize` events. */
  readEvents(options?: { afterSeq?: number; batchSize?: number }): AsyncIterable<StoredEvent[]>;
  /** Sequence number of the last event (0 when the log is empty). */
  lastSeq(): Promise<number>;
  /** Events stored (a full count: slow on a large log; `store status` uses it). */
  countEvents(): Promise<number>;
  /** Stored snapshots without their bodies, newest first. */
  listSnapshots(): Promise<SnapshotInfo[]>;
  /** One snapshot with its body, or undefined when there is none at `seq`. */
  readSnapshot(seq: number): Promise<StoredSnapshot | undefined>;
  /** Stores transitions (when absent) and enqueues each for every sink; existing rows are kept as
   * they are, so enqueueing again is a no-op. */
  enqueueTransitions(parameters: EnqueueTransitionsParameters): Promise<EnqueueTransitionsReturnType>;
  /** The next action of each breaker for `sink`: per breaker, its pending action of lowest
   * transition seq, whether due or not (a later one waits for it). */
  headActions(sink: string): Promise<OutboxAction[]>;
  /** Marks an action delivered: it is never handed out again. */
  markDelivered(id: number, atMs: number): Promise<void>;
  /** Records a failed attempt: attempts + 1, the error, and when to try again; `final` marks the
   * action `failed` (no more attempts). */
  markAttemptFailed(
    id: number,
    failure: { error: string; nextAttemptAtMs: number; final?: boolean },
  ): Promise<void>;
  /** Outbox rows, oldest first, optionally of one sink and status. */
  listActions(options?: { sink?: string; status?: OutboxStatus; limit?: number }): Promise<OutboxAction[]>;
  countActions(sink?: string): Promise<OutboxCounts>;
  /** Outbox counts per sink and status. */
  countActionsBySink(): Promise<Record<string, OutboxCounts>>;
  /** Transitions, oldest first, at most the `limit` newest, optionally of one breaker. */
  listTransitions(options?: { breaker?: string; limit?: number }): Promise<Transition[]>;
  /** Signals, oldest first, at most the `limit` newest. */
  listSignals(options?: { limit?: number }): Promise<StoredSignal[]>;
  /** Audit log of manual commands, oldest first, at most the `limit` newest. */
  listAudit(options?: { breaker?: string; limit?: number }): Promise<AuditEntry[]>;
  /** Applied migrations, lowest first. */
  migrations(): Promise<Array<{ version: number; name: string; appliedAtMs: number }>>;
  close(): Promise<void>;
};
