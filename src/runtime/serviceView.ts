import type { Level, Transition } from '../breaker/levels.ts';
import type { Signal } from '../core/signal.ts';
import type { EngineState } from '../engine/step.ts';
import type { ClusterRole } from '../store/clusterStore.ts';
import type { OutboxCounts } from '../store/store.ts';
import type { ClusterStatus } from './cluster/toClusterStatus.ts';

/** Where a service stands in its cluster (`/healthz`). A service without a cluster is `leader`. */
export type ClusterPosition = {
  role: ClusterRole;
  instance: string | null;
  epoch: number | null;
  location: string | null;
};

/** One event of the live stream. */
export type ServiceEvent =
  | { type: 'signal'; signal: Signal }
  | { type: 'transition'; transition: Transition };

/** The commit buffer of a service: inputs waiting for the store, its bound, and what it dropped. */
export type ServiceStoreStats = {
  pendingEvents: number;
  maxPendingEvents: number;
  /** Observations dropped since start because the buffer was full. */
  droppedObservations: number;
  /** Commits that failed since start (each is retried). */
  storeWriteFailures: number;
  /** Delivery attempts that failed since start (each is retried with backoff). */
  failedDeliveries: number;
};

/**
 * What the HTTP API, the metrics and the dashboard read from a running guard, and the two
 * commands they may give. The service (guard + store + outbox) implements it; tests may use an
 * in-memory implementation over a bare guard.
 */
export type ServiceView = {
  /** The engine state the API shows (read only: never mutate it). The durable service gives the
   * state of what is committed to its store, never an input that is not stored yet. */
  engine(): EngineState;
  /** Whether the service is ready: store open and writable, sources started. */
  ready(): boolean;
  /** Why it is not ready (e.g. the store cannot write), or undefined when it is. */
  notReadyReason?(): string | undefined;
  /** The buffer of inputs waiting for a store commit (metrics); absent where nothing is stored. */
  storeStats?(): ServiceStoreStats;
  /** Most recent signals, newest last, at most `limit`. */
  recentSignals(limit: number): Signal[];
  /** Transitions, newest last, optionally of one breaker, at most `limit`. */
  transitions(limit: number, breaker?: string): Transition[];
  /** Listens to signals and transitions as they happen; returns the unsubscribe function. */
  subscribe(listener: (event: ServiceEvent) => void): () => void;
  /**
   * Pins `breaker` at `level` (a manual override, audited with who and why). Returns the
   * transition if the level changed. Throws an Error with `code` `unknown_breaker` for an
   * unknown name.
   */
  override(breaker: string, level: Level, actor: string, reason: string): Transition | undefined;
  /** Releases a manual override; the rules decide again from the next evaluation. */
  resume(breaker: string, actor: string, reason: string): void;
  /** Resolves once every command and observation taken so far is durable (a store commit); absent
   * where nothing is stored. The API awaits it before it answers a command. Rejects (`code`
   * `store_unavailable`) when that takes longer than the service's bound. */
  flush?(): Promise<void>;
  /** Outbox rows per sink and status, from the store (metrics); absent where nothing is stored. */
  outboxCounts?(): Promise<Record<string, OutboxCounts>>;
  /** Its role, instance, epoch and location; absent: a lone guard (`leader`). */
  clusterPosition?(): ClusterPosition;
  /** The cluster as the store sees it; absent: no store. */
  clusterStatus?(): Promise<ClusterStatus>;
};
