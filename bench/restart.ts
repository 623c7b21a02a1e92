import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineConfig } from '../src/engine/config.ts';
import { createService } from '../src/runtime/createService.ts';
import { openStore } from '../src/store/openStore.ts';
import type { EventEntry } from '../src/store/store.ts';
import type { StoreTarget } from '../src/store/toStoreTarget.ts';
import { type RunningPostgres, startPostgres } from '../test/support/startPostgres.ts';
import { syntheticObservations } from './synthetic.ts';

/** The engine of the synthetic stream (one chain, `bench`, three nodes). */
export const BENCH_ENGINE: EngineConfig = { chains: { bench: { preset: 'ethereum' } } };

const CHILD = fileURLToPath(new URL('./restartChild.ts', import.meta.url));

/** Appends `count` synthetic observations straight through the store, 10,000 per transaction. */
async function fill(target: StoreTarget, count: number, log: (line: string) => void): Promise<number> {
  const store = await openStore(target);
  const t0 = performance.now();
  let batch: EventEntry[] = [];
  let written = 0;
  for (const observation of syntheticObservations(count)) {
    batch.push({ event: { type: 'observation', observation }, signals: [], transitions: [] });
    if (batch.length === 10_000) {
      await store.appendEvents({ entries: batch, sinks: [], nowMs: 0 });
      written += batch.length;
      batch = [];
      if (written % 1_000_000 === 0) log(`restart: ${written.toLocaleString('en-US')} events written`);
    }
  }
  if (batch.length > 0) await store.appendEvents({ entries: batch, sinks: [], nowMs: 0 });
  await store.close();
  return count / ((performance.now() - t0) / 1000);
}

/** Starts the guard in a new process; resolves with the time from spawn to ready. */
function start(
  target: StoreTarget,
): Promise<{ wallMs: number; readyMs: number; replayedEvents: number; snapshotSeq: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(target)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) => {
      const line = out.split('\n')[0];
      if (code !== 0 || !line) return reject(new Error(`restart child exited ${code}`));
      const report = JSON.parse(line) as { readyMs: number; replayedEvents: number; snapshotSeq: number };
      resolve({ wallMs: performance.now() - t0, ...report });
    });
  });
}

/** Observations per second committed through a store by the service (group commit), `count` pushed at once. */
async function commitRate(target: StoreTarget, count: number): Promise<number> {
  const store = await openStore(target);
  const service = createService({
    engine: BENCH_ENGINE,
    sources: [],
    store,
    tickIntervalMs: 0,
    log: () => undefined,
  });
  await service.start();
  const t0 = performance.now();
  let pushed = 0;
  for (const observation of syntheticObservations(count)) {
    service.push(observation);
    pushed += 1;
    // Feed at most 50,000 ahead of the commits (the buffer's default bound is 100,000).
    if (pushed % 10_000 === 0)
      while (service.stats().pendingEvents > 50_000) await new Promise((r) => setTimeout(r, 5));
  }
  await service.flush({ timeoutMs: 600_000 });
  const perSecond = count / ((performance.now() - t0) / 1000);
  await service.stop();
  await store.close();
  return perSecond;
}

/**
 * Restart time (process start to ready: the store opened, the engine restored, the service
 * started) after 1 million and 10 million stored events, on SQLite and on PostgreSQL, first without
 * a snapshot (the whole log is replayed, and the service writes a snapshot at the end), then with
 * it; and observations per second committed through each store. `BENCH_RESTART_COUNTS=1000000`
 * to run a part. Not part of `npm test`: 10 million events take minutes to write.
 */
export async function runRestartBench(options: { counts?: number[]; log?: (line: string) => void } = {}) {
  const log = options.log ?? console.log;
  const counts =
    options.counts ?? (process.env.BENCH_RESTART_COUNTS ?? '1000000,10000000').split(',').map(Number);
  let postgres: RunningPostgres | undefined;
  const dirs: string[] = [];
  try {
    postgres = await startPostgres({ durable: true });
    const stores: Array<[string, () => Promise<StoreTarget>]> = [
      [
        'sqlite',
        async () => {
          const dir = mkdtempSync(join(tmpdir(), 'cg-bench-restart-'));
          dirs.push(dir);
          return { kind: 'sqlite', dataDir: dir };
        },
      ],
      [
        'postgres',
        async () => {
          const url = await postgres!.createDatabase();
          return { kind: 'postgres', url, displayUrl: url };
        },
      ],
    ];
    for (const [name, create] of stores) {
      const rate = await commitRate(await create(), 200_000);
      log(
        `commit: ${name}: ${Math.round(rate).toLocaleString('en-US')} observations/s committed by the service (200,000 pushed at once)`,
      );
    }
    for (const count of counts) {
      for (const [name, create] of stores) {
        const target = await create();
        const writeRate = await fill(target, count, log);
        log(
          `restart: ${name}: ${count.toLocaleString('en-US')} events written in batches of 10,000 at ${Math.round(writeRate).toLocaleString('en-US')}/s`,
        );
        const full = await start(target);
        const warm = await start(target);
        log(
          `restart: ${name}, ${count.toLocaleString('en-US')} events, no snapshot: ready ${(full.wallMs / 1000).toFixed(2)} s after spawn (${full.replayedEvents.toLocaleString('en-US')} events replayed)`,
        );
        log(
          `restart: ${name}, ${count.toLocaleString('en-US')} events, with snapshot: ready ${(warm.wallMs / 1000).toFixed(2)} s after spawn (snapshot at seq ${warm.snapshotSeq.toLocaleString('en-US')}, ${warm.replayedEvents} replayed; ${(warm.readyMs / 1000).toFixed(2)} s of it in the process, tsx included)`,
        );
        if (target.kind === 'sqlite') rmSync(target.dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    await postgres?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runRestartBench();
