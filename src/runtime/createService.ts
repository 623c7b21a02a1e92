import type { Observation } from '../core/observation.ts';
import { createEngineState } from '../engine/step.ts';
import { silentLogger } from '../log/createLogger.ts';
import { parseObservation } from '../sources/replay/parseObservation.ts';
import { toObservationLine } from '../sources/replay/toObservationLine.ts';
import { systemClock } from '../sources/source.ts';
import type { Fence } from '../store/clusterStore.ts';
import { applyStoredEvent } from './applyStoredEvent.ts';
import { closeSinks } from './closeSinks.ts';
import { type ClusterMember, createClusterMember } from './cluster/createClusterMember.ts';
import { createInboxWriter, type InboxWriter } from './cluster/createInboxWriter.ts';
import { toClusterStatus } from './cluster/toClusterStatus.ts';
import { combineLeaderTasks } from './combineLeaderTasks.ts';
import { createCommands } from './createCommands.ts';
import { createCommitLoop, type EngineStates } from './createCommitLoop.ts';
import { createOutboxDispatcher } from './createOutboxDispatcher.ts';
import { createServiceHistory } from './createServiceHistory.ts';
import type { CreateServiceParameters } from './createServiceParameters.ts';
import { createServiceStats } from './createServiceStats.ts';
import { toServiceLog } from './log/toServiceLog.ts';
import type { Service } from './service.ts';
import { ServiceError } from './serviceError.ts';
import { decodeGraph } from './snapshot/decodeGraph.ts';
import { encodeGraph } from './snapshot/encodeGraph.ts';
import { toEngineConfigHash } from './snapshot/toEngineConfigHash.ts';
import { startFromStore } from './startFromStore.ts';
import { stopSources } from './stopSources.ts';
import { type ServicePhase, toNotReadyReason } from './toNotReadyReason.ts';
import { toServiceStoreStats } from './toServiceStoreStats.ts';
import { toStoreTransitions } from './toStoreTransitions.ts';

export type { ClusterOptions } from './cluster/createClusterMember.ts';
export type { SnapshotPolicy } from './createCommitLoop.ts';
export type { CreateServiceParameters } from './createServiceParameters.ts';
export type { ExternalConditionInput } from './externalConditionInput.ts';
export type { LeaderTask } from './leaderTask.ts';
export type { ServiceLogEntry } from './log/serviceLogEntry.ts';
export type { RetryPolicy } from './retryPolicy.ts';
export type { Service } from './service.ts';
export type { ServiceStats } from './serviceStats.ts';

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
  const log = toServiceLog(
    (parameters.logger ?? silentLogger).child({ component: 'service' }),
    parameters.log,
  );
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
  const history = createServiceHistory({ historyLimit, log });
  const counters = createServiceStats(maxPendingEvents);
  let phase: ServicePhase = 'new';
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
  const leaderTasks = combineLeaderTasks(parameters.leaderTasks ?? [], log);
  let timer: ReturnType<typeof setInterval> | undefined;

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
        for (const signal of entry.signals) history.addSignal(signal);
        for (const transition of entry.transitions) {
          transitions += 1;
          history.addTransition(transition);
        }
      }
      if (transitions > 0) outbox.wake();
    },
  });

  const notReadyReason = () => toNotReadyReason(phase, commits.failure(), counters.pendingEvents);

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
        for (const signal of out.signals) history.addSignal(signal);
        for (const transition of toStoreTransitions(store.id, out.transitions))
          history.addTransition(transition);
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
    void leaderTasks.stop();
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
        onLeading: leaderTasks.start,
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
    appliedSeq = await startFromStore({
      store,
      engines,
      configHash,
      // A cluster member writes only as leader: it enqueues the stored transitions when it leads.
      sinkNames: member === undefined ? sinkNames : [],
      batchSize: parameters.replayBatchSize ?? 10_000,
      historyLimit,
      useSnapshots: snapshots !== false,
      log,
      startedMs,
      snapshotAfterEvents: member === undefined && snapshots !== false ? snapshots.everyEvents : undefined,
      counters,
      history,
      commits,
    });
  };

  return {
    engine: () => engines.committed,
    ready: () => notReadyReason() === undefined,
    notReadyReason,
    storeStats: () => toServiceStoreStats(counters),
    outboxCounts: () => store.countActionsBySink(),
    recentSignals: history.recentSignals,
    transitions: history.transitions,
    subscribe: history.subscribe,
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
        leaderTasks.start();
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
      const stopping = stopSources(parameters.sources, log);
      phase = 'stopping';
      await stopping;
      await inbox?.stop();
      await commits.writesDone();
      await member?.stop();
      await leaderTasks.stop();
      commits.abandonWaiters(new ServiceError('store_unavailable', 'not stored: the service stopped first'));
      outbox.wake();
      await outbox.stopped();
      await closeSinks(sinks, log);
      phase = 'stopped';
    },
  };
}
