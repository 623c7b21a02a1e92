import type { CommitLoop } from './createCommitLoop.ts';
import type { ServiceHistory } from './createServiceHistory.ts';
import { type RecoverFromStoreParameters, recoverFromStore } from './recoverFromStore.ts';
import type { ServiceStats } from './serviceStats.ts';
import { toEngineSnapshot } from './snapshot/toEngineSnapshot.ts';

export type StartFromStoreParameters = RecoverFromStoreParameters & {
  /** `performance.now()` when the start began: `replayMs` counts from it. */
  startedMs: number;
  /** Replayed events from which a snapshot is written at once; undefined for none (no snapshots, or
   * a cluster member, which writes only as leader). */
  snapshotAfterEvents: number | undefined;
  counters: Pick<
    ServiceStats,
    'snapshotSeq' | 'replayedEvents' | 'replayMs' | 'snapshots' | 'snapshotFailures'
  >;
  history: Pick<ServiceHistory, 'restore'>;
  commits: Pick<CommitLoop, 'resetSnapshotClock'>;
};

/**
 * The service's start from its store: both engine states through {@link recoverFromStore}, the
 * history and counters from what it read, a snapshot when a long tail was replayed (a failure is
 * counted and logged, `snapshot_failed`), and one `replayed` log line. Resolves with the sequence
 * number of the last event applied.
 */
export async function startFromStore(parameters: StartFromStoreParameters): Promise<number> {
  const { counters, commits, log, store } = parameters;
  const recovered = await recoverFromStore(parameters);
  parameters.history.restore(recovered.recentSignals, recovered.recentTransitions);
  counters.snapshotSeq = recovered.snapshotSeq;
  counters.replayedEvents = recovered.replayedEvents;
  commits.resetSnapshotClock(recovered.replayedEvents);
  const after = parameters.snapshotAfterEvents;
  if (after !== undefined && recovered.replayedEvents >= after) {
    // A long tail was replayed: a snapshot now spares the next start from it.
    try {
      const snapshot = toEngineSnapshot(parameters.engines.live, {
        configHash: parameters.configHash,
        atMs: Date.now(),
      });
      await store.appendEvents({ entries: [], sinks: parameters.sinkNames, nowMs: Date.now(), snapshot });
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
  counters.replayMs = performance.now() - parameters.startedMs;
  log({
    level: 'info',
    code: 'replayed',
    message: `${recovered.snapshotSeq > 0 ? `restored the snapshot at seq ${recovered.snapshotSeq} and ` : ''}replayed ${recovered.replayedEvents} events in ${Math.round(counters.replayMs)} ms`,
    events: recovered.replayedEvents,
    snapshotSeq: recovered.snapshotSeq,
    replayMs: counters.replayMs,
  });
  return recovered.lastSeq;
}
