import type { InstanceInfo, LeaseInfo, LocationInfo } from '../../store/clusterStore.ts';
import type { Store } from '../../store/store.ts';

/** The cluster as its store sees it: `GET /api/cluster`, `store status`. */
export type ClusterStatus = {
  /** Whether the store holds a cluster (PostgreSQL); false: one guard, always the leader. */
  clustered: boolean;
  /** The lease: its holder (the leader while `valid`), epoch and age; null without a cluster. */
  lease: LeaseInfo | null;
  /** Members that sent a heartbeat within the last minute, by name. */
  instances: InstanceInfo[];
  /** Each location's observations in the inbox and the newest of them. */
  locations: LocationInfo[];
};

/** Reads the {@link ClusterStatus} of a store (a few queries; every age on the database's clock). */
export async function toClusterStatus(store: Store): Promise<ClusterStatus> {
  const cluster = store.cluster;
  if (cluster === undefined) return { clustered: false, lease: null, instances: [], locations: [] };
  const [lease, instances, locations] = await Promise.all([
    cluster.readLease(),
    cluster.listInstances(),
    cluster.locations(),
  ]);
  return { clustered: true, lease, instances, locations };
}
