import type { Observation } from '../core/observation.ts';
import type { EngineConfig } from '../engine/config.ts';
import type { Logger } from '../log/createLogger.ts';
import type { Sink } from '../sinks/sink.ts';
import type { Clock, Source } from '../sources/source.ts';
import type { Store } from '../store/store.ts';
import type { ClusterOptions } from './cluster/createClusterMember.ts';
import type { SnapshotPolicy } from './createCommitLoop.ts';
import type { LeaderTask } from './leaderTask.ts';
import type { ServiceLogEntry } from './log/serviceLogEntry.ts';
import type { RetryPolicy } from './retryPolicy.ts';

/** What `createService` is built from. */
export type CreateServiceParameters = {
  engine: EngineConfig;
  sources: Source[];
  /** Where every transition goes, through the outbox. */
  sinks?: Sink[];
  /** An open store; the service does not close it (its opener does). */
  store: Store;
  /** Time of ticks and of manual commands. Default the system clock. Delivery retries always run on
   * real time. */
  clock?: Clock;
  /** Interval of `tick` observations, ms; 0 for none. Default 1000. */
  tickIntervalMs?: number;
  retry?: RetryPolicy;
  /** The process's logger ({@link createLogger}); the service logs through its child of
   * `component: 'service'`. Default: none (nothing is logged). */
  logger?: Logger;
  /** Also receives every entry the service logs (tests, embedding applications). */
  log?: (entry: ServiceLogEntry) => void;
  /** Called with each live observation once the engine has stepped it (e.g. metrics). */
  onObservation?: (observation: Observation) => void;
  /** Called after each commit of the event log with its duration, ms, and events (metrics). */
  onStoreWrite?: (durationMs: number, events: number) => void;
  /** Signals and transitions kept in memory for {@link ServiceView} reads. Default 1000 each. */
  historyLimit?: number;
  /** Events read per batch when the log is replayed at start. Default 10000. */
  replayBatchSize?: number;
  /** How long {@link Service.flush} (which the API awaits before it answers a command) waits for
   * the commit before it rejects with `store_unavailable`, ms. Default 5000. */
  commitTimeoutMs?: number;
  /** Events kept in memory while the store cannot write, retried in order. Past it, observations
   * are dropped before the engine steps them, each counted and logged; commands are refused.
   * Default 100000. */
  maxPendingEvents?: number;
  /** Engine snapshots written with the commits (default every 10000 events or 60 s), or `false`
   * for none: a restart then replays the whole log. */
  snapshots?: SnapshotPolicy | false;
  /** A member of a cluster of guards on the store (PostgreSQL opened with its `instance`):
   * docs/deploy.md. Without it, or on a store without `cluster` (SQLite, memory), the service is
   * the one guard of its store, always the leader. */
  cluster?: ClusterOptions;
  /** Work only the leader does, such as the on-chain keeper's heartbeats (they share the keeper's
   * key, so followers never send): started when this instance becomes the leader (at start for the
   * one guard of a SQLite or memory store), stopped when it steps down, is fenced or stops. */
  leaderTasks?: readonly LeaderTask[];
};
