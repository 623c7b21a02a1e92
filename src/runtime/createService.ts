import type { Level, Transition } from '../breaker/levels.ts';
import type { Observation } from '../core/observation.ts';
import type { Signal } from '../core/signal.ts';
import { toPrintable } from '../core/toPrintable.ts';
import type { EngineConfig } from '../engine/config.ts';
import { createEngineState, type EngineState } from '../engine/step.ts';
import type { Sink } from '../sinks/sink.ts';
import { parseObservation } from '../sources/replay/parseObservation.ts';
import { toObservationLine } from '../sources/replay/toObservationLine.ts';
import { type Clock, type Source, systemClock } from '../sources/source.ts';
import type { BreakerCommand, EventEntry, EventRecord, OutboxAction, Store } from '../store/store.ts';
import { applyEvent } from './applyEvent.ts';
import { ServiceError } from './serviceError.ts';
import type { ServiceEvent, ServiceView } from './serviceView.ts';
import { toStoreTransitions } from './toStoreTransitions.ts';

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

export type ServiceLogEntry = {
  level: 'info' | 'warn' | 'error';
  /** Machine-readable event code, e.g. `delivery_failed`, `store_write_failed`. */
  code: string;
  message: string;
  [field: string]: unknown;
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
  /** Structured log lines. Default: warnings and errors as JSON lines on stderr. */
  log?: (entry: ServiceLogEntry) => void;
  /** Called with each live observation once the engine has stepped it (e.g. metrics). */
  onObservation?: (observation: Observation) => void;
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
};

export type ServiceStats = {
  /** Events replayed from the store at start, and how long the replay took. */
  replayedEvents: number;
  replayMs: number;
  /** Events committed since start. */
  committedEvents: number;
  /** Events waiting to be committed. */
  pendingEvents: number;
  deliveries: number;
  failedAttempts: number;
  storeWriteFailures: number;
  /** Observations dropped because the in-memory buffer of uncommitted events was full. */
  droppedObservations: number;
};

