import type { ServiceStats } from './serviceStats.ts';

/** The counters of a service that has not started: every one at zero, and the buffer's bound. */
export function createServiceStats(maxPendingEvents: number): ServiceStats {
  return {
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
}
