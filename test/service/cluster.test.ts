import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createWebhookReceiver } from '../../src/sinks/webhook/createWebhookReceiver.ts';
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

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, limitMs = 60_000) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(20);
  }
}

describe('a cluster of guards on PostgreSQL', () => {
  it('behavior: three replicas and two watchers; the leader killed -9, then the next one paused past its lease: another leads, the paused one is fenced and steps down, every transition reaches the receiver once, in order, without a gap', {
    timeout: 180_000,
  }, async () => {
    const url = await server.createDatabase();
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const spoolDir = await mkdtemp(join(tmpdir(), 'cg-cluster-'));
    const accepted: Array<{ key: string; epoch: number; atMs: number }> = [];
    const receiver = createWebhookReceiver({
      secret: SECRET,
      onAccepted: (body, key) => {
        const leader = (body as { leader?: { epoch: number } }).leader;
        accepted.push({ key, epoch: leader?.epoch ?? 0, atMs: Date.now() });
      },
    });
    const hook = createServer((req, res) => receiver.emit('request', req, res));
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`;
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
      await until('every inbox row taken and every action delivered', async () => {
        const [row] = await query<{ inbox: string; taken: string; pending: string }>(
          `SELECT (SELECT last_seq FROM inbox_head) AS inbox,
             (SELECT COALESCE(MAX(inbox_seq), 0) FROM events) AS taken,
             (SELECT COUNT(*) FROM outbox WHERE status <> 'delivered') AS pending`,
        );
        return row!.inbox === row!.taken && row!.pending === '0';
      });
      await sleep(500);

      const transitions = await query<{ idempotency_key: string; breaker: string; seq: number }>(
        'SELECT idempotency_key, breaker, seq FROM transitions ORDER BY position',
      );
      assert.ok(transitions.length >= 3, `the incident made transitions: ${transitions.length}`);
      const duplicates = await query(
        'SELECT breaker, seq FROM transitions GROUP BY breaker, seq HAVING COUNT(*) > 1',
      );
      assert.deepEqual(duplicates, [], 'no duplicate (breaker, seq)');
      const [log] = await query<{
        n: string;
        last: string;
        inbox: string;
        taken: string;
        distinct_taken: string;
      }>(
        `SELECT COUNT(*) AS n, (SELECT last_seq FROM log_head) AS last,
           (SELECT COUNT(*) FROM inbox) AS inbox, COUNT(inbox_seq) AS taken,
           COUNT(DISTINCT inbox_seq) AS distinct_taken FROM events`,
      );
      assert.equal(log!.n, log!.last, 'the event log has no gap');
      assert.equal(log!.taken, log!.inbox, 'every observation of the watchers is in the log');
      assert.equal(log!.distinct_taken, log!.inbox, 'each of them once');

      assert.deepEqual(
        accepted.map((a) => a.key).sort(),
        transitions.map((t) => t.idempotency_key).sort(),
        'every transition accepted exactly once',
      );
      const seqs: Record<string, number[]> = {};
      for (const a of accepted) {
        const [, breaker, seq] = a.key.split(':');
        (seqs[breaker!] ??= []).push(Number(seq));
      }
      for (const [breaker, list] of Object.entries(seqs)) {
        assert.deepEqual(
          list,
          list.map((_, i) => i + 1),
          `breaker ${breaker}: in order, no gap`,
        );
      }
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
      hook.closeAllConnections();
      await new Promise<void>((resolve) => hook.close(() => resolve()));
      await rm(spoolDir, { recursive: true, force: true });
    }
  });
});
