import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import {
  assertClusterLog,
  startAcceptingReceiver,
  toIncidentArgs,
  until,
  waitUntilDrained,
} from '../support/clusterChecks.ts';
import { type ClusterMemberProcess, startClusterMember } from '../support/startClusterMember.ts';
import { type RunningPostgres, startPostgres } from '../support/startPostgres.ts';

const SECRET = 'cluster-test-secret';
/** Lease time of the replicas: the unit of every takeover figure below. */
const LEASE_MS = 2000;

let server: RunningPostgres;
const members: ClusterMemberProcess[] = [];
before(async () => {
  server = await startPostgres();
});
after(async () => {
  for (const m of members) {
    await m.kill('SIGCONT');
    await m.kill('SIGKILL');
  }
  await server?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a cluster of guards on PostgreSQL', () => {
  it('behavior: three replicas and two watchers; the leader killed -9, then the next one paused past its lease: another leads, the paused one is fenced and steps down, every transition reaches the receiver once, in order, without a gap', {
    timeout: 180_000,
  }, async () => {
    const url = await server.createDatabase();
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const spoolDir = await mkdtemp(join(tmpdir(), 'cg-cluster-'));
    const receiver = await startAcceptingReceiver(SECRET);
    const { accepted } = receiver;
    const hookUrl = receiver.url;
    const common = toIncidentArgs(url, LEASE_MS, spoolDir);
    const query = async <T>(sql: string) => (await db.query(sql)).rows as T[];
    try {
      const replicas = ['guard-a', 'guard-b', 'guard-c'].map((name) =>
        startClusterMember(name, { ...common, role: 'replica', hookUrl, secret: SECRET }),
      );
      const watchers = [
        startClusterMember('watch-1', { ...common, role: 'watcher', location: 'eu' }),
        startClusterMember('watch-2', { ...common, role: 'watcher', location: 'us' }),
      ];
      members.push(...replicas, ...watchers);
      await Promise.all(members.map((m) => m.waitFor((r) => r.type === 'ready')));
      const leaderOf = () => replicas.find((r) => r.role() === 'leader');

      // 1. kill -9 of the leader once the incident has moved a breaker.
      const first = await until('a leader', leaderOf);
      await until('a delivered transition', () => accepted.length > 0);
      const killedAtMs = Date.now();
      await first.kill('SIGKILL');
      const second = await until('a new leader', () =>
        replicas.find((r) => r !== first && r.role() === 'leader'),
      );
      const takeover = second.reports.filter((r) => r.type === 'role' && r.role === 'leader').at(-1)!;
      const takeoverMs = (takeover.atMs as number) - killedAtMs;
      process.stdout.write(`# takeover after kill -9: ${takeoverMs} ms (lease ${LEASE_MS} ms)\n`);
      const secondEpoch = takeover.epoch as number;

      // 2. The new leader paused (SIGSTOP) past its lease: the third replica takes over and acts.
      await second.kill('SIGSTOP');
      const pausedAtMs = Date.now();
      const third = await until('a leader while the second is paused', () =>
        replicas.find((r) => r !== first && r !== second && r.role() === 'leader'),
      );
      const thirdEpoch = third.reports.filter((r) => r.type === 'role' && r.role === 'leader').at(-1)!
        .epoch as number;
      assert.ok(thirdEpoch > secondEpoch);
      const seqAtTakeover = Number(
        (await query<{ last_seq: string }>('SELECT last_seq FROM log_head'))[0]!.last_seq,
      );
      await until(
        'the third leader commits',
        async () =>
          Number((await query<{ last_seq: string }>('SELECT last_seq FROM log_head'))[0]!.last_seq) >
          seqAtTakeover,
      );
      process.stdout.write(`# takeover of a paused leader: ${Date.now() - pausedAtMs} ms after SIGSTOP\n`);
      await second.kill('SIGCONT');
      const fenced = await second.waitFor((r) => r.type === 'fenced');
      await second.waitFor(
        (r) => r.type === 'role' && r.role === 'follower' && (r.receivedAtMs as number) >= pausedAtMs,
      );
      assert.ok(
        (fenced.atMs as number) >= pausedAtMs,
        'the old leader tried to write after SIGCONT and was refused',
      );
      assert.equal(third.role(), 'leader', 'the third replica still leads');

      // 3. The incident plays to its end; everything stored is taken and delivered.
      await Promise.all(watchers.map((w) => w.waitFor((r) => r.type === 'played')));
      await waitUntilDrained(db);
      await sleep(500);

      const transitions = await assertClusterLog(db, accepted);
      assert.ok(transitions.length >= 3, `the incident made transitions: ${transitions.length}`);
      assert.ok(
        accepted.some((a) => a.atMs > killedAtMs && a.epoch >= secondEpoch),
        'a leader after the kill delivered',
      );
      process.stdout.write(
        `# ${transitions.length} transitions, epochs of the deliveries: ${[...new Set(accepted.map((a) => a.epoch))].join(', ')}\n`,
      );
    } finally {
      for (const m of members) {
        await m.kill('SIGCONT');
        await m.kill('SIGTERM');
      }
      members.length = 0;
      await db.end();
      await receiver.close();
      await rm(spoolDir, { recursive: true, force: true });
    }
  });
});
