import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Transition } from '../../src/breaker/levels.ts';
import { runObservations } from '../../src/engine/run.ts';
import { createService, type ServiceLogEntry } from '../../src/runtime/createService.ts';
import { toStoreTransitions } from '../../src/runtime/toStoreTransitions.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { toEngineConfig } from '../../src/sim/toEngineConfig.ts';
import type { Sink } from '../../src/sinks/sink.ts';
import { createPlaybackSource } from '../../src/sources/playback/createPlaybackSource.ts';
import { toObservationLine } from '../../src/sources/replay/toObservationLine.ts';
import { openPostgresStore } from '../../src/store/postgres/openPostgresStore.ts';
import type { StoredEvent } from '../../src/store/store.ts';
import { type RunningPostgres, startPostgres } from '../support/startPostgres.ts';

const OUTAGE_MS = 30_000;
/** Real time the whole incident takes: the outage falls inside it, between transitions. */
const PLAY_MS = 50_000;

let server: RunningPostgres;
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL outage under a live incident', () => {
  it('behavior: PostgreSQL stopped for 30 s and started again: the guard keeps deciding, every observation is stored once in order, every transition delivered once in order', async () => {
    const { scenario, observations } = simulate('finality-loss-9', { seed: 1 });
    const engine = toEngineConfig(scenario);
    const url = await server.createDatabase();
    const store = await openPostgresStore({ url });
    const deliveries: string[] = [];
    const sink: Sink = {
      name: 'hook',
      async deliver(transition: Transition) {
        deliveries.push(transition.idempotencyKey);
      },
    };
    let finished: () => void = () => undefined;
    const played = new Promise<void>((resolve) => {
      finished = resolve;
    });
    const firstMs = observations[0]!.observedAtMs;
    const spanMs = observations.at(-1)!.observedAtMs - firstMs;
    const source = createPlaybackSource({
      name: 'simulation',
      observations,
      speed: spanMs / PLAY_MS,
      onFinished: () => finished(),
    });
    const logs: ServiceLogEntry[] = [];
    let outage = { fromMs: 0, toMs: 0, deliveredBefore: [] as string[] };
    const service = createService({
      engine,
      sources: [source],
      sinks: [sink],
      store,
      clock: source.clock,
      tickIntervalMs: 0,
      retry: { baseMs: 50, maxMs: 500 },
      log: (entry) => logs.push(entry),
    });
    try {
      await service.start();
      while (service.stats().committedEvents < 200) await sleep(50);
      assert.equal(service.ready(), true);

      await server.pause();
      const outageFromMs = source.clock.nowMs();
      const committedAtStop = service.stats().committedEvents;
      await sleep(OUTAGE_MS);
      const during = service.stats();
      assert.equal(service.ready(), false, 'not ready while the store cannot write');
      assert.match(service.notReadyReason?.() ?? '', /the store cannot write since/);
      assert.ok(during.storeWriteFailures > 0);
      assert.ok(during.pendingEvents > 500, `${during.pendingEvents} observations taken and waiting`);
      assert.ok(during.committedEvents - committedAtStop < 1000, 'nothing new committed while it is down');
      assert.equal(during.droppedObservations, 0);
      assert.throws(() => service.override(scenario.chain, 'halt', 'ops', 'during outage'), {
        code: 'store_unavailable',
      });

      outage = { fromMs: outageFromMs, toMs: source.clock.nowMs(), deliveredBefore: [...deliveries] };
      await server.resume();
      await played;
      await service.drained();
      assert.equal(service.ready(), true);
    } finally {
      await service.stop();
    }

    const events: StoredEvent[] = [];
    for await (const batch of store.readEvents()) events.push(...batch);
    assert.deepEqual(
      events.map((e) => e.seq),
      observations.map((_, i) => i + 1),
    );
    assert.deepEqual(
      events.map((e) => (e.type === 'observation' ? toObservationLine(e.observation) : e.type)),
      observations.map(toObservationLine),
      'every observation stored once, in order',
    );
    const expected = toStoreTransitions(store.id, runObservations(engine, observations).transitions);
    assert.ok(expected.length >= 5);
    assert.deepEqual(await store.listTransitions(), expected);
    assert.deepEqual(
      deliveries,
      expected.map((t) => t.idempotencyKey),
      'every transition delivered once, in order',
    );
    assert.deepEqual(await store.countActions(), { pending: 0, delivered: expected.length, failed: 0 });
    const decidedDuring = expected.filter((t) => t.atMs >= outage.fromMs && t.atMs <= outage.toMs);
    assert.ok(decidedDuring.length >= 1, 'the breakers moved while the store was down');
    for (const t of decidedDuring) {
      assert.ok(
        !outage.deliveredBefore.includes(t.idempotencyKey),
        `${t.idempotencyKey} delivered only after its commit`,
      );
    }
    assert.ok(logs.some((l) => l.code === 'store_recovered'));
    assert.ok(
      logs.some((l) => l.code === 'store_unreachable'),
      'the commits that failed are logged with their code',
    );
    await store.close();
  });
});
