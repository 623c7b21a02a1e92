import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Transition } from '../../src/breaker/levels.ts';
import { runObservations } from '../../src/engine/run.ts';
import { createService, type ServiceLogEntry } from '../../src/runtime/createService.ts';
import type { ServiceEvent } from '../../src/runtime/serviceView.ts';
import { toStoreTransitions } from '../../src/runtime/toStoreTransitions.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { toEngineConfig } from '../../src/sim/toEngineConfig.ts';
import type { Sink } from '../../src/sinks/sink.ts';
import { openSqliteStore } from '../../src/store/sqlite/openSqliteStore.ts';
import type { Store } from '../../src/store/store.ts';

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const newDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cg-service-'));
  dirs.push(dir);
  return dir;
};

const { scenario, observations } = simulate('reorg-7', { seed: 1 });
const engine = toEngineConfig(scenario);
const breaker = scenario.chain;
const clock = { nowMs: () => observations.at(-1)!.observedAtMs + 1000 };

/** A sink that records what it accepts and fails as told. */
function createRecordingSink(name: string, fail: (t: Transition, attempt: number) => boolean = () => false) {
  const delivered: string[] = [];
  const attempts = new Map<string, number>();
  const sink: Sink = {
    name,
    async deliver(t) {
      const n = (attempts.get(t.idempotencyKey) ?? 0) + 1;
      attempts.set(t.idempotencyKey, n);
      if (fail(t, n)) throw new Error(`refused ${t.idempotencyKey} at attempt ${n}`);
      delivered.push(t.idempotencyKey);
    },
  };
  return { sink, delivered, attempts };
}

async function run(
  dataDir: string,
  sinks: Sink[],
  body: (service: ReturnType<typeof createService>, store: Store) => Promise<void>,
) {
  const store = await openSqliteStore({ dataDir, synchronous: 'normal' });
  const logs: ServiceLogEntry[] = [];
  const service = createService({
    engine,
    sources: [],
    sinks,
    store,
    clock,
    tickIntervalMs: 0,
    retry: { baseMs: 5, maxMs: 20, maxAttempts: 3, random: () => 0.5 },
    log: (entry) => logs.push(entry),
  });
  try {
    await service.start();
    await body(service, store);
  } finally {
    await service.stop();
    await store.close();
  }
  return logs;
}

