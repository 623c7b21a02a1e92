import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { StoreStatus } from '../../src/cli/commands/store.ts';
import { runCli } from '../../src/cli/main.ts';
import { runObservations } from '../../src/engine/run.ts';
import { createService } from '../../src/runtime/createService.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { toEngineConfig } from '../../src/sim/toEngineConfig.ts';
import { openPostgresStore } from '../../src/store/postgres/openPostgresStore.ts';
import { openSqliteStore } from '../../src/store/sqlite/openSqliteStore.ts';
import { startPostgres } from '../support/startPostgres.ts';
import { waitFor } from '../support/waitFor.ts';

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('consensus-guard store status', () => {
  it('default: a SQLite store: events, last seq, the newest snapshot, the outbox per sink and the migrations', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-status-'));
    dirs.push(dataDir);
    const { scenario, observations } = simulate('reorg-7', { seed: 1 });
    const engine = toEngineConfig(scenario);
    const store = await openSqliteStore({ dataDir, synchronous: 'normal' });
    const service = createService({
      engine,
      sources: [],
      sinks: [{ name: 'hook', deliver: async () => undefined }],
      store,
      tickIntervalMs: 0,
      snapshots: { everyEvents: 200, everyMs: 3_600_000 },
      log: () => undefined,
    });
    await service.start();
    for (const [i, o] of observations.entries()) {
      service.push(o);
      if (i % 100 === 99) await service.flush();
    }
    await service.drained();
    await service.stop();
    const newest = (await store.listSnapshots())[0];
    await store.close();
    assert.ok(newest);

    const json = await cli(['store', 'status', '--store', `sqlite:${dataDir}`, '--json']);
    assert.equal(json.code, 0, json.err);
    const status = JSON.parse(json.out) as StoreStatus;
    const transitions = runObservations(engine, observations).transitions.length;
    assert.deepEqual(
      { ...status, migrations: status.migrations.map((m) => m.version) },
      {
        events: observations.length,
        lastSeq: observations.length,
        snapshot: { seq: newest.seq, atMs: newest.atMs, bytes: newest.bytes },
        outbox: { hook: { pending: 0, delivered: transitions, failed: 0 } },
        migrations: [1, 2, 3],
        cluster: null,
      },
    );
    const text = await cli(['store', 'status', '--data-dir', dataDir]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, new RegExp(`^store ${dataDir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'));
    assert.match(
      text.out,
      new RegExp(
        `^snapshot: seq ${newest.seq} \\(${observations.length - newest.seq} events after it\\), \\d+ s old, ${newest.bytes} bytes$`,
        'm',
      ),
    );
  });

  it("behavior: a PostgreSQL cluster: the leader, its epoch and lease age, the instances and each location's last observation", async () => {
    const server = await startPostgres();
    try {
      const url = await server.createDatabase();
      const { scenario, observations } = simulate('reorg-7', { seed: 1 });
      const engine = toEngineConfig(scenario);
      const members = [];
      for (const [instance, role, location] of [
        ['guard-a', 'replica', undefined],
        ['watch-eu', 'watcher', 'eu'],
      ] as const) {
        const store = await openPostgresStore({ url, instance });
        const spoolDir = await mkdtemp(join(tmpdir(), 'cg-status-spool-'));
        dirs.push(spoolDir);
        const cluster: Parameters<typeof createService>[0]['cluster'] = {
          instance,
          role,
          leaseMs: 5000,
          spoolDir,
        };
        if (location !== undefined) cluster.location = location;
        const service = createService({
          engine,
          sources: [],
          store,
          tickIntervalMs: 0,
          cluster,
          log: () => undefined,
        });
        await service.start();
        members.push({ store, service });
      }
      const [leader, watcher] = members;
      await waitFor('guard-a leads', () =>
        leader!.service.clusterPosition().role === 'leader' ? true : undefined,
      );
      const played = observations.slice(0, 50);
      for (const o of played) watcher!.service.push(o);
      const probe = await openPostgresStore({ url, readOnly: true });
      await waitFor('the observations taken and both heartbeats stored', async () => {
        const [instances, lastSeq] = await Promise.all([probe.cluster!.listInstances(), probe.lastSeq()]);
        return instances.length === 2 && lastSeq >= played.length ? true : undefined;
      });
      await probe.close();

      const json = await cli(['store', 'status', '--store', url, '--json']);
      assert.equal(json.code, 0, json.err);
      const status = JSON.parse(json.out) as StoreStatus;
      const cluster = status.cluster!;
      assert.equal(cluster.lease?.holder, 'guard-a');
      assert.equal(cluster.lease?.epoch, 1);
      assert.equal(cluster.lease?.valid, true);
      assert.ok(cluster.lease!.ageMs! >= 0 && cluster.lease!.ageMs! < 5000, 'renewed within the lease');
      assert.deepEqual(
        cluster.instances.map((i) => [i.instance, i.role, i.location, i.epoch]),
        [
          ['guard-a', 'leader', null, 1],
          ['watch-eu', 'watcher', 'eu', null],
        ],
      );
      assert.equal(cluster.locations.length, 1);
      const eu = cluster.locations[0]!;
      assert.equal(eu.location, 'eu');
      assert.deepEqual(eu.instances, ['watch-eu']);
      assert.equal(eu.observations, played.length);
      assert.equal(eu.lastObservedAtMs, Math.max(...played.map((o) => o.observedAtMs)));

      const text = await cli(['store', 'status', '--store', url]);
      assert.equal(text.code, 0, text.err);
      assert.match(text.out, /^leader: guard-a at epoch 1, lease renewed \d+\.\d s ago$/m);
      assert.match(text.out, /^instance guard-a: leader \(epoch 1\), seen \d+\.\d s ago$/m);
      assert.match(text.out, /^instance watch-eu: watcher at eu, seen \d+\.\d s ago$/m);
      assert.match(
        text.out,
        new RegExp(`^location eu: ${played.length} observations from watch-eu, last observed `, 'm'),
      );
      for (const m of members) await m.service.stop();
      for (const m of members) await m.store.close();
    } finally {
      await server.stop();
    }
  });

  it('error: without --store it is a usage error; a store that is not one is a usage error', async () => {
    assert.equal((await cli(['store', 'status'])).code, 2);
    const bad = await cli(['store', 'status', '--store', 'mysql://x']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--store: not a store/);
  });
});
