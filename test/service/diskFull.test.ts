import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Observation } from '../../src/core/observation.ts';
import { createApp } from '../../src/http/createApp.ts';
import { createService, type ServiceLogEntry } from '../../src/runtime/createService.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { toEngineConfig } from '../../src/sim/toEngineConfig.ts';
import { toObservationLine } from '../../src/sources/replay/toObservationLine.ts';
import { openSqliteStore } from '../../src/store/sqlite/openSqliteStore.ts';
import type { Store, StoredEvent } from '../../src/store/store.ts';
import { waitFor } from '../support/waitFor.ts';

const TOKEN = 'disk-full-test-token-0123';
const { scenario, observations } = simulate('reorg-7', { seed: 1 });
const engine = toEngineConfig(scenario);
const breaker = scenario.chain;

const command = (action: 'override' | 'resume', level?: string): Request =>
  new Request(`http://localhost/api/breakers/${breaker}/${action}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...(level ? { level } : {}), actor: 'dana', reason: 'drill' }),
  });

type BreakerList = { breakers: Array<{ name: string; level: string; override: unknown }> };

async function readEvents(store: Store, afterSeq: number): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const batch of store.readEvents({ afterSeq })) out.push(...batch);
  return out;
}

/** Fills the file system of `dir` up to the last byte with `file`. */
function fill(file: string): void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  for (let size = chunk.length; size >= 1; size = Math.floor(size / 2)) {
    for (;;) {
      try {
        appendFileSync(file, chunk.subarray(0, size));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw error;
      }
    }
  }
}

/** A service over `store` with the API, recording log lines and what the API logs (the CLI prints
 * its `info` lines as `audit: ...`). */
function createGuardApp(store: Store, options: { commitTimeoutMs?: number; maxPendingEvents?: number } = {}) {
  const logs: ServiceLogEntry[] = [];
  const audit: string[] = [];
  const service = createService({
    engine,
    sources: [],
    store,
    tickIntervalMs: 0,
    log: (entry) => logs.push(entry),
    ...options,
  });
  const app = createApp({
    view: service,
    token: TOKEN,
    limits: { rateLimit: false },
    log: (entry) => {
      if (entry.level === 'info') audit.push(entry.message);
    },
  });
  const breakers = async () => ((await (await app.request('/api/breakers')).json()) as BreakerList).breakers;
  return { service, app, logs, audit, breakers };
}

describe('a store that cannot write', () => {
  it('behavior: on a full disk (tmpfs), not ready, commands refused with 503 and not shown; once space is back, the buffered observations are committed in order and a new override survives a restart', async (t) => {
    if (process.getuid?.() !== 0) {
      t.skip('needs root to mount a 2 MB tmpfs (mount -t tmpfs): run as root to test a real full disk');
      return;
    }
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-disk-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dataDir]);
    let store: Store | undefined;
    let stop: (() => Promise<void>) | undefined;
    try {
      store = await openSqliteStore({ dataDir, synchronous: 'normal' });
      const guard = createGuardApp(store, { commitTimeoutMs: 1000 });
      const { service, app } = guard;
      stop = () => service.stop();
      await service.start();
      let next = 0;
      for (; next < 50; next += 1) service.push(observations[next]!);
      await service.flush();
      const seqBefore = await store.lastSeq();
      assert.equal(seqBefore, 50);

      const filler = join(dataDir, 'filler');
      writeFileSync(filler, '');
      fill(filler);
      // Push until a commit fails: the WAL may reuse space it already has for a while.
      const buffered: Observation[] = [];
      await waitFor('a failed commit', async () => {
        if (!service.ready()) return true;
        const o = observations[next++];
        assert.ok(o, 'the scenario ended before the disk was full');
        service.push(o);
        buffered.push(o);
        await new Promise((resolve) => setImmediate(resolve));
        return undefined;
      });
      const committedSeq = await store.lastSeq();
      for (let i = 0; i < 20; i += 1) {
        const o = observations[next++]!;
        service.push(o);
        buffered.push(o);
      }

      const ready = await app.request('/readyz');
      assert.equal(ready.status, 503);
      assert.match(
        ((await ready.json()) as { error: { message: string } }).error.message,
        /store cannot write/,
      );
      const levelBefore = (await guard.breakers())[0]!.level;
      const refused = await app.request(command('override', 'settlement_hold'));
      assert.equal(refused.status, 503);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'not_ready');
      assert.equal((await app.request(command('resume'))).status, 503);
      const [shown] = await guard.breakers();
      assert.equal(shown?.override, null, 'GET /api/breakers does not show a command that was not stored');
      assert.equal(shown?.level, levelBefore);
      assert.equal(
        service.engine().observations,
        committedSeq,
        'the API reads the committed state: the observations not yet stored are not in it',
      );
      assert.deepEqual(guard.audit, [], 'nothing printed as done');
      assert.ok(guard.logs.some((l) => l.code === 'store_write_failed'));

      await rm(filler);
      await waitFor('readiness', async () =>
        (await app.request('/readyz')).status === 200 ? true : undefined,
      );
      await service.flush();
      const stored = await readEvents(store, seqBefore);
      assert.deepEqual(
        stored.map((e) => e.seq),
        buffered.map((_, i) => seqBefore + 1 + i),
        'every buffered observation committed, without gaps',
      );
      assert.deepEqual(
        stored.map((e) => (e.type === 'observation' ? toObservationLine(e.observation) : e.type)),
        buffered.map((o) => toObservationLine(o)),
        'in the order they arrived',
      );
      assert.equal(service.stats().droppedObservations, 0);
      assert.ok(guard.logs.some((l) => l.code === 'store_recovered'));

      const accepted = await app.request(command('override', 'halt'));
      assert.equal(accepted.status, 200);
      assert.equal(guard.audit.length, 1);
      assert.match(guard.audit[0]!, /override .* to halt by dana/);
      await service.stop();
      stop = undefined;
      await store.close();

      store = await openSqliteStore({ dataDir, synchronous: 'normal' });
      const again = createGuardApp(store);
      stop = () => again.service.stop();
      await again.service.start();
      const [restarted] = await again.breakers();
      assert.equal(restarted?.level, 'halt');
      assert.equal(
        (restarted?.override as { actor?: string } | null)?.actor,
        'dana',
        'the override survives a restart',
      );
    } finally {
      await stop?.();
      await store?.close();
      execFileSync('umount', [dataDir]);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

/** A store whose writes fail while `broken.on` is set, with SQLite's disk-full error. */
function createBreakableStore(store: Store) {
  const broken = { on: false };
  const breakable: Store = {
    ...store,
    appendEvents: (parameters) =>
      broken.on
        ? Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'store_write_failed' }))
        : store.appendEvents(parameters),
  };
  return { breakable, broken };
}

describe('a store that stops writing', () => {
  it('error: a command taken just before the store fails answers 503 after commitTimeoutMs, is not shown until stored, and is stored once the store writes again', async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    const { breakable, broken } = createBreakableStore(store);
    const guard = createGuardApp(breakable, { commitTimeoutMs: 200 });
    await guard.service.start();
    try {
      broken.on = true;
      const answer = await guard.app.request(command('override', 'halt'));
      assert.equal(answer.status, 503);
      const { error } = (await answer.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, 'not_ready');
      assert.match(error.message, /not stored within 200 ms .*stays queued/);
      assert.equal((await guard.breakers())[0]?.override, null);
      assert.deepEqual(guard.audit, []);
      assert.equal((await guard.app.request('/readyz')).status, 503);

      broken.on = false;
      await waitFor('the commit', async () => ((await guard.breakers())[0]?.override ? true : undefined));
      assert.equal((await guard.breakers())[0]?.level, 'halt');
      assert.deepEqual(
        (await store.listAudit()).map((a) => [a.action, a.level]),
        [['override', 'halt']],
      );
    } finally {
      await guard.service.stop();
      await store.close();
    }
  });

  it('behavior: past maxPendingEvents, observations are dropped before the engine, counted and logged; the buffered ones are committed in order', async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    const { breakable, broken } = createBreakableStore(store);
    const guard = createGuardApp(breakable, { maxPendingEvents: 5 });
    await guard.service.start();
    try {
      broken.on = true;
      for (const o of observations.slice(0, 12)) guard.service.push(o);
      assert.equal(guard.service.stats().droppedObservations, 7);
      assert.equal(guard.logs.filter((l) => l.code === 'observations_dropped').length, 1);
      const metrics = await (await guard.app.request('/metrics')).text();
      assert.match(metrics, /^consensus_guard_store_buffer_full 1$/m);
      assert.match(metrics, /^consensus_guard_store_pending_events 5$/m);
      assert.match(metrics, /^consensus_guard_store_pending_events_max 5$/m);
      assert.match(metrics, /^consensus_guard_store_dropped_observations_total 7$/m);
      broken.on = false;
      await waitFor('the buffered events', async () => ((await store.lastSeq()) === 5 ? true : undefined));
      assert.deepEqual(
        (await readEvents(store, 0)).map((e) =>
          e.type === 'observation' ? toObservationLine(e.observation) : '',
        ),
        observations.slice(0, 5).map((o) => toObservationLine(o)),
      );
      assert.equal(guard.service.engine().observations, 5);
    } finally {
      await guard.service.stop();
      await store.close();
    }
  });
});