describe('createService', () => {
  const expected = runObservations(engine, observations).transitions;

  it('default: live transitions equal the reducer run, reach each sink, and a restart replays the same history without enqueueing again', async () => {
    const dataDir = await newDir();
    const hook = createRecordingSink('hook');
    let stored: Transition[] = [];
    await run(dataDir, [hook.sink], async (service, store) => {
      stored = toStoreTransitions(store.id, expected);
      for (const o of observations) service.push(o);
      await service.drained();
      assert.deepEqual(service.transitions(100), stored);
      assert.equal(service.stats().committedEvents, observations.length);
    });
    assert.deepEqual(
      hook.delivered,
      stored.map((t) => t.idempotencyKey),
    );
    const again = createRecordingSink('hook');
    await run(dataDir, [again.sink], async (service) => {
      assert.deepEqual(service.transitions(100), stored);
      assert.equal(service.stats().replayedEvents, observations.length);
      assert.equal(service.engine().breakers.get(breaker)?.level, expected.at(-1)?.to);
      await service.drained();
    });
    assert.deepEqual(again.delivered, [], 'nothing is delivered twice across a restart');
  });

  it('behavior: a sink added later receives the history, in order', async () => {
    const dataDir = await newDir();
    await run(dataDir, [], async (service) => {
      for (const o of observations) service.push(o);
      await service.flush();
    });
    const late = createRecordingSink('late');
    let storeId = '';
    await run(dataDir, [late.sink], (service, store) => {
      storeId = store.id;
      return service.drained();
    });
    assert.deepEqual(
      late.delivered,
      expected.map((t) => `${storeId}:${t.idempotencyKey}`),
    );
  });

  it('behavior: override and resume are stored in the event log, audited, and replayed after a restart', async () => {
    const dataDir = await newDir();
    const hook = createRecordingSink('hook');
    let override: Transition | undefined;
    await run(dataDir, [hook.sink], async (service) => {
      override = service.override(breaker, 'halt', 'alice', 'drill');
      assert.equal(override?.to, 'halt');
      assert.equal(override?.mode, 'manual');
      for (const o of observations) service.push(o);
      await service.drained();
      assert.equal(service.engine().breakers.get(breaker)?.level, 'halt', 'the override pins the level');
    });
    assert.deepEqual(hook.delivered, [override?.idempotencyKey]);
    await run(dataDir, [hook.sink], async (service) => {
      const state = service.engine().breakers.get(breaker);
      assert.equal(state?.level, 'halt');
      assert.equal(state?.override?.actor, 'alice');
      service.resume(breaker, 'bob', 'drill over');
      await service.flush();
    });
    const store = await openSqliteStore({ dataDir });
    const audit = await store.listAudit();
    await store.close();
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor, a.reason, a.level]),
      [
        ['override', 'alice', 'drill', 'halt'],
        ['resume', 'bob', 'drill over', undefined],
      ],
    );
    await run(dataDir, [], async (service) => {
      assert.equal(service.engine().breakers.get(breaker)?.override, undefined, 'the resume is replayed too');
    });
  });

  it('behavior: two data directories give the same transition different idempotency keys; a restart keeps them', async () => {
    const keysOf = async (dataDir: string) => {
      const hook = createRecordingSink('hook');
      await run(dataDir, [hook.sink], async (service) => {
        for (const o of observations) service.push(o);
        await service.drained();
      });
      return hook.delivered;
    };
    const first = await newDir();
    const one = await keysOf(first);
    const two = await keysOf(await newDir());
    assert.equal(one.length, expected.length);
    assert.equal(two.length, expected.length);
    assert.deepEqual(
      one.filter((key) => two.includes(key)),
      [],
      'no key is shared',
    );
    const store = await openSqliteStore({ dataDir: first });
    await store.close();
    assert.deepEqual(
      one,
      expected.map((t) => `${store.id}:${t.idempotencyKey}`),
      '<storeId>:<breaker>:<seq>:<from>><to>',
    );
    let replayed: string[] = [];
    await run(first, [], async (service) => {
      replayed = service.transitions(100).map((t) => t.idempotencyKey);
    });
    assert.deepEqual(replayed, one, 'a restart on the same data directory keeps the keys');
  });

  it('error: an override of an unknown breaker throws unknown_breaker and stores nothing', async () => {
    const dataDir = await newDir();
    await run(dataDir, [], async (service) => {
      assert.throws(() => service.override('nope', 'halt', 'alice', 'x'), { code: 'unknown_breaker' });
      assert.throws(() => service.resume('nope', 'alice', 'x'), { code: 'unknown_breaker' });
      await service.flush();
      assert.equal(service.stats().committedEvents, 0);
    });
  });

  it('error: commands before start are refused with not_started', async () => {
    const store = await openSqliteStore({ dataDir: await newDir() });
    const service = createService({ engine, sources: [], store, tickIntervalMs: 0 });
    assert.throws(() => service.override(breaker, 'halt', 'a', 'b'), { code: 'not_started' });
    assert.equal(service.ready(), false);
    await store.close();
  });

  it('behavior: listeners hear signals and transitions after they are committed; unsubscribe stops them', async () => {
    const dataDir = await newDir();
    const events: ServiceEvent[] = [];
    let storeId = '';
    await run(dataDir, [], async (service, store) => {
      storeId = store.id;
      const unsubscribe = service.subscribe((e) => events.push(e));
      for (const o of observations) service.push(o);
      await service.flush();
      unsubscribe();
      service.override(breaker, 'caution', 'alice', 'after unsubscribe');
      await service.flush();
      assert.equal(service.recentSignals(3).length, 3);
    });
    const transitions = events.flatMap((e) => (e.type === 'transition' ? [e.transition] : []));
    assert.deepEqual(transitions, toStoreTransitions(storeId, expected));
    assert.ok(events.some((e) => e.type === 'signal'));
  });

  it('behavior: a failing sink is retried, in order; after maxAttempts the action is failed and the next one goes', async () => {
    const dataDir = await newDir();
    const flaky = createRecordingSink('flaky', (_t, attempt) => attempt < 3 && _t.seq === 2);
    const broken = createRecordingSink('broken', (t) => t.seq === 1);
    let storeId = '';
    const logs = await run(dataDir, [flaky.sink, broken.sink], async (service, store) => {
      storeId = store.id;
      for (const o of observations) service.push(o);
      await service.drained();
    });
    const keys = expected.map((t) => `${storeId}:${t.idempotencyKey}`);
    assert.deepEqual(flaky.delivered, keys);
    assert.equal(flaky.attempts.get(keys[1]!), 3);
    assert.deepEqual(broken.delivered, keys.slice(1));
    assert.equal(broken.attempts.get(keys[0]!), 3);
    assert.ok(logs.some((l) => l.code === 'delivery_abandoned' && l.sink === 'broken'));
    assert.equal(logs.filter((l) => l.code === 'delivery_failed').length, 4);
    const store = await openSqliteStore({ dataDir });
    assert.deepEqual(await store.countActions('broken'), {
      pending: 0,
      delivered: keys.length - 1,
      failed: 1,
    });
    const [failed] = await store.listActions({ sink: 'broken', status: 'failed' });
    assert.match(failed?.lastError ?? '', /refused/);
    await store.close();
  });

  it('behavior: a failed store write is retried and logged; nothing is published before the commit', async () => {
    const store = await openSqliteStore({ dataDir: await newDir(), synchronous: 'normal' });
    let failures = 2;
    const flaky = {
      ...store,
      appendEvents: (parameters: Parameters<typeof store.appendEvents>[0]) => {
        if (failures > 0) {
          failures -= 1;
          return Promise.reject(Object.assign(new Error('disk I/O error'), { code: 'store_write_failed' }));
        }
        return store.appendEvents(parameters);
      },
    };
    const logs: ServiceLogEntry[] = [];
    const heard: ServiceEvent[] = [];
    const service = createService({
      engine,
      sources: [],
      store: flaky,
      tickIntervalMs: 0,
      log: (e) => logs.push(e),
    });
    await service.start();
    service.subscribe((e) => heard.push(e));
    const transition = service.override(breaker, 'halt', 'alice', 'drill');
    assert.equal(heard.length, 0);
    await service.flush();
    assert.deepEqual(heard, [{ type: 'transition', transition }]);
    assert.equal(logs.filter((l) => l.code === 'store_write_failed').length, 2);
    assert.equal(service.stats().storeWriteFailures, 2);
    assert.deepEqual(await store.listTransitions(), [transition]);
    await service.stop();
    await store.close();
  });
});
