import type { Command } from 'commander';
import { toJson } from '../../core/json.ts';
import { toPrintable } from '../../core/toPrintable.ts';
import { type ClusterStatus, toClusterStatus } from '../../runtime/cluster/toClusterStatus.ts';
import type { OutboxCounts, Store } from '../../store/store.ts';
import { toStoreDisplay } from '../../store/toStoreTarget.ts';
import { usageError } from '../errors.ts';
import type { Output } from '../output.ts';
import { openCliStore, STORE_OPTION_HELP, toCliStoreTarget } from '../storeOptions.ts';

/** What `store status --json` prints. */
export type StoreStatus = {
  /** Events stored, and the sequence number of the last one. */
  events: number;
  lastSeq: number;
  /** The newest snapshot: the last event it covers, when it was made (ms since the epoch), its size. */
  snapshot: { seq: number; atMs: number; bytes: number } | null;
  /** Outbox rows per sink and status. */
  outbox: Record<string, OutboxCounts>;
  migrations: Array<{ version: number; name: string; appliedAtMs: number }>;
  /** PostgreSQL: the cluster as in `GET /api/cluster` (`lease`: holder, epoch, valid, ageMs,
   * expiresInMs; `instances`: instance, role, location, epoch, ageMs, of the last minute;
   * `locations`: location, instances, observations, lastObservedAtMs, lastStoredAgeMs). Null for
   * SQLite and memory, which hold one guard. */
  cluster: Omit<ClusterStatus, 'clustered'> | null;
};

/** Reads the {@link StoreStatus} of an open store. */
export async function toStoreStatus(store: Store): Promise<StoreStatus> {
  const [events, lastSeq, snapshots, outbox, migrations] = await Promise.all([
    store.countEvents(),
    store.lastSeq(),
    store.listSnapshots(),
    store.countActionsBySink(),
    store.migrations(),
  ]);
  // The cluster tables come with migration 2 (a store written by an older version has none).
  const cluster = migrations.some((m) => m.version === 2) ? await toClusterStatus(store) : undefined;
  const newest = snapshots[0];
  return {
    events,
    lastSeq,
    snapshot: newest === undefined ? null : { seq: newest.seq, atMs: newest.atMs, bytes: newest.bytes },
    outbox,
    migrations,
    cluster: cluster?.clustered
      ? { lease: cluster.lease, instances: cluster.instances, locations: cluster.locations }
      : null,
  };
}

/**
 * `store status`: what a store holds: events and the last sequence number, the newest engine
 * snapshot (seq, age, size), outbox rows per sink and status, the applied migrations, and on
 * PostgreSQL the cluster: the leader, its epoch and lease age, the instances and each location's
 * last observation. A
 * PostgreSQL store is read beside a running guard (no lock taken); a SQLite store is held by its
 * guard, so read it while the guard is stopped.
 */
export function registerStore(program: Command, output: Output): void {
  const store = program
    .command('store')
    .description('Inspect a store (events, snapshots, outbox, migrations)');
  store
    .command('status')
    .description(
      'What a store holds: events, the newest snapshot, the outbox per sink, migrations; on PostgreSQL the cluster (leader, epoch, lease age, instances, locations)',
    )
    .option('--store <url>', STORE_OPTION_HELP)
    .option('--data-dir <dir>', 'SQLite in this data directory (the same as --store DIR)')
    .option('--json', 'one JSON object: events, lastSeq, snapshot, outbox, migrations, cluster')
    .exitOverride()
    .configureOutput({ writeOut: output.out, writeErr: output.err })
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  consensus-guard store status --store /var/lib/consensus-guard\n' +
        '  PGPASSWORD=... consensus-guard store status --store postgres://guard@db.internal:5432/guard --json',
    )
    .action(async (options: { store?: string; dataDir?: string; json?: boolean }) => {
      if (options.store === undefined && options.dataDir === undefined)
        throw usageError('store status needs --store URL (or --data-dir DIR)');
      const target = toCliStoreTarget(options, undefined, { kind: 'memory' });
      const opened = await openCliStore(target, { readOnly: true });
      let status: StoreStatus;
      try {
        status = await toStoreStatus(opened);
      } finally {
        await opened.close();
      }
      if (options.json) {
        output.out(`${toPrintable(toJson(status))}\n`);
        return;
      }
      output.out(formatStoreStatus(toStoreDisplay(target), status, Date.now()));
    });
}

function formatStoreStatus(where: string, status: StoreStatus, nowMs: number): string {
  const lines = [`store ${where}`, `events: ${status.events} (last seq ${status.lastSeq})`];
  const snapshot = status.snapshot;
  lines.push(
    snapshot === null
      ? 'snapshot: none (a restart replays the whole log)'
      : `snapshot: seq ${snapshot.seq} (${status.lastSeq - snapshot.seq} events after it), ${formatAge(nowMs - snapshot.atMs)} old, ${snapshot.bytes} bytes`,
  );
  const sinks = Object.entries(status.outbox);
  if (sinks.length === 0) lines.push('outbox: empty');
  for (const [sink, counts] of sinks) {
    lines.push(
      `outbox ${sink}: ${counts.pending} pending, ${counts.delivered} delivered, ${counts.failed} failed`,
    );
  }
  lines.push(...formatCluster(status.cluster));
  lines.push(
    `migrations: ${status.migrations.map((m) => `${m.version} (${m.name}, ${new Date(m.appliedAtMs).toISOString()})`).join('; ')}`,
  );
  return `${lines.map(toPrintable).join('\n')}\n`;
}

function formatCluster(cluster: StoreStatus['cluster']): string[] {
  if (cluster === null) return [];
  const lease = cluster.lease;
  const lines = [
    lease === null || lease.holder === null
      ? 'leader: none (the lease was never taken)'
      : `leader: ${lease.holder} at epoch ${lease.epoch}, lease renewed ${formatSeconds(lease.ageMs)} ago${lease.valid ? '' : ' (expired: no leader now)'}`,
  ];
  if (cluster.instances.length === 0) lines.push('instances: none in the last minute');
  for (const i of cluster.instances) {
    lines.push(
      `instance ${i.instance}: ${i.role}${i.location === null ? '' : ` at ${i.location}`}${i.epoch === null ? '' : ` (epoch ${i.epoch})`}, seen ${formatSeconds(i.ageMs)} ago`,
    );
  }
  for (const l of cluster.locations) {
    lines.push(
      `location ${l.location}: ${l.observations} observations from ${l.instances.join(', ')}, last observed ${new Date(l.lastObservedAtMs).toISOString()}, stored ${formatSeconds(l.lastStoredAgeMs)} ago`,
    );
  }
  return lines;
}

function formatSeconds(ms: number | null): string {
  return ms === null ? '?' : `${(ms / 1000).toFixed(1)} s`;
}

function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}
