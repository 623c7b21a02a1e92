import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Transition } from '../../src/breaker/levels.ts';
import type { Signal } from '../../src/core/signal.ts';
import { applyEvent } from '../../src/engine/applyEvent.ts';
import type { EngineConfig } from '../../src/engine/config.ts';
import { createEngineState, type EngineState } from '../../src/engine/step.ts';
import { createService, type ServiceLogEntry } from '../../src/runtime/createService.ts';
import { decodeGraph } from '../../src/runtime/snapshot/decodeGraph.ts';
import { encodeGraph } from '../../src/runtime/snapshot/encodeGraph.ts';
import { fromEngineSnapshot } from '../../src/runtime/snapshot/fromEngineSnapshot.ts';
import { SnapshotError } from '../../src/runtime/snapshot/snapshotError.ts';
import { toEngineConfigHash } from '../../src/runtime/snapshot/toEngineConfigHash.ts';
import { toEngineSnapshot } from '../../src/runtime/snapshot/toEngineSnapshot.ts';
import { createPrng } from '../../src/sim/prng.ts';
import { listScenarios, simulate } from '../../src/sim/simulate.ts';
import { toEngineConfig } from '../../src/sim/toEngineConfig.ts';
import { createMemoryDatabase, openMemoryStore } from '../../src/store/memory/openMemoryStore.ts';
import { openSqliteStore, SQLITE_FILE_NAME } from '../../src/store/sqlite/openSqliteStore.ts';
import type { Store } from '../../src/store/store.ts';

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Steps `observations` on `state`; returns what came out. */
function stepAll(state: EngineState, observations: ReturnType<typeof simulate>['observations']) {
  const signals: Signal[] = [];
  const transitions: Transition[] = [];
  for (const observation of observations) {
    const out = applyEvent(state, { type: 'observation', observation });
    signals.push(...out.signals);
    transitions.push(...out.transitions);
  }
  return { signals, transitions };
}

describe('engine snapshots', () => {
  it('default: the graph codec keeps Maps, Sets, bigints, undefined members, -0, NaN and shared references', () => {
    const block = { number: 7n, hash: 'ab', parent: undefined as unknown };
    const value = {
      blocks: new Map([['ab', block]]),
      head: block,
      seen: new Set(['a', 'b']),
      list: [block, -0, Number.NaN, Number.POSITIVE_INFINITY, null, 'x'],
      absent: undefined,
    };
    block.parent = value;
    const back = decodeGraph(JSON.parse(JSON.stringify(encodeGraph(value)))) as typeof value;
    assert.deepStrictEqual(back, value);
    assert.equal(back.head, back.blocks.get('ab'), 'a shared block stays one object');
    assert.equal((back.head as typeof block).parent, back, 'a cycle stays a cycle');
    assert.ok('absent' in back);
    assert.ok(Object.is(back.list[1], -0));
    assert.throws(
      () => encodeGraph({ at: new Date(0) }),
      (error) => error instanceof SnapshotError && error.code === 'unencodable' && /Date/.test(error.message),
    );
    assert.throws(
      () => decodeGraph(['b', 'x']),
      (error) => error instanceof SnapshotError && error.code === 'corrupt',
    );
  });

  for (const scenario of listScenarios()) {
    it(`behavior: ${scenario.name}: a snapshot at random points plus the tail equals the full replay`, () => {
      const { observations } = simulate(scenario.name, { seed: 1 });
      const config = toEngineConfig(scenario);
      const configHash = toEngineConfigHash(config);
      const full = createEngineState(config);
      const whole = stepAll(full, observations);
      const prng = createPrng(1, `snapshot:${scenario.name}`);
      const cuts = [0, observations.length, prng.int(observations.length), prng.int(observations.length)];
      for (const cut of cuts) {
        const head = createEngineState(config);
        const first = stepAll(head, observations.slice(0, cut));
        const snapshot = toEngineSnapshot(head, { configHash, atMs: 0 });
        const decoded = fromEngineSnapshot(
          { ...snapshot, seq: cut, bytes: snapshot.body.byteLength },
          configHash,
        );
        assert.ok(decoded.ok, `cut ${cut}`);
        const restored = decoded.restore();
        const rest = stepAll(restored, observations.slice(cut));
        assert.deepStrictEqual(restored, full, `the state after a snapshot at ${cut} and the tail`);
        assert.deepStrictEqual(
          [...first.transitions, ...rest.transitions],
          whole.transitions,
          `the transitions around a snapshot at ${cut}`,
        );
        assert.deepStrictEqual([...first.signals, ...rest.signals], whole.signals);
      }
    });
  }

  it('error: a snapshot of another configuration, another version or a changed byte is refused with the reason', () => {
    const { scenario, observations } = simulate('reorg-7', { seed: 1 });
    const config = toEngineConfig(scenario);
    const state = createEngineState(config);
    stepAll(state, observations.slice(0, 300));
    const snapshot = { ...toEngineSnapshot(state, { configHash: 'a', atMs: 0 }), seq: 300, bytes: 0 };
    assert.deepEqual(fromEngineSnapshot(snapshot, 'b'), {
      ok: false,
      reason: 'it was made with another engine configuration',
    });
    assert.match(
      (fromEngineSnapshot({ ...snapshot, formatVersion: 99 }, 'a') as { reason: string }).reason,
      /format version 99/,
    );
    const body = Uint8Array.from(snapshot.body);
    body[body.length >> 1]! ^= 0xff;
    assert.match((fromEngineSnapshot({ ...snapshot, body }, 'a') as { reason: string }).reason, /corrupt/);
  });
});

