import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import {
  type AcceptingReceiver,
  assertClusterLog,
  startAcceptingReceiver,
  toIncidentArgs,
  until,
  waitUntilDrained,
} from '../support/clusterChecks.ts';
import { type ClusterMemberProcess, startClusterMember } from '../support/startClusterMember.ts';
import { type RunningPostgres, startPostgres } from '../support/startPostgres.ts';
import { type StartTcpProxyReturnType, startTcpProxy } from '../support/startTcpProxy.ts';

const SECRET = 'cluster-outage-secret';
/** Lease time of the replicas. */
const LEASE_MS = 2000;

const servers: RunningPostgres[] = [];
const members: ClusterMemberProcess[] = [];
after(async () => {
  for (const m of members) await m.kill('SIGKILL');
  for (const server of servers) await server.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type RunningCluster = {
  replicas: ClusterMemberProcess[];
  watchers: ClusterMemberProcess[];
  receiver: AcceptingReceiver;
  /** The replicas whose latest role is leader. */
  leaders(): ClusterMemberProcess[];
  /** Waits for a leader that has delivered a transition, and returns it. */
  leaderThatDelivered(): Promise<ClusterMemberProcess>;
  /** The incident played to its end by both watchers, then everything taken and delivered. */
  drained(db: pg.Client): Promise<void>;
  stop(): Promise<void>;
};

/** Three replicas delivering to a webhook receiver and two watchers (eu, us) playing a finality
 * incident (transitions from about 11 s to 36 s after they start), on the store at `url`. */
async function startCluster(url: string): Promise<RunningCluster> {
  const spoolDir = await mkdtemp(join(tmpdir(), 'cg-cluster-outage-'));
  const receiver = await startAcceptingReceiver(SECRET);
  const common = toIncidentArgs(url, LEASE_MS, spoolDir);
  const replicas = ['guard-a', 'guard-b', 'guard-c'].map((name) =>
    startClusterMember(name, { ...common, role: 'replica', hookUrl: receiver.url, secret: SECRET }),
  );
  const watchers = [
    startClusterMember('watch-1', { ...common, role: 'watcher', location: 'eu' }),
    startClusterMember('watch-2', { ...common, role: 'watcher', location: 'us' }),
  ];
  const started = [...replicas, ...watchers];
  members.push(...started);
  await until('every member ready', () => started.every((m) => m.reports.some((r) => r.type === 'ready')));
  return {
    replicas,
    watchers,
    receiver,
    leaders: () => replicas.filter((r) => r.role() === 'leader'),
    async leaderThatDelivered() {
      const leader = await until('a leader', () => replicas.find((r) => r.role() === 'leader'));
      await until('a delivered transition', () => receiver.accepted.length > 0);
      return leader;
    },
    async drained(db) {
      await until('the watchers played the incident', () =>
        watchers.every((w) => w.reports.some((r) => r.type === 'played')),
      );
      await waitUntilDrained(db);
      await sleep(500);
    },
    async stop() {
      for (const m of started) await m.kill('SIGTERM');
      members.length = 0;
      await receiver.close();
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
}

const leaderReport = (member: ClusterMemberProcess) =>
  member.reports.filter((r) => r.type === 'role' && r.role === 'leader').at(-1)!;

/** The lease row, checked to name `leader` (valid) at the epoch it reported. */
async function assertLeaseOf(db: pg.Client, leader: ClusterMemberProcess) {
  const lease = (await db.query('SELECT holder, epoch, expires_at > now() AS valid FROM lease')).rows[0] as {
    holder: string;
    epoch: string;
    valid: boolean;
  };
  assert.equal(lease.holder, leader.name);
  assert.equal(lease.valid, true, 'the lease is valid');
  assert.equal(Number(lease.epoch), leaderReport(leader).epoch);
}

describe('a cluster of guards while its database is down or fails over', () => {
  it('behavior: PostgreSQL stopped (immediate) mid-incident, then started again: the leader steps down once its lease lapses, one replica leads after the restart, every transition reaches the receiver once, in order, without a gap', {
    timeout: 240_000,
  }, async () => {
    const server = await startPostgres();
    servers.push(server);
    const url = await server.createDatabase();
    const cluster = await startCluster(url);
    const { leaders, receiver } = cluster;
    let db: pg.Client | undefined;
    try {
      // 1. A leader that has delivered; then the database crashes.
      const first = await cluster.leaderThatDelivered();
      const stoppedAtMs = Date.now();
      await server.pause('immediate');

      // 2. Nobody can renew: the leader steps down once its lease lapses by its own clock.
      const steppedDown = await until('the leader steps down', () =>
        first.reports.find(
          (r) => r.type === 'role' && r.role === 'follower' && (r.receivedAtMs as number) >= stoppedAtMs,
        ),
      );
      process.stdout.write(
        `# the leader stepped down ${(steppedDown.atMs as number) - stoppedAtMs} ms after the database stopped (lease ${LEASE_MS} ms)\n`,
      );
      assert.deepEqual(leaders(), [], 'no replica leads while the database is down');
      await sleep(2 * LEASE_MS);
      assert.deepEqual(leaders(), [], 'still none');

      // 3. The database is back: exactly one replica leads, and the lease row names it.
      const restartedAtMs = Date.now();
      await server.resume();
      const next = await until('a leader after the restart', () => leaders()[0]);
      process.stdout.write(
        `# ${next.name} leads at epoch ${leaderReport(next).epoch} ${(leaderReport(next).atMs as number) - restartedAtMs} ms after pg_ctl start\n`,
      );
      db = new pg.Client({ connectionString: url });
      await db.connect();
      assert.deepEqual(leaders(), [next], 'exactly one leader');
      await assertLeaseOf(db, next);

      // 4. The incident plays to its end: nothing lost, nothing doubled.
      await cluster.drained(db);
      const transitions = await assertClusterLog(db, receiver.accepted);
      assert.ok(transitions.length >= 3, `the incident made transitions: ${transitions.length}`);
      assert.ok(
        receiver.accepted.some((a) => a.atMs > restartedAtMs),
        'transitions were delivered after the restart',
      );
      assert.deepEqual(leaders(), [next], 'one leader at the end');
    } finally {
      await cluster.stop();
      await db?.end();
    }
  });

  it('behavior: the primary crashes mid-incident and its synchronous standby is promoted behind the same address: one replica leads on the new primary, no duplicate (breaker, seq), every transition reaches the receiver once, in order, without a gap', {
    timeout: 240_000,
  }, async () => {
    const server = await startPostgres();
    servers.push(server);
    const direct = await server.createDatabase('guard_failover');
    const standby = await server.startStandby();
    let proxy: StartTcpProxyReturnType | undefined = await startTcpProxy(server.port);
    const url = direct.replace(`:${server.port}/`, `:${proxy.port}/`);
    const cluster = await startCluster(url);
    const { leaders, receiver } = cluster;
    let db: pg.Client | undefined;
    try {
      const first = await cluster.leaderThatDelivered();

      // The failover a manager (Patroni) would do: the primary is gone, the standby promoted, the
      // address moved to it (every open connection cut).
      const failedAtMs = Date.now();
      await server.pause('immediate');
      await standby.promote();
      proxy.retarget(standby.port);

      db = new pg.Client({ connectionString: url });
      await db.connect();
      const client = db;
      // The leader may keep its lease (renewed on the new primary within the lease) or lose it to
      // another replica: either way one replica leads, and the new primary's lease row names it.
      const next = await until('one leader on the new primary', async () => {
        const [only, ...others] = leaders();
        if (only === undefined || others.length > 0) return undefined;
        const lease = (await client.query('SELECT holder, expires_at > now() AS valid FROM lease')).rows[0];
        return lease?.holder === only.name && lease.valid === true ? only : undefined;
      });
      process.stdout.write(
        `# ${next.name} leads at epoch ${leaderReport(next).epoch} on the promoted standby (the leader before the crash: ${first.name} at epoch ${leaderReport(first).epoch}); found ${Date.now() - failedAtMs} ms after the crash\n`,
      );
      await assertLeaseOf(db, next);

      await cluster.drained(db);
      const transitions = await assertClusterLog(db, receiver.accepted);
      assert.ok(transitions.length >= 3, `the incident made transitions: ${transitions.length}`);
      assert.ok(
        receiver.accepted.some((a) => a.atMs > failedAtMs),
        'transitions were delivered after the failover',
      );
    } finally {
      await cluster.stop();
      await db?.end();
      await proxy?.close();
      proxy = undefined;
    }
  });
});
