import type { Level, Transition } from '../breaker/levels.ts';
import type { Observation } from '../core/observation.ts';
import type { Signal } from '../core/signal.ts';
import type { EngineConfig } from '../engine/config.ts';
import { createEngineState } from '../engine/step.ts';
import { type Logger, silentLogger } from '../log/createLogger.ts';
import type { Sink } from '../sinks/sink.ts';
import { parseObservation } from '../sources/replay/parseObservation.ts';
import { toObservationLine } from '../sources/replay/toObservationLine.ts';
import { type Clock, type Source, systemClock } from '../sources/source.ts';
import type { Fence } from '../store/clusterStore.ts';
import type { Store } from '../store/store.ts';
import { applyStoredEvent } from './applyStoredEvent.ts';
import {
  type ClusterMember,
  type ClusterOptions,
  createClusterMember,
} from './cluster/createClusterMember.ts';
import { createInboxWriter, type InboxWriter } from './cluster/createInboxWriter.ts';
import { toClusterStatus } from './cluster/toClusterStatus.ts';
import { createCommands } from './createCommands.ts';
import {
  type CommitLoopCounters,
  createCommitLoop,
  type EngineStates,
  type SnapshotPolicy,
} from './createCommitLoop.ts';
import { createOutboxDispatcher } from './createOutboxDispatcher.ts';
import type { ServiceLogEntry } from './log/serviceLogEntry.ts';
import { writeLogEntry } from './log/writeLogEntry.ts';
import { recoverFromStore } from './recoverFromStore.ts';
import { ServiceError } from './serviceError.ts';
import type { ClusterPosition, ServiceEvent, ServiceStoreStats, ServiceView } from './serviceView.ts';
import { decodeGraph } from './snapshot/decodeGraph.ts';
import { encodeGraph } from './snapshot/encodeGraph.ts';
import { toEngineConfigHash } from './snapshot/toEngineConfigHash.ts';
import { toEngineSnapshot } from './snapshot/toEngineSnapshot.ts';
import { toStoreTransitions } from './toStoreTransitions.ts';

export type { ClusterOptions } from './cluster/createClusterMember.ts';
export type { SnapshotPolicy } from './createCommitLoop.ts';
export type { ServiceLogEntry } from './log/serviceLogEntry.ts';

/** Backoff of failed deliveries: `min(maxMs, baseMs * 2^(attempts - 1))`, of which a random half
 * (from `random`) is jitter. */
export type RetryPolicy = {
  /** Delay after the first failure, ms. Default 500. */
  baseMs?: number;
  /** Largest delay, ms. Default 60000. */
  maxMs?: number;
  /** Attempts after which an action is marked `failed` and the breaker's next action goes ahead.
   * Default: never (retry until delivered). */
  maxAttempts?: number;
  /** Uniform random numbers in [0, 1) for the jitter. Default `Math.random`. */
  random?: () => number;
};

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

/** A schedule run while the instance leads ({@link CreateServiceParameters.leaderTasks}). */
export type LeaderTask = {
  /** Starts the schedule; does nothing if it runs already. */
  start(): void;
  /** Stops it; resolves once nothing more will be sent. */
  stop(): Promise<void>;
};

export type ServiceStats = {
  /** Events replayed from the store at start (after the snapshot), and how long recovery took. */
  replayedEvents: number;
  replayMs: number;
  /** Sequence number of the snapshot restored at start; 0 when the whole log was replayed. */
  snapshotSeq: number;
  /** Snapshots written since start, and those that could not be made. */
  snapshots: number;
  snapshotFailures: number;
  /** Events committed since start. */
  committedEvents: number;
  /** Events waiting to be committed. */
  pendingEvents: number;
  deliveries: number;
  failedAttempts: number;
  storeWriteFailures: number;
  /** Observations dropped because the in-memory buffer of uncommitted events was full. */
  droppedObservations: number;
  /** The bound of that buffer. */
  maxPendingEvents: number;
};

