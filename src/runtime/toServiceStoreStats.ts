import type { ServiceStats } from './serviceStats.ts';
import type { ServiceStoreStats } from './serviceView.ts';

/** What the API and the metrics read of the store from the service's counters. */
export function toServiceStoreStats(stats: ServiceStats): ServiceStoreStats {
  return {
    pendingEvents: stats.pendingEvents,
    maxPendingEvents: stats.maxPendingEvents,
    droppedObservations: stats.droppedObservations,
    storeWriteFailures: stats.storeWriteFailures,
    failedDeliveries: stats.failedAttempts,
  };
}
