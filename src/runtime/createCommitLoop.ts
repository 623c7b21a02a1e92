import type { Transition } from '../breaker/levels.ts';
import { applyEvent } from '../engine/applyEvent.ts';
import type { EngineState } from '../engine/step.ts';
import type { EventEntry, EventRecord, SnapshotInput, Store } from '../store/store.ts';
import type { ServiceLogEntry } from './createService.ts';
import { ServiceError } from './serviceError.ts';
import { decodeGraph } from './snapshot/decodeGraph.ts';
import { encodeGraph } from './snapshot/encodeGraph.ts';
import { toEngineSnapshot } from './snapshot/toEngineSnapshot.ts';
import { toStoreTransitions } from './toStoreTransitions.ts';

/** When the service writes an engine snapshot (with the commit that reaches the bound). */
export type SnapshotPolicy = {
  /** Events committed since the last snapshot. Default 10000. */
  everyEvents?: number;
  /** Time since the last snapshot, ms (with at least one new event). Default 60000. */
  everyMs?: number;
};

/** The two states of the one engine: `live` steps every input as it arrives; `committed` the same
 * inputs once stored (what the API reads). Recovery replaces both. */
export type EngineStates = { live: EngineState; committed: EngineState };

export type CommitLoopCounters = {
  committedEvents: number;
  pendingEvents: number;
  storeWriteFailures: number;
  droppedObservations: number;
  snapshots: number;
  snapshotFailures: number;
};

export type CreateCommitLoopParameters = {
  store: Store;
  sinkNames: readonly string[];
  engines: EngineStates;
  counters: CommitLoopCounters;
  log: (entry: ServiceLogEntry) => void;
  commitTimeoutMs: number;
  maxPendingEvents: number;
  /** Snapshots with commits; `false` for none. */
  snapshots: Required<SnapshotPolicy> | false;
  configHash: string;
  /** True once the service stops: a failed write is then dropped rather than retried. */
  isStopping: () => boolean;
  /** Called after each commit with what it stored, in order, and the seq of its last event. */
  onCommitted: (entries: readonly EventEntry[], lastSeq: number) => void;
  /** A commit was refused by the fence (`store_fenced`: a cluster member that is no longer the
   * leader). What waits is dropped: the new leader decides from the stored log. */
  onFenced?: (error: Error) => void;
  /** Called after each successful commit with its duration (ms) and number of events (metrics). */
  onWrite?: (durationMs: number, events: number) => void;
};

export type CommitLoop = {
  /** Steps `event` on the live state and queues it for the next commit; returns its transitions
   * (keys prefixed with the store id). Throws what the reducer throws. */
  take(event: EventRecord, inboxSeq?: number): readonly Transition[];
  /** Drops every input not committed yet (a leader that steps down); the live state is the
   * caller's to reset. */
  discard(error: Error): void;
  /** Resolves once everything taken so far is committed; rejects with `store_unavailable`. */
  flush(options?: { timeoutMs?: number }): Promise<void>;
  /** Waits for the write loop to end, however long the store takes. */
  writesDone(): Promise<void>;
  /** Rejects every waiting flush (at stop). */
  abandonWaiters(error: Error): void;
  /** Since when and why the store cannot write, or undefined. */
  failure(): { sinceMs: number; message: string } | undefined;
  /** Whether the buffer of uncommitted events is at its bound. */
  isFull(): boolean;
  /** Counts and logs an observation dropped because the buffer is full. */
  dropObservation(): void;
  /** Restarts the snapshot counters after recovery: `eventsSince` events are not covered yet. */
  resetSnapshotClock(eventsSince: number): void;
};

const WRITE_BATCH = 1000;

/**
 * The commit loop: inputs stepped on the live engine wait in order in a bounded buffer and are
 * appended to the store in batches (group commit: what arrives during a commit goes into the next
 * one), each batch in one transaction with its signals, transitions and outbox rows, and, when one
 * is due, an engine snapshot of the state after its last event. A failed commit is retried with
 * backoff (100 ms doubling to 5 s) for as long as it takes; the buffer holds `maxPendingEvents`.
 * After a commit the committed state steps the batch and `onCommitted` publishes it.
 */