export type Service = ServiceView & {
  /** Restores the engine (newest snapshot, then the log after it), starts the outbox, then the
   * sources and ticks. */
  start(): Promise<void>;
  /** Stops sources and ticks, commits what is pending, lets in-flight deliveries end, closes the
   * sinks. The store stays open. */
  stop(): Promise<void>;
  /** Takes one observation, as a source does. */
  push(observation: Observation): void;
  /**
   * Raises (with `level`) or clears (without) the external condition `key` on every breaker that
   * protects one of `chains` (clearing without `chains`: every breaker that has it). A raised
   * condition holds its breakers at `level` or above, like a detector's condition: escalation at
   * once, recovery through the usual hysteresis once it is cleared. Each change is stored and
   * replayed like a manual command; repeating the current state stores nothing. Returns the
   * transitions it caused. {@link applyOracleResult} drives it from an oracle aggregation.
   */
  setCondition(condition: ExternalConditionInput): Transition[];
  /** Resolves once everything taken so far is committed to the store; rejects with a
   * {@link ServiceError} `store_unavailable` after `timeoutMs` (default `commitTimeoutMs`) without
   * that commit, or if the service stopped before it. */
  flush(options?: { timeoutMs?: number }): Promise<void>;
  /** Resolves once everything taken is committed and no sink has a pending action (tests). */
  drained(): Promise<void>;
  stats(): ServiceStats;
  clusterPosition(): ClusterPosition;
  /** Whether this instance may act on the outside world now: the one guard of its store, or a
   * leader whose lease was renewed less than a lease ago on its own clock (false at once after a
   * pause past the lease, before it has learnt that it was replaced). */
  canAct(): boolean;
};

export type ExternalConditionInput = {
  /** The condition's key, e.g. `oracle:ETH-USD`. */
  key: string;
  /** What it is, for `Transition.causes`, e.g. `oracle`. */
  cause: string;
  chains?: readonly string[];
  /** The level asked for while raised; absent to clear. */
  level?: Level;
  actor: string;
  reason: string;
};

/**
 * The guard: the engine between sources and sinks, with every input in the store. `watch` runs it
 * on the in-memory store, `serve` and `demo` on SQLite or PostgreSQL: one runtime.
 *
 * - Start (recoverFromStore): the newest engine snapshot of this format and configuration, then the
 *   events after it through the engine's reducer; stored transitions are enqueued again for every
 *   sink (a no-op for those already enqueued), so a transition committed just before a crash still
 *   reaches every sink.
 * - Live (createCommitLoop): each observation (and each command: createCommands) is stepped and
 *   appended to the event log in one transaction with its signals, its transitions, one outbox row
 *   per transition and sink, and now and then an engine snapshot (group commit). Nothing leaves the
 *   process (listeners, sinks) before that commit.
 * - Outbox (createOutboxDispatcher): one dispatcher per sink delivers, per breaker, the pending
 *   action of lowest sequence number, and the next only after it. A failure is retried with
 *   exponential backoff and jitter. A delivered action is marked so; it is never handed out again.
 *
 * Guarantee: every transition reaches every sink at least once, in order per breaker, across
 * crashes and restarts. A crash between a sink's acceptance and the mark repeats that one action
 * after the restart, with the same `Idempotency-Key`: a receiver that drops repeated keys sees
 * each transition exactly once.
 */