describe('createService with snapshots', () => {
  const { scenario, observations } = simulate('full-halt', { seed: 1 });
  const engine = toEngineConfig(scenario);

  /** Runs a service on `store`; pushes `push` observations; returns its committed state and log. */
  async function run(
    store: Store,
    options: { push?: typeof observations; engine?: EngineConfig; snapshots?: false } = {},
  ) {
    const logs: ServiceLogEntry[] = [];
    const service = createService({
      engine: options.engine ?? engine,
      sources: [],
      store,
      tickIntervalMs: 0,
      snapshots: options.snapshots ?? { everyEvents: 500, everyMs: 3_600_000 },
      log: (entry) => logs.push(entry),
    });
    await service.start();
    // In rounds of 1500 and 100: commits of a full batch (1000) with inputs waiting behind it, and
    // small ones.
    const push = options.push ?? [];
    for (let i = 0; i < push.length; ) {
      const round = i === 0 ? 1500 : 300;
      for (const observation of push.slice(i, i + round)) service.push(observation);
      i += round;
      await service.flush({ timeoutMs: 60_000 });
    }
    const result = { state: service.engine(), stats: service.stats(), logs };
    await service.stop();
    return result;
  }

  it('behavior: a restart loads the newest snapshot (written with its commit) and replays only the tail; the state equals a full replay (SQLite)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-snapshot-'));
    dirs.push(dataDir);
    let store = await openSqliteStore({ dataDir, synchronous: 'normal' });
    const first = await run(store, { push: observations });
    assert.ok(first.stats.snapshots >= 2, `${first.stats.snapshots} snapshots written`);
    const snapshots = await store.listSnapshots();
    await store.close();
    assert.ok(snapshots[0]!.seq > 0 && snapshots[0]!.seq <= observations.length);

    store = await openSqliteStore({ dataDir });
    const restarted = await run(store);
    assert.equal(restarted.stats.snapshotSeq, snapshots[0]!.seq);
    assert.equal(restarted.stats.replayedEvents, observations.length - snapshots[0]!.seq);
    const full = await run(store, { snapshots: false });
    assert.equal(full.stats.replayedEvents, observations.length);
    assert.deepStrictEqual(restarted.state, full.state);
    assert.deepStrictEqual(restarted.state, first.state);
    await store.close();
  });

  it('error: a corrupt snapshot is skipped with one log line and the whole log is replayed', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-snapshot-'));
    dirs.push(dataDir);
    let store = await openSqliteStore({ dataDir, synchronous: 'normal' });
    const first = await run(store, { push: observations });
    await store.close();
    const db = new Database(join(dataDir, SQLITE_FILE_NAME));
    const body = db.prepare('SELECT body FROM snapshots ORDER BY seq DESC LIMIT 1').pluck().get() as Buffer;
    body[body.length >> 1]! ^= 0xff;
    db.prepare('UPDATE snapshots SET body = ? WHERE seq = (SELECT MAX(seq) FROM snapshots)').run(body);
    db.close();
    store = await openSqliteStore({ dataDir });
    const restarted = await run(store);
    await store.close();
    const skipped = restarted.logs.filter((l) => l.code === 'snapshot_skipped');
    assert.equal(skipped.length, 1);
    assert.match(skipped[0]!.message, /corrupt \(checksum mismatch\): replaying the whole event log/);
    assert.equal(restarted.stats.snapshotSeq, 0);
    assert.equal(restarted.stats.replayedEvents, observations.length);
    assert.deepStrictEqual(restarted.state, first.state);
  });

  it('error: after a configuration change the snapshot is skipped and the whole log replayed under the new configuration', async () => {
    const database = createMemoryDatabase();
    let store = await openMemoryStore({ database });
    await run(store, { push: observations });
    await store.close();
    const changed: EngineConfig = {
      ...engine,
      breaker: { ...engine.breaker, recovery: { healthyEvaluations: 7, graceMs: 1234 } },
    };
    store = await openMemoryStore({ database });
    const restarted = await run(store, { engine: changed });
    await store.close();
    const skipped = restarted.logs.filter((l) => l.code === 'snapshot_skipped');
    assert.equal(skipped.length, 1);
    assert.match(skipped[0]!.message, /another engine configuration: replaying the whole event log/);
    assert.equal(restarted.stats.snapshotSeq, 0);
    const expected = createEngineState(changed);
    stepAll(expected, observations);
    assert.deepStrictEqual(restarted.state.breakers, expected.breakers);
    assert.equal(restarted.state.observations, observations.length);
  });
});
