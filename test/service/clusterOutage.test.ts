import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import {
  assertClusterLog,
  startAcceptingReceiver,
  until,
  waitUntilDrained,
} from '../support/clusterChecks.ts';
import { type ClusterMemberProcess, startClusterMember } from '../support/startClusterMember.ts';
import { type RunningPostgres, startPostgres } from '../support/startPostgres.ts';

const SECRET = 'cluster-outage-secret';
/** Lease time of the replicas. */
const LEASE_MS = 2000;

let server: RunningPostgres;
const members: ClusterMemberProcess[] = [];
before(async () => {
  server = await startPostgres();
});
after(async () => {
  for (const m of members) await m.kill('SIGKILL');
  await server?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a cluster of guards while its database is down', () => {
  it('behavior: PostgreSQL stopped (immediate) mid-incident, then started again: the leader steps down once its lease lapses, one replica leads after the restart, every transition reaches the receiver once, in order, without a gap', {
    timeout: 240_000,
  }, async () => {
    const url = await server.createDatabase();
    const spoolDir = await mkdtemp(join(tmpdir(), 'cg-cluster-outage-'));
    const receiver = await startAcceptingReceiver(SECRET);
    const common = {
      url,
      leaseMs: LEASE_MS,
      scenario: 'finality-loss-9',
      seed: 1,
      t0: Date.now() + 6000,
      speed: 150,
      tickMs: 100,
      spoolDir,
    };
    let db: pg.Client | undefined;
    try {
      const replicas = ['guard-a', 'guard-b', 'guard-c'].map((name) =>
        startClusterMember(name, { ...common, role: 'replica', hookUrl: receiver.url, secret: SECRET }),
      );
      const watchers = [
        startClusterMember('watch-1', { ...common, role: 'watcher', location: 'eu' }),
        startClusterMember('watch-2', { ...common, role: 'watcher', location: 'us' }),
      ];
      members.push(...replicas, ...watchers);
      await until('every member ready', () =>
        members.every((m) => m.reports.some((r) => r.type === 'ready')),
      );
      const leaders = () => replicas.filter((r) => r.role() === 'leader');

      // 1. A leader that has delivered; then the database crashes.
      const first = await until('a leader', () => leaders()[0]);
      await until('a delivered transition', () => receiver.accepted.length > 0);
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
      const tookOver = next.reports.filter((r) => r.type === 'role' && r.role === 'leader').at(-1)!;
      process.stdout.write(
        `# ${next.name} leads at epoch ${tookOver.epoch} ${(tookOver.atMs as number) - restartedAtMs} ms after pg_ctl start\n`,
      );
      db = new pg.Client({ connectionString: url });
      await db.connect();
      const lease = (await db.query('SELECT holder, epoch, expires_at > now() AS valid FROM lease'))
        .rows[0] as { holder: string; epoch: string; valid: boolean };
      assert.deepEqual(leaders(), [next], 'exactly one leader');
      assert.equal(lease.holder, next.name);
      assert.equal(lease.valid, true, 'the lease is valid');
      assert.equal(Number(lease.epoch), tookOver.epoch);

      // 4. The incident plays to its end: nothing lost, nothing doubled.
      await until('the watchers played the incident', () =>
        watchers.every((w) => w.reports.some((r) => r.type === 'played')),
      );
      await waitUntilDrained(db);
      await sleep(500);
      const transitions = await assertClusterLog(db, receiver.accepted);
      assert.ok(transitions.length >= 3, `the incident made transitions: ${transitions.length}`);
      assert.ok(
        receiver.accepted.some((a) => a.atMs > restartedAtMs),
        'transitions were delivered after the restart',
      );
      assert.equal(leaders().length, 1, 'one leader at the end');
    } finally {
      for (const m of members) await m.kill('SIGTERM');
      members.length = 0;
      await db?.end();
      await receiver.close();
      await rm(spoolDir, { recursive: true, force: true });
    }
  });
});