export type Service = ServiceView & {
  /** Replays the event log into the engine, starts the outbox, then the sources and ticks. */
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

const WRITE_BATCH = 1000;

/**
 * The durable guard: the engine between sources and sinks, with every input in the store.
 *
 * - Start: the stored event log is replayed through the same reducer (batched reads); the
 *   transitions it yields are enqueued again for every sink, a no-op for those already enqueued
 *   (unique on sink and idempotency key), so the breakers resume at their levels and a
 *   transition committed just before a crash still reaches every sink.
 * - Live: each observation (and each manual override or resume) is stepped and appended to the
 *   event log in one transaction with its signals, its transitions and one outbox row per
 *   transition and sink (group commit: what arrives during a commit goes into the next one).
 *   Nothing leaves the process (listeners, sinks) before that commit.
 * - Outbox: one dispatcher per sink delivers, per breaker, the pending action of lowest sequence
 *   number, and the next only after it: in order per breaker and sink. A failure is retried with
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
  const log = parameters.log ?? defaultLog;
  const retry = {
    baseMs: parameters.retry?.baseMs ?? 500,
    maxMs: parameters.retry?.maxMs ?? 60_000,
    maxAttempts: parameters.retry?.maxAttempts,
    random: parameters.retry?.random ?? Math.random,
  };
  if (new Set(sinkNames).size !== sinkNames.length) {
    throw new ServiceError('duplicate_sink', `sink names must be unique: ${sinkNames.join(', ')}`);
  }

  const commitTimeoutMs = parameters.commitTimeoutMs ?? 5000;
  const maxPendingEvents = parameters.maxPendingEvents ?? 100_000;
  // Two states of one deterministic engine. `state` steps every input as it arrives: the guard's
  // decisions and the transitions stored with each input. `committed` steps the same inputs in the
  // same order once the store has committed them: what the API reads. They differ only while
  // inputs wait for a commit (a few ms, or as long as the store cannot write).
  const state: EngineState = createEngineState(parameters.engine);
  const committed: EngineState = createEngineState(parameters.engine);
  const recentSignals: Signal[] = [];
  const recentTransitions: Transition[] = [];
  const listeners = new Set<(event: ServiceEvent) => void>();
  const stats: ServiceStats = {
    replayedEvents: 0,
    replayMs: 0,
    committedEvents: 0,
    pendingEvents: 0,
    deliveries: 0,
    failedAttempts: 0,
    storeWriteFailures: 0,
    droppedObservations: 0,
  };

  let phase: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  let timer: ReturnType<typeof setInterval> | undefined;
  let pending: EventEntry[] = [];
  let writing: Promise<void> | undefined;
  /** Set while the store cannot write: since when and why. */
  let storeFailure: { sinceMs: number; message: string } | undefined;
  /** Whether this failure's first dropped observation was logged. */
  let bufferFullLogged = false;
  /** Events taken and committed since start; a flush waits for `committedCount >= target`. */
  let takenCount = 0;
  let committedCount = 0;
  const commitWaiters = new Set<{ target: number; settle: (error?: Error) => void }>();
  const dispatchers: Array<Promise<void>> = [];
  const wakers = new Map<string, () => void>();
  const drainWaiters = new Set<() => void>();

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

  const take = (event: EventRecord): readonly Transition[] => {
    let out: ReturnType<typeof applyEvent>;
    try {
      out = applyEvent(state, event);
    } catch (error) {
      // A command on an unknown breaker is the caller's to hear; an observation that throws is
      // logged and not stored, so no restart ever replays it.
      if (event.type !== 'observation') throw error;
      log({ level: 'error', code: 'observation_failed', message: (error as Error).message });
      return [];
    }
    const transitions = toStoreTransitions(store.id, out.transitions);
    pending.push({ event, signals: out.signals, transitions });
    takenCount += 1;
    stats.pendingEvents = pending.length;
    writing ??= writeLoop();
    return transitions;
  };

  const writeLoop = async (): Promise<void> => {
    let delayMs = 100;
    while (pending.length > 0) {
      const batch = pending.slice(0, WRITE_BATCH);
      try {
        await store.appendEvents({ entries: batch, sinks: sinkNames, nowMs: Date.now() });
      } catch (error) {
        stats.storeWriteFailures += 1;
        storeFailure ??= { sinceMs: Date.now(), message: (error as Error).message };
        const lost = phase === 'stopping' || phase === 'stopped';
        log({
          level: 'error',
          code: (error as { code?: string }).code ?? 'store_write_failed',
          message: `${lost ? 'events not stored, dropped at stop' : `events not stored yet (${pending.length} waiting), retrying`}: ${(error as Error).message}`,
          events: lost ? pending.length : batch.length,
        });
        if (lost) {
          pending = [];
          stats.pendingEvents = 0;
          settleWaiters(
            new ServiceError(
              'store_unavailable',
              'not stored: the service stopped while the store could not write',
            ),
          );
          continue;
        }
        await sleep(delayMs);
        delayMs = Math.min(delayMs * 2, 5000);
        continue;
      }
      delayMs = 100;
      if (storeFailure) {
        log({
          level: 'warn',
          code: 'store_recovered',
          message: `the store writes again after ${Date.now() - storeFailure.sinceMs} ms; ${pending.length} waiting events are being committed in order${stats.droppedObservations > 0 ? `; ${stats.droppedObservations} observations were dropped in all (buffer full)` : ''}`,
          pendingEvents: pending.length,
          droppedObservations: stats.droppedObservations,
        });
        storeFailure = undefined;
        bufferFullLogged = false;
      }
      pending = pending.slice(batch.length);
      stats.pendingEvents = pending.length;
      stats.committedEvents += batch.length;
      committedCount += batch.length;
      for (const entry of batch) {
        try {
          applyEvent(committed, entry.event);
        } catch (error) {
          log({ level: 'error', code: 'committed_event_failed', message: (error as Error).message });
        }
      }
      settleWaiters();
      let transitions = 0;
      for (const entry of batch) {
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
      if (transitions > 0) for (const wake of wakers.values()) wake();
    }
    writing = undefined;
  };

  /** Resolves the flushes whose events are all committed; with `error`, rejects the others. */
  const settleWaiters = (error?: Error) => {
    for (const waiter of commitWaiters) {
      if (waiter.target <= committedCount) waiter.settle();
      else if (error) waiter.settle(error);
    }
  };

  /** Waits for the write loop to end, however long the store takes (stop, drained). */
  const writesDone = async (): Promise<void> => {
    while (writing) await writing;
  };

  const flush = (options: { timeoutMs?: number } = {}): Promise<void> => {
    const target = takenCount;
    if (committedCount >= target) return Promise.resolve();
    const timeoutMs = options.timeoutMs ?? commitTimeoutMs;
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        target,
        settle: (error?: Error) => {
          clearTimeout(handle);
          commitWaiters.delete(waiter);
          if (error) reject(error);
          else resolve();
        },
      };
      const handle = setTimeout(
        () =>
          waiter.settle(
            new ServiceError(
              'store_unavailable',
              `not stored within ${timeoutMs} ms (${storeFailure ? `the store cannot write: ${storeFailure.message}` : 'the store is slow'}); it stays queued and takes effect once it is stored: check GET /api/breakers before repeating it`,
            ),
          ),
        timeoutMs,
      );
      commitWaiters.add(waiter);
    });
  };

  const replay = async (): Promise<void> => {
    const startedMs = performance.now();
    let events = 0;
    for await (const batch of store.readEvents({ batchSize: parameters.replayBatchSize ?? 10_000 })) {
      const transitions: Transition[] = [];
      for (const stored of batch) {
        let out: ReturnType<typeof applyEvent>;
        try {
          out = applyEvent(state, stored);
          applyEvent(committed, stored);
        } catch (error) {
          log({
            level: 'warn',
            code: 'replay_event_skipped',
            message: (error as Error).message,
            seq: stored.seq,
          });
          continue;
        }
        for (const signal of out.signals) remember(recentSignals, signal);
        for (const transition of toStoreTransitions(store.id, out.transitions)) {
          transitions.push(transition);
          remember(recentTransitions, transition);
        }
      }
      events += batch.length;
      if (transitions.length > 0 && sinkNames.length > 0) {
        const result = await store.enqueueTransitions({ transitions, sinks: sinkNames, nowMs: Date.now() });
        if (result.conflicts.length > 0) {
          log({
            level: 'warn',
            code: 'replay_diverged',
            message: `the event log replays to transitions that differ from the stored ones (was the engine configuration changed?): ${result.conflicts
              .slice(0, 3)
              .map((t) => t.idempotencyKey)
              .join(', ')}`,
            conflicts: result.conflicts.length,
          });
        }
      }
    }
    stats.replayedEvents = events;
    stats.replayMs = performance.now() - startedMs;
    log({
      level: 'info',
      code: 'replayed',
      message: `replayed ${events} events in ${Math.round(stats.replayMs)} ms`,
      events,
      replayMs: stats.replayMs,
    });
  };

  const backoffMs = (attempts: number): number => {
    const ceiling = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.max(0, attempts - 1));
    return ceiling / 2 + retry.random() * (ceiling / 2);
  };

  const attempt = async (sink: Sink, action: OutboxAction): Promise<void> => {
    try {
      await sink.deliver(action.transition);
    } catch (error) {
      stats.failedAttempts += 1;
      const attempts = action.attempts + 1;
      const final = retry.maxAttempts !== undefined && attempts >= retry.maxAttempts;
      const message = (error as Error).message ?? String(error);
      log({
        level: final ? 'error' : 'warn',
        code: final ? 'delivery_abandoned' : 'delivery_failed',
        message: `${sink.name}: ${action.transition.idempotencyKey}: ${message}`,
        sink: sink.name,
        idempotencyKey: action.transition.idempotencyKey,
        attempts,
      });
      const failure = { error: message, nextAttemptAtMs: Date.now() + backoffMs(attempts), final };
      await store
        .markAttemptFailed(action.id, failure)
        .catch((storeError: Error) =>
          log({ level: 'error', code: 'store_write_failed', message: storeError.message, sink: sink.name }),
        );
      return;
    }
    stats.deliveries += 1;
    await store.markDelivered(action.id, Date.now()).catch((storeError: Error) =>
      log({
        level: 'error',
        code: 'store_write_failed',
        message: `${sink.name}: delivered ${action.transition.idempotencyKey} but could not mark it (it will be delivered again): ${storeError.message}`,
      }),
    );
  };

  const dispatch = async (sink: Sink): Promise<void> => {
    while (phase === 'running' || phase === 'starting') {
      let heads: OutboxAction[];
      try {
        heads = await store.headActions(sink.name);
      } catch (error) {
        log({
          level: 'error',
          code: 'store_read_failed',
          message: (error as Error).message,
          sink: sink.name,
        });
        await wait(sink.name, 1000);
        continue;
      }
      const now = Date.now();
      const due = heads.filter((h) => h.nextAttemptAtMs <= now);
      if (due.length === 0) {
        if (heads.length === 0) for (const resolve of drainWaiters) resolve();
        const next = heads.reduce((min, h) => Math.min(min, h.nextAttemptAtMs), Number.POSITIVE_INFINITY);
        await wait(sink.name, Math.min(next - now, 60_000));
        continue;
      }
      await Promise.all(due.map((action) => attempt(sink, action)));
    }
  };

  const wait = (sinkName: string, ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = () => {
        clearTimeout(handle);
        wakers.delete(sinkName);
        resolve();
      };
      const handle = setTimeout(done, Math.max(0, ms));
      wakers.set(sinkName, done);
    });

  const drained = async (): Promise<void> => {
    await writesDone();
    while (true) {
      let busy = false;
      for (const sink of sinks) {
        const heads = await store.headActions(sink.name);
        if (heads.length > 0) busy = true;
      }
      if (!busy) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          drainWaiters.delete(done);
          clearTimeout(handle);
          resolve();
        };
        const handle = setTimeout(done, 200);
        drainWaiters.add(done);
      });
    }
  };

  const push = (observation: Observation): void => {
    if (phase !== 'running') return;
    if (pending.length >= maxPendingEvents) {
      dropObservation();
      return;
    }
    const line = toObservationLine(observation);
    const parsed = parseObservation(line, state.observations + 1);
    if (!parsed.ok) {
      log({ level: 'warn', code: 'observation_dropped', message: parsed.error.message });
      return;
    }
    try {
      take({ type: 'observation', observation: parsed.observation });
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

  /** An observation past the buffer's bound: not stepped (the log stays a replay of what the engine
   * saw), counted, and logged at the first drop and every 10000th after it. */
  const dropObservation = () => {
    stats.droppedObservations += 1;
    if (bufferFullLogged && stats.droppedObservations % 10_000 !== 0) return;
    bufferFullLogged = true;
    log({
      level: 'error',
      code: 'observations_dropped',
      message: `the store cannot write and ${pending.length} events wait for it (the bound, maxPendingEvents): observations are dropped, not stepped, until it writes again (${stats.droppedObservations} so far)`,
      droppedObservations: stats.droppedObservations,
    });
  };

  const notReadyReason = (): string | undefined => {
    if (phase === 'new' || phase === 'starting') return 'store or sources still starting';
    if (phase !== 'running') return 'the service is stopping';
    if (storeFailure) {
      return `the store cannot write since ${new Date(storeFailure.sinceMs).toISOString()} (${pending.length} events waiting): ${storeFailure.message}`;
    }
    return undefined;
  };

  /** A command is taken only while the service runs and the store writes: a command that cannot be
   * stored is refused at once rather than applied and answered late. */
  const assertRunning = () => {
    if (phase !== 'running') throw new ServiceError('not_started', 'the service is not running');
    if (storeFailure || pending.length >= maxPendingEvents) {
      throw new ServiceError(
        'store_unavailable',
        `the command was not taken: ${notReadyReason() ?? 'the store cannot write'}; retry once /readyz answers 200`,
      );
    }
  };

  return {
    engine: () => committed,
    ready: () => notReadyReason() === undefined,
    notReadyReason,
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
    override(breaker: string, level: Level, actor: string, reason: string) {
      assertRunning();
      const transitions = take({
        type: 'command',
        command: { type: 'override', breaker, level, actor, reason, atMs: clock.nowMs() },
      });
      return transitions[0];
    },
    resume(breaker: string, actor: string, reason: string) {
      assertRunning();
      take({ type: 'command', command: { type: 'resume', breaker, actor, reason, atMs: clock.nowMs() } });
    },
    setCondition(input) {
      assertRunning();
      const { key, cause, level, actor, reason } = input;
      const targets = new Set<string>();
      if (input.chains === undefined) {
        for (const breaker of state.breakers.values())
          if (breaker.external?.has(key)) targets.add(breaker.name);
      } else {
        for (const chain of input.chains) {
          for (const breaker of state.breakersOfChain.get(chain) ?? []) targets.add(breaker.name);
        }
      }
      const out: Transition[] = [];
      for (const name of targets) {
        const current = state.breakers.get(name)?.external?.get(key);
        if (level === undefined ? current === undefined : current?.level === level) continue;
        const command: BreakerCommand = {
          type: 'condition',
          breaker: name,
          key,
          cause,
          actor,
          reason,
          atMs: clock.nowMs(),
        };
        if (level !== undefined) command.level = level;
        out.push(...take({ type: 'command', command }));
      }
      return out;
    },
    push,
    flush,
    drained,
    stats: () => ({ ...stats }),
    async start() {
      if (phase !== 'new') throw new ServiceError('already_started', 'start() may be called once');
      phase = 'starting';
      await replay();
      for (const sink of sinks) dispatchers.push(dispatch(sink));
      phase = 'running';
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
      await writesDone();
      settleWaiters(new ServiceError('store_unavailable', 'not stored: the service stopped first'));
      for (const wake of wakers.values()) wake();
      await Promise.all(dispatchers);
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function defaultLog(entry: ServiceLogEntry): void {
  if (entry.level === 'info') return;
  process.stderr.write(`${toPrintable(JSON.stringify({ time: new Date().toISOString(), ...entry }))}\n`);
}