export function createCommitLoop(parameters: CreateCommitLoopParameters): CommitLoop {
  const { store, engines, counters, log } = parameters;
  let pending: EventEntry[] = [];
  let writing: Promise<void> | undefined;
  let storeFailure: { sinceMs: number; message: string } | undefined;
  let bufferFullLogged = false;
  let takenCount = 0;
  let committedCount = 0;
  let eventsSinceSnapshot = 0;
  let lastSnapshotAtMs = Date.now();
  const waiters = new Set<{ target: number; settle: (error?: Error) => void }>();

  const settleWaiters = (error?: Error) => {
    for (const waiter of waiters) {
      if (waiter.target <= committedCount) waiter.settle();
      else if (error) waiter.settle(error);
    }
  };

  /** The snapshot to write with `batch`, when one is due: the state after its last event. */
  const snapshotFor = (batch: readonly EventEntry[]): SnapshotInput | undefined => {
    const policy = parameters.snapshots;
    if (policy === false) return undefined;
    const since = eventsSinceSnapshot + batch.length;
    const due = since >= policy.everyEvents || (since > 0 && Date.now() - lastSnapshotAtMs >= policy.everyMs);
    if (!due) return undefined;
    try {
      let state = engines.live;
      if (batch.length < pending.length) {
        // Inputs after the batch are stepped already: step a copy of the committed state instead.
        state = decodeGraph(encodeGraph(engines.committed)) as EngineState;
        for (const entry of batch) applyEvent(state, entry.event);
      }
      return toEngineSnapshot(state, { configHash: parameters.configHash, atMs: Date.now() });
    } catch (error) {
      counters.snapshotFailures += 1;
      log({ level: 'error', code: 'snapshot_failed', message: `no snapshot: ${(error as Error).message}` });
      return undefined;
    }
  };

  const writeLoop = async (): Promise<void> => {
    let delayMs = 100;
    let lastSeq = 0;
    while (pending.length > 0) {
      const batch = pending.slice(0, WRITE_BATCH);
      const snapshot = snapshotFor(batch);
      try {
        const append: Parameters<Store['appendEvents']>[0] = {
          entries: batch,
          sinks: parameters.sinkNames,
          nowMs: Date.now(),
        };
        if (snapshot) append.snapshot = snapshot;
        const startedMs = performance.now();
        lastSeq = (await store.appendEvents(append)).at(-1) ?? lastSeq;
        parameters.onWrite?.(performance.now() - startedMs, batch.length);
      } catch (error) {
        if ((error as { code?: string }).code === 'store_fenced') {
          counters.storeWriteFailures += 1;
          log({
            level: 'warn',
            code: 'store_fenced',
            message: `${pending.length} events not stored and dropped: ${(error as Error).message}`,
            events: pending.length,
          });
          pending = [];
          counters.pendingEvents = 0;
          storeFailure = undefined;
          settleWaiters(new ServiceError('not_leader', `not stored: ${(error as Error).message}`));
          parameters.onFenced?.(error as Error);
          continue;
        }
        counters.storeWriteFailures += 1;
        storeFailure ??= { sinceMs: Date.now(), message: (error as Error).message };
        const lost = parameters.isStopping();
        log({
          level: 'error',
          code: (error as { code?: string }).code ?? 'store_write_failed',
          message: `${lost ? 'events not stored, dropped at stop' : `events not stored yet (${pending.length} waiting), retrying`}: ${(error as Error).message}`,
          events: lost ? pending.length : batch.length,
        });
        if (lost) {
          pending = [];
          counters.pendingEvents = 0;
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
          message: `the store writes again after ${Date.now() - storeFailure.sinceMs} ms; ${pending.length} waiting events are being committed in order${counters.droppedObservations > 0 ? `; ${counters.droppedObservations} observations were dropped in all (buffer full)` : ''}`,
          pendingEvents: pending.length,
          droppedObservations: counters.droppedObservations,
        });
        storeFailure = undefined;
        bufferFullLogged = false;
      }
      if (snapshot) {
        counters.snapshots += 1;
        eventsSinceSnapshot = 0;
        lastSnapshotAtMs = Date.now();
      } else {
        eventsSinceSnapshot += batch.length;
      }
      // A step-down may have dropped what waited (and new inputs may follow): drop the batch only.
      if (pending[0] === batch[0]) pending = pending.slice(batch.length);
      counters.pendingEvents = pending.length;
      counters.committedEvents += batch.length;
      committedCount += batch.length;
      for (const entry of batch) {
        try {
          applyEvent(engines.committed, entry.event);
        } catch (error) {
          log({ level: 'error', code: 'committed_event_failed', message: (error as Error).message });
        }
      }
      settleWaiters();
      parameters.onCommitted(batch, lastSeq);
    }
    writing = undefined;
  };

  return {
    discard(error) {
      // The batch being written, if any, still commits or fails on its own.
      pending = [];
      counters.pendingEvents = 0;
      storeFailure = undefined;
      settleWaiters(error);
    },

    take(event, inboxSeq) {
      let out: ReturnType<typeof applyEvent>;
      try {
        out = applyEvent(engines.live, event);
      } catch (error) {
        // A command on an unknown breaker is the caller's to hear; an observation that throws is
        // logged and not stored, so no restart ever replays it.
        if (event.type !== 'observation') throw error;
        log({ level: 'error', code: 'observation_failed', message: (error as Error).message });
        return [];
      }
      const transitions = toStoreTransitions(store.id, out.transitions);
      pending.push(
        inboxSeq === undefined
          ? { event, signals: out.signals, transitions }
          : { event, signals: out.signals, transitions, inboxSeq },
      );
      takenCount += 1;
      counters.pendingEvents = pending.length;
      writing ??= writeLoop();
      return transitions;
    },

    flush(options = {}) {
      const target = takenCount;
      if (committedCount >= target) return Promise.resolve();
      const timeoutMs = options.timeoutMs ?? parameters.commitTimeoutMs;
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          target,
          settle: (error?: Error) => {
            clearTimeout(handle);
            waiters.delete(waiter);
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
        waiters.add(waiter);
      });
    },

    async writesDone() {
      while (writing) await writing;
    },

    abandonWaiters: (error) => settleWaiters(error),
    failure: () => storeFailure,
    isFull: () => pending.length >= parameters.maxPendingEvents,

    dropObservation() {
      counters.droppedObservations += 1;
      if (bufferFullLogged && counters.droppedObservations % 10_000 !== 0) return;
      bufferFullLogged = true;
      log({
        level: 'error',
        code: 'observations_dropped',
        message: `the store cannot write and ${pending.length} events wait for it (the bound, maxPendingEvents): observations are dropped, not stepped, until it writes again (${counters.droppedObservations} so far)`,
        droppedObservations: counters.droppedObservations,
      });
    },

    resetSnapshotClock(eventsSince) {
      eventsSinceSnapshot = eventsSince;
      lastSnapshotAtMs = Date.now();
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
