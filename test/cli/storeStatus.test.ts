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
import { openSqliteStore } from '../../src/store/sqlite/openSqliteStore.ts';

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

  it('error: without --store it is a usage error; a store that is not one is a usage error', async () => {
    assert.equal((await cli(['store', 'status'])).code, 2);
    const bad = await cli(['store', 'status', '--store', 'mysql://x']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--store: not a store/);
  });
});
