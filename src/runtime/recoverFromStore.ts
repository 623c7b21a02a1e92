import type { Transition } from '../breaker/levels.ts';
import type { Signal } from '../core/signal.ts';
import type { EngineState } from '../engine/step.ts';
import type { Store } from '../store/store.ts';
import { applyStoredEvent } from './applyStoredEvent.ts';
import type { EngineStates } from './createCommitLoop.ts';
import type { ServiceLogEntry } from './createService.ts';
import { fromEngineSnapshot } from './snapshot/fromEngineSnapshot.ts';
import { ENGINE_SNAPSHOT_VERSION } from './snapshot/toEngineSnapshot.ts';
import { toStoreTransitions } from './toStoreTransitions.ts';

export type RecoverFromStoreParameters = {
  store: Store;
  engines: EngineStates;
  configHash: string;
  sinkNames: readonly string[];
  /** Events read per batch. */
  batchSize: number;
  /** Signals and transitions to read back for the in-memory history. */
  historyLimit: number;
  /** Whether snapshots are used (false: always the full log). */
  useSnapshots: boolean;
  log: (entry: ServiceLogEntry) => void;
};

export type RecoverFromStoreReturnType = {
  /** Sequence number of the snapshot restored, 0 for none. */
  snapshotSeq: number;
  /** Events replayed after it. */
  replayedEvents: number;
  /** Sequence number of the last event the engine states have applied. */
  lastSeq: number;
  recentSignals: Signal[];
  recentTransitions: Transition[];
};

/**
 * Rebuilds both engine states from the store: the newest snapshot of this format and engine
 * configuration, if there is one and it checks out, then every event after it through the engine's
 * reducer. A snapshot that is missing, corrupt, of another version or of another configuration is
 * skipped with one log line (`snapshot_skipped`) and the whole log is replayed: never a wrong
 * state. The replayed transitions and every stored transition are enqueued for every sink (a no-op
 * for rows that exist: a sink added later gets the history); a replayed transition that differs from
 * the stored one is logged (`replay_diverged`), not enqueued. The recent signals and transitions
 * are read back from the store.
 */
export async function recoverFromStore(
  parameters: RecoverFromStoreParameters,
): Promise<RecoverFromStoreReturnType> {
  const { store, engines, log } = parameters;
  let snapshotSeq = 0;
  if (parameters.useSnapshots) {
    const restored = await restoreSnapshot(parameters);
    if (restored) {
      snapshotSeq = restored.seq;
      engines.live = restored.restore();
      engines.committed = restored.restore();
    }
  }
  let replayedEvents = 0;
  let lastSeq = snapshotSeq;
  for await (const batch of store.readEvents({ afterSeq: snapshotSeq, batchSize: parameters.batchSize })) {
    const transitions: Transition[] = [];
    for (const stored of batch) {
      lastSeq = stored.seq;
      const out = applyStoredEvent([engines.live, engines.committed], stored, log);
      if (!out) continue;
      if (out.transitions.length > 0) transitions.push(...toStoreTransitions(store.id, out.transitions));
    }
    replayedEvents += batch.length;
    if (transitions.length > 0 && parameters.sinkNames.length > 0) {
      const result = await store.enqueueTransitions({
        transitions,
        sinks: parameters.sinkNames,
        nowMs: Date.now(),
      });
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
  if (parameters.sinkNames.length > 0) {
    const stored = await store.listTransitions();
    if (stored.length > 0)
      await store.enqueueTransitions({ transitions: stored, sinks: parameters.sinkNames, nowMs: Date.now() });
  }
  const limit = parameters.historyLimit;
  const recentSignals = (await store.listSignals({ limit })).map((s) => s.signal);
  const recentTransitions = await store.listTransitions({ limit });
  return { snapshotSeq, replayedEvents, lastSeq, recentSignals, recentTransitions };
}

async function restoreSnapshot(
  parameters: RecoverFromStoreParameters,
): Promise<{ seq: number; restore: () => EngineState } | undefined> {
  const { store, log } = parameters;
  const skip = (message: string, seq?: number, level: ServiceLogEntry['level'] = 'warn') => {
    log({
      level,
      code: 'snapshot_skipped',
      message: `${message}: replaying the whole event log`,
      ...(seq === undefined ? {} : { seq }),
    });
    return undefined;
  };
  const snapshots = await store.listSnapshots();
  const newest = snapshots[0];
  if (newest === undefined) {
    // Not a fault: a store younger than the first snapshot.
    if ((await store.lastSeq()) > 0) return skip('no snapshot stored', undefined, 'info');
    return undefined;
  }
  const lastSeq = await store.lastSeq();
  const candidate = snapshots.find(
    (s) =>
      s.formatVersion === ENGINE_SNAPSHOT_VERSION &&
      s.configHash === parameters.configHash &&
      s.seq <= lastSeq,
  );
  const stored = candidate === undefined ? undefined : await store.readSnapshot(candidate.seq);
  if (candidate === undefined || stored === undefined) {
    const checked = fromEngineSnapshot({ ...newest, body: new Uint8Array() }, parameters.configHash);
    return skip(
      `the newest snapshot (seq ${newest.seq}) cannot be used: ${checked.ok ? 'it is gone' : checked.reason}`,
      newest.seq,
    );
  }
  const decoded = fromEngineSnapshot(stored, parameters.configHash);
  if (!decoded.ok)
    return skip(`the snapshot at seq ${stored.seq} cannot be used: ${decoded.reason}`, stored.seq);
  log({
    level: 'info',
    code: 'snapshot_restored',
    message: `restored the engine from the snapshot at seq ${stored.seq} (${stored.bytes} bytes)`,
    seq: stored.seq,
  });
  return { seq: stored.seq, restore: decoded.restore };
}
