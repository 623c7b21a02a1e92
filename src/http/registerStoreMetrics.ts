import { Counter, Gauge, type Registry } from 'prom-client';
import type { ServiceView } from '../runtime/serviceView.ts';
import type { LeaseInfo } from '../store/clusterStore.ts';

const CLUSTER_ROLES = ['leader', 'follower', 'watcher'] as const;
const OUTBOX_STATUSES = ['pending', 'delivered', 'failed'] as const;

/** One read shared by the collectors of one scrape: a read started less than 250 ms ago is reused. */
function scrapeCached<T>(read: () => Promise<T>): { read: () => Promise<T> } {
  let last: { atMs: number; value: Promise<T> } | undefined;
  return {
    read() {
      const nowMs = performance.now();
      if (last === undefined || nowMs - last.atMs > 250) last = { atMs: nowMs, value: read() };
      return last.value;
    },
  };
}

/**
 * Registers the gauges read from the store at scrape time (the cluster's lease, members and
 * locations; the outbox per sink and status) and `metrics_store_read_failures_total`, which counts
 * the reads that failed: a gauge whose read failed has no series in that scrape.
 */
export function registerStoreMetrics(parameters: {
  view: Pick<ServiceView, 'clusterStatus' | 'outboxCounts'>;
  registers: Registry[];
  /** The name prefix of every metric, `consensus_guard_`. */
  prefix: string;
}): void {
  const { view, registers, prefix } = parameters;
  // Store-backed gauges: one read of each source per scrape (shared by the gauges of one scrape).
  const cluster = scrapeCached(async () => (view.clusterStatus ? await view.clusterStatus() : undefined));
  const outbox = scrapeCached(async () => (view.outboxCounts ? await view.outboxCounts() : undefined));
  const storeGauge = <L extends string, T>(
    name: string,
    help: string,
    labelNames: readonly L[],
    read: () => Promise<T | undefined>,
    fill: (value: T, set: (labels: Record<L, string>, value: number) => void) => void,
  ) =>
    new Gauge({
      name: `${prefix}${name}`,
      help,
      labelNames,
      registers,
      async collect() {
        this.reset();
        let value: T | undefined;
        try {
          value = await read();
        } catch {
          return; // counted by metrics_store_read_failures_total
        }
        if (value !== undefined) fill(value, (labels, v) => this.set(labels, v));
      },
    });
  // Labelled by the lease's holder: a gauge without labels would read 0 when there is no lease.
  const leaseGauge = (name: string, help: string, read: (lease: LeaseInfo) => number | null) =>
    storeGauge(name, help, ['leader'], cluster.read, (status, set) => {
      const lease = status.lease;
      const value = lease === null ? null : read(lease);
      if (lease !== null && lease.holder !== null && value !== null) set({ leader: lease.holder }, value);
    });
  leaseGauge(
    'cluster_leader_epoch',
    'Fencing epoch of the lease (raised at each takeover), labelled by its holder.',
    (lease) => lease.epoch,
  );
  leaseGauge(
    'cluster_lease_age_seconds',
    "Time since the leader's last renewal of the lease (database clock), seconds.",
    (lease) => (lease.ageMs === null ? null : lease.ageMs / 1000),
  );
  leaseGauge('cluster_lease_valid', '1 while the lease has not expired, else 0.', (lease) =>
    lease.valid ? 1 : 0,
  );
  storeGauge(
    'cluster_instances',
    'Cluster members that sent a heartbeat within the last minute, by role.',
    ['role'],
    cluster.read,
    (status, set) => {
      if (!status.clustered) return;
      for (const role of CLUSTER_ROLES)
        set({ role }, status.instances.filter((instance) => instance.role === role).length);
    },
  );
  storeGauge(
    'cluster_location_observations',
    'Observations stored in the inbox from each watcher location.',
    ['location'],
    cluster.read,
    (status, set) => {
      for (const location of status.locations) set({ location: location.location }, location.observations);
    },
  );
  storeGauge(
    'cluster_location_last_observation_age_seconds',
    "Time since each location's newest observation was stored (database clock), seconds.",
    ['location'],
    cluster.read,
    (status, set) => {
      for (const location of status.locations)
        set({ location: location.location }, location.lastStoredAgeMs / 1000);
    },
  );
  storeGauge(
    'outbox_actions',
    'Outbox rows (one per transition and sink) per sink and status: pending is the backlog.',
    ['sink', 'status'],
    outbox.read,
    (counts, set) => {
      for (const [sink, byStatus] of Object.entries(counts))
        for (const status of OUTBOX_STATUSES) set({ sink, status }, byStatus[status]);
    },
  );
  // The store-backed gauges leave out what could not be read; this counts it (the same reads).
  new Counter({
    name: `${prefix}metrics_store_read_failures_total`,
    help: 'Reads of the store-backed metrics (cluster, outbox) that failed at a scrape.',
    registers,
    async collect() {
      for (const source of [cluster, outbox]) {
        try {
          await source.read();
        } catch {
          this.inc();
        }
      }
    },
  });
}
