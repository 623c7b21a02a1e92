import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createService, type Service } from '../../src/runtime/createService.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { toEngineConfig } from '../../src/sim/toEngineConfig.ts';
import { createKeeperHeartbeat } from '../../src/sinks/onchain/createKeeperHeartbeat.ts';
import { openPostgresStore } from '../../src/store/postgres/openPostgresStore.ts';
import type { Store } from '../../src/store/store.ts';
import { type RunningPostgres, startPostgres } from '../support/startPostgres.ts';

const LEASE_MS = 600;

let server: RunningPostgres;
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, limitMs = 30_000) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(10);
  }
}

describe('leader tasks (the keeper heartbeats) in a cluster', () => {
  it('behavior: only the leader runs them; a leader fenced by a takeover stops them, the next leader starts its own; a stopped leader stops them', async () => {
    const url = await server.createDatabase();
    const { scenario } = simulate('finality-loss-9', { seed: 1 });
    const engine = toEngineConfig(scenario);
    // Each beat of a real heartbeat schedule, by the instance that sent it.
    const sent: string[] = [];
    const members: Array<{ name: string; store: Store; service: Service }> = [];
    for (const name of ['guard-a', 'guard-b']) {
      const store = await openPostgresStore({ url, instance: name });
      const heartbeat = createKeeperHeartbeat({
        sink: { heartbeat: async () => sent.push(name) },
        intervalMs: 20,
        onError: (error) => assert.fail(String(error)),
      });
      const service = createService({
        engine,
        sources: [],
        store,
        tickIntervalMs: 0,
        cluster: { instance: name, leaseMs: LEASE_MS },
        leaderTasks: [heartbeat],
        log: () => undefined,
      });
      members.push({ name, store, service });
    }
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const count = (name: string) => sent.filter((s) => s === name).length;
    const started = new Set<string>();
    const leader = () =>
      members.find((m) => started.has(m.name) && m.service.clusterPosition().role === 'leader');
    try {
      await members[0]!.service.start();
      started.add('guard-a');
      const first = await until('a leader', leader);
      assert.equal(first.name, 'guard-a');
      await members[1]!.service.start();
      started.add('guard-b');
      await until('beats of the leader', () => count('guard-a') >= 10);
      assert.equal(members[1]!.service.clusterPosition().role, 'follower');
      assert.equal(count('guard-b'), 0, 'the follower sends no heartbeat');

      // Another instance takes the lease (a takeover while guard-a was cut off): guard-a's next
      // renewal finds it gone and it steps down; it must stop beating.
      await db.query(
        "UPDATE lease SET holder = 'intruder', epoch = epoch + 1, expires_at = now() + interval '1 second'",
      );
      await until('guard-a steps down', () => first.service.clusterPosition().role === 'follower');
      const ofA = count('guard-a');
      const mark = sent.length;
      const next = await until('another leader once the intruder lease expires', leader);
      assert.deepEqual(
        sent.slice(mark).filter((name) => name !== next.name),
        [],
        'after the fence, only the next leader sends',
      );
      await until('beats of the new leader', () => count(next.name) >= (next === first ? ofA + 5 : 5));

      // A clean stop of the leader stops its beats; the other one takes over and beats.
      await next.service.stop();
      started.delete(next.name);
      const stoppedAt = count(next.name);
      const other = members.find((m) => m !== next)!;
      await until('the other one leads after the release', () =>
        other.service.clusterPosition().role === 'leader' ? true : undefined,
      );
      await until('beats of the last leader', () => count(other.name) >= (other === first ? ofA + 5 : 5));
      assert.equal(count(next.name), stoppedAt, 'a stopped leader sends nothing');
      // Never two beaters at once: each run of beats belongs to one instance.
      const runs = sent.filter((name, i) => i === 0 || sent[i - 1] !== name);
      process.stdout.write(
        `# heartbeat runs by instance: ${runs.join(' → ')}; beats ${sent.length}, ofA ${ofA}, stopped ${next.name} at ${stoppedAt}\n`,
      );
      assert.ok(runs.length <= 3, `one run per leadership: ${runs.join(', ')}`);
    } finally {
      for (const m of members) await m.service.stop();
      for (const m of members) await m.store.close();
      await db.end();
    }
  });
});