export function createService(parameters: CreateServiceParameters): Service {
  const clock = parameters.clock ?? systemClock;
  const store = parameters.store;
  const sinks = parameters.sinks ?? [];
  const sinkNames = sinks.map((s) => s.name);
  const historyLimit = parameters.historyLimit ?? 1000;
  const serviceLogger = (parameters.logger ?? silentLogger).child({ component: 'service' });
  const log = (entry: ServiceLogEntry) => {
    parameters.log?.(entry);
    writeLogEntry(serviceLogger, entry);
  };
  if (new Set(sinkNames).size !== sinkNames.length) {
    throw new ServiceError('duplicate_sink', `sink names must be unique: ${sinkNames.join(', ')}`);
  }
  const maxPendingEvents = parameters.maxPendingEvents ?? 100_000;
  const snapshots =
    parameters.snapshots === false
      ? false
      : {
          everyEvents: parameters.snapshots?.everyEvents ?? 10_000,
          everyMs: parameters.snapshots?.everyMs ?? 60_000,
        };
  const configHash = toEngineConfigHash(parameters.engine);
  // Two states of one deterministic engine. `live` steps every input as it arrives: the guard's
  // decisions and the transitions stored with each input. `committed` steps the same inputs in
  // the same order once the store has committed them: what the API reads. They differ only while
  // inputs wait for a commit (a few ms, or as long as the store cannot write).
  const engines: EngineStates = {
    live: createEngineState(parameters.engine),
    committed: createEngineState(parameters.engine),
  };
  let recentSignals: Signal[] = [];
  let recentTransitions: Transition[] = [];
  const listeners = new Set<(event: ServiceEvent) => void>();
  const counters: CommitLoopCounters & Omit<ServiceStats, keyof CommitLoopCounters> = {
    replayedEvents: 0,
    replayMs: 0,
    snapshotSeq: 0,
    snapshots: 0,
    snapshotFailures: 0,
    committedEvents: 0,
    pendingEvents: 0,
    deliveries: 0,
    failedAttempts: 0,
    storeWriteFailures: 0,
    droppedObservations: 0,
    maxPendingEvents,
  };
  let phase: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  // Cluster: the member's loop, a watcher's inbox writer, the last event applied to the committed
  // state, and the last inbox row taken.
  const clusterStore = parameters.cluster === undefined ? undefined : store.cluster;
  const clusterOptions = clusterStore === undefined ? undefined : parameters.cluster;
  const location = clusterOptions?.location;
  let member: ClusterMember | undefined;
  let inbox: InboxWriter | undefined;
  let appliedSeq = 0;
  let inboxCursor = 0;
  const isLeader = () => member === undefined || member.role() === 'leader';
  const leaderTasks = parameters.leaderTasks ?? [];
  const startLeaderTasks = () => {
    for (const task of leaderTasks) task.start();
  };
  const stopLeaderTasks = () =>
    Promise.all(
      leaderTasks.map((task) =>
        task
          .stop()
          .catch((error: Error) =>
            log({ level: 'warn', code: 'leader_task_stop_failed', message: error.message }),
          ),
      ),
    );
  let timer: ReturnType<typeof setInterval> | undefined;

  const remember = <T>(list: T[], item: T) => {
    list.push(item);
    if (list.length > historyLimit * 2) list.splice(0, list.length - historyLimit);
  };
  const publish = (event: ServiceEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        log({ level: 'error', code: 'listener_failed', message: (error as Error).message });
      }
    }
  };

  const outbox = createOutboxDispatcher({
    store,
    sinks,
    retry: parameters.retry ?? {},
    log,
    counters,
    isRunning: () => phase === 'running' || phase === 'starting',
    canDeliver: () => member === undefined || member.canAct(),
    deliveryContext: () => {
      const epoch = member?.epoch();
      return clusterOptions === undefined || epoch === undefined
        ? undefined
        : { instance: clusterOptions.instance, epoch };
    },
    onFenced: (error) => member?.stepDown(`a write was refused by the fence: ${error.message}`),
  });
  const commits = createCommitLoop({
    store,
    sinkNames,
    engines,
    counters,
    log,
    commitTimeoutMs: parameters.commitTimeoutMs ?? 5000,
    maxPendingEvents,
    snapshots,
    configHash,
    isStopping: () => phase === 'stopping' || phase === 'stopped',
    onFenced: (error) => member?.stepDown(`a write was refused by the fence: ${error.message}`),
    onWrite: (durationMs, events) => {
      try {
        parameters.onStoreWrite?.(durationMs, events);
      } catch (error) {
        log({ level: 'error', code: 'listener_failed', message: (error as Error).message });
      }
    },
    onCommitted(entries, lastSeq) {
      if (lastSeq > appliedSeq) appliedSeq = lastSeq;
      let transitions = 0;
      for (const entry of entries) {
        for (const signal of entry.signals) {
          remember(recentSignals, signal);
          publish({ type: 'signal', signal });
        }
        for (const transition of entry.transitions) {
          transitions += 1;
          remember(recentTransitions, transition);
          publish({ type: 'transition', transition });
        }
      }
      if (transitions > 0) outbox.wake();
    },
  });

  const notReadyReason = (): string | undefined => {
    if (phase === 'new' || phase === 'starting') return 'store or sources still starting';
    if (phase !== 'running') return 'the service is stopping';
    const failure = commits.failure();
    if (failure) {
      return `the store cannot write since ${new Date(failure.sinceMs).toISOString()} (${counters.pendingEvents} events waiting): ${failure.message}`;
    }
    return undefined;
  };

  const commands = createCommands({
    engines,
    clock,
    take: commits.take,
    // A command is taken only while the service runs and the store writes: a command that cannot
    // be stored is refused at once rather than applied and answered late.
    assertTakes() {
      if (phase !== 'running') throw new ServiceError('not_started', 'the service is not running');
      if (!isLeader()) {
        throw new ServiceError(
          'not_leader',
          `this instance is ${member?.role()}, not the leader: send commands to the leader (GET /api/cluster)`,
        );
      }
      if (commits.failure() || commits.isFull()) {
        throw new ServiceError(
          'store_unavailable',
          `the command was not taken: ${notReadyReason() ?? 'the store cannot write'}; retry once /readyz answers 200`,
        );
      }
    },
  });

  const push = (observation: Observation): void => {
    if (phase !== 'running') return;
    if (inbox !== undefined) {
      inbox.push(observation);
      return;
    }
    if (!isLeader()) return;
    if (location !== undefined && observation.type !== 'tick') observation = { ...observation, location };
    if (commits.isFull()) {
      commits.dropObservation();
      return;
    }
    const line = toObservationLine(observation);
    const parsed = parseObservation(line, engines.live.observations + 1);
    if (!parsed.ok) {
      log({ level: 'warn', code: 'observation_dropped', message: parsed.error.message });
      return;
    }
    try {
      commits.take({ type: 'observation', observation: parsed.observation });
    } catch (error) {
      log({ level: 'error', code: 'step_failed', message: (error as Error).message });
      return;
    }
    try {
      parameters.onObservation?.(parsed.observation);
    } catch (error) {
      log({ level: 'error', code: 'listener_failed', message: (error as Error).message });
    }
  };

  /** Follower: the events stored after those the committed state has, through the reducer. */
  const catchUp = async () => {
    for await (const batch of store.readEvents({ afterSeq: appliedSeq })) {
      for (const stored of batch) {
        if (stored.seq <= appliedSeq) continue;
        appliedSeq = stored.seq;
        const out = applyStoredEvent([engines.committed], stored, log);
        if (!out) continue;
        counters.replayedEvents += 1;
        for (const signal of out.signals) {
          remember(recentSignals, signal);
          publish({ type: 'signal', signal });
        }
        for (const transition of toStoreTransitions(store.id, out.transitions)) {
          remember(recentTransitions, transition);
          publish({ type: 'transition', transition });
        }
      }
    }
  };

  /** The lease is ours: the log to its end, the fence, a live state from the committed one, the
   * outbox (with every stored transition enqueued for every sink), the inbox from where it stands. */
  const lead = async (fence: Fence) => {
    await catchUp();
    clusterStore?.setFence(fence, appliedSeq);
    engines.live = decodeGraph(encodeGraph(engines.committed)) as typeof engines.live;
    inboxCursor = (await clusterStore?.lastInboxSeqTaken()) ?? 0;
    if (sinkNames.length > 0) {
      const stored = await store.listTransitions();
      if (stored.length > 0)
        await store.enqueueTransitions({ transitions: stored, sinks: sinkNames, nowMs: Date.now() });
    }
    commits.resetSnapshotClock(0);
    outbox.start();
  };

  const stepDown = (reason: string) => {
    clusterStore?.setFence(undefined);
    void stopLeaderTasks();
    outbox.pause();
    commits.discard(new ServiceError('not_leader', `not stored: ${reason}`));
  };

  /** Leader: observations of the watchers (and of other members) from the inbox, in order. */
  const takeInbox = async () => {
    if (clusterStore === undefined || commits.isFull()) return;
    const rows = await clusterStore.readInbox(inboxCursor, 1000);
    for (const row of rows) {
      if (member?.role() !== 'leader') return;
      inboxCursor = row.seq;
      const parsed = parseObservation(row.line, row.seq);
      if (!parsed.ok) {
        log({
          level: 'warn',
          code: 'observation_dropped',
          message: `inbox ${row.seq}: ${parsed.error.message}`,
        });
        continue;
      }
      // A watcher's observation carries the location it was seen from (the engine's locations).
      const observation =
        row.location !== null && parsed.observation.type !== 'tick'
          ? { ...parsed.observation, location: row.location }
          : parsed.observation;
      try {
        commits.take({ type: 'observation', observation }, row.seq);
      } catch (error) {
        log({ level: 'error', code: 'step_failed', message: (error as Error).message });
      }
    }
  };

  const start = async () => {
    const startedMs = performance.now();
    if (clusterStore !== undefined && clusterOptions !== undefined) {
      const leaseMs = clusterOptions.leaseMs ?? 5000;
      const role = clusterOptions.role ?? 'replica';
      member = createClusterMember({
        cluster: clusterStore,
        instance: clusterOptions.instance,
        role,
        location,
        leaseMs,
        pollMs: clusterOptions.pollMs ?? Math.min(250, Math.max(10, Math.floor(leaseMs / 5))),
        log,
        catchUp,
        lead,
        stepDown,
        onLeading: startLeaderTasks,
        leaderTick: takeInbox,
      });
      clusterStore.setFence(undefined);
      if (role === 'watcher') {
        inbox = createInboxWriter({
          cluster: clusterStore,
          instance: clusterOptions.instance,
          location,
          spoolDir: clusterOptions.spoolDir ?? './.watcher-spool',
          log,
        });
        await inbox.start();
        return;
      }
    }
    const recovered = await recoverFromStore({
      store,
      engines,
      configHash,
      // A cluster member writes only as leader: it enqueues the stored transitions when it leads.
      sinkNames: member === undefined ? sinkNames : [],
      batchSize: parameters.replayBatchSize ?? 10_000,
      historyLimit,
      useSnapshots: snapshots !== false,
      log,
    });
    appliedSeq = recovered.lastSeq;
    recentSignals = recovered.recentSignals;
    recentTransitions = recovered.recentTransitions;
    counters.snapshotSeq = recovered.snapshotSeq;
    counters.replayedEvents = recovered.replayedEvents;
    commits.resetSnapshotClock(recovered.replayedEvents);
    if (member === undefined && snapshots !== false && recovered.replayedEvents >= snapshots.everyEvents) {
      // A long tail was replayed: a snapshot now spares the next start from it.
      try {
        const snapshot = toEngineSnapshot(engines.live, { configHash, atMs: Date.now() });
        await store.appendEvents({ entries: [], sinks: sinkNames, nowMs: Date.now(), snapshot });
        counters.snapshots += 1;
        commits.resetSnapshotClock(0);
      } catch (error) {
        counters.snapshotFailures += 1;
        log({
          level: 'warn',
          code: 'snapshot_failed',
          message: `no snapshot after the replay: ${(error as Error).message}`,
        });
      }
    }
    counters.replayMs = performance.now() - startedMs;
    log({
      level: 'info',
      code: 'replayed',
      message: `${recovered.snapshotSeq > 0 ? `restored the snapshot at seq ${recovered.snapshotSeq} and ` : ''}replayed ${recovered.replayedEvents} events in ${Math.round(counters.replayMs)} ms`,
      events: recovered.replayedEvents,
      snapshotSeq: recovered.snapshotSeq,
      replayMs: counters.replayMs,
    });
  };

  return {
    engine: () => engines.committed,
    ready: () => notReadyReason() === undefined,
    notReadyReason,
    storeStats: (): ServiceStoreStats => ({
      pendingEvents: counters.pendingEvents,
      maxPendingEvents,
      droppedObservations: counters.droppedObservations,
      storeWriteFailures: counters.storeWriteFailures,
      failedDeliveries: counters.failedAttempts,
    }),
    outboxCounts: () => store.countActionsBySink(),
    recentSignals: (limit) => (limit <= 0 ? [] : recentSignals.slice(-limit)),
    transitions: (limit, breaker) => {
      if (limit <= 0) return [];
      const list =
        breaker === undefined ? recentTransitions : recentTransitions.filter((t) => t.breaker === breaker);
      return list.slice(-limit);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    override: commands.override,
    resume: commands.resume,
    setCondition: commands.setCondition,
    push,
    flush: (options?: { timeoutMs?: number }) => commits.flush(options),
    async drained() {
      await commits.writesDone();
      await outbox.drained();
    },
    stats: () => ({ ...counters }),
    clusterStatus: () => toClusterStatus(store),
    clusterPosition: () => ({
      role: member?.role() ?? 'leader',
      instance: clusterOptions?.instance ?? null,
      epoch: member === undefined ? null : (member.epoch() ?? null),
      location: location ?? null,
    }),
    canAct: () => member === undefined || member.canAct(),
    async start() {
      if (phase !== 'new') throw new ServiceError('already_started', 'start() may be called once');
      phase = 'starting';
      try {
        await start();
      } catch (error) {
        phase = 'stopped';
        throw error;
      }
      if (member === undefined) {
        outbox.start();
        startLeaderTasks();
      }
      phase = 'running';
      member?.start();
      await Promise.all(parameters.sources.map((source) => source.start(push)));
      const tickMs = parameters.tickIntervalMs ?? 1000;
      if (tickMs > 0) {
        timer = setInterval(() => push({ type: 'tick', observedAtMs: clock.nowMs() }), tickMs);
        timer.unref?.();
      }
      log({ level: 'info', code: 'started', message: `started with ${sinks.length} sinks` });
    },
    async stop() {
      if (phase === 'stopped' || phase === 'stopping') return;
      if (timer) clearInterval(timer);
      const stopping = Promise.allSettled(parameters.sources.map((source) => source.stop()));
      phase = 'stopping';
      for (const result of await stopping) {
        if (result.status === 'rejected') {
          log({ level: 'warn', code: 'source_stop_failed', message: String(result.reason) });
        }
      }
      await inbox?.stop();
      await commits.writesDone();
      await member?.stop();
      await stopLeaderTasks();
      commits.abandonWaiters(new ServiceError('store_unavailable', 'not stored: the service stopped first'));
      outbox.wake();
      await outbox.stopped();
      for (const sink of sinks) {
        await sink
          .close?.()
          .catch((error: Error) =>
            log({ level: 'warn', code: 'sink_close_failed', message: error.message, sink: sink.name }),
          );
      }
      phase = 'stopped';
    },
  };
}
