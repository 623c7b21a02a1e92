import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresStore } from '../src/store/postgres/openPostgresStore.ts';
import type { EventEntry } from '../src/store/store.ts';
import { startClusterMember } from '../test/support/startClusterMember.ts';
import { type RunningPostgres, startPostgres } from '../test/support/startPostgres.ts';
import { syntheticObservations } from './synthetic.ts';

const RUNS = 20;
/** Lease time of the replicas, ms: a takeover waits for it to expire. */
const LEASE_MS = 1000;

/** Median and worst of a list of ms. */
function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median =
    sorted[Math.floor((sorted.length - 1) / 2)]! / 2 + sorted[Math.ceil((sorted.length - 1) / 2)]! / 2;
  return `median ${median.toFixed(0)} ms, worst ${sorted.at(-1)!.toFixed(0)} ms, best ${sorted[0]!.toFixed(0)} ms`;
}

/**
 * One failover: two replicas and a watcher playing an incident on a fresh database; the webhook
 * receiver holds (never answers) the first delivery, so the action is in flight when the leader is
 * killed with SIGKILL at that moment; the figure is from the kill to the new leader's delivery of
 * that action (its first delivered action, with a higher epoch).
 */
async function failoverOnce(server: RunningPostgres, spoolDir: string): Promise<number> {
  const url = await server.createDatabase();
  let firstEpoch: number | undefined;
  let killedAtMs = 0;
  let delivered: (ms: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => {
    delivered = resolve;
  });
  let onFirst: () => void = () => undefined;
  const first = new Promise<void>((resolve) => {
    onFirst = resolve;
  });
  const held: ServerResponse[] = [];
  const hook = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const epoch = (JSON.parse(body) as { leader?: { epoch: number } }).leader?.epoch ?? 0;
      if (firstEpoch === undefined) {
        firstEpoch = epoch;
        onFirst();
      }
      if (epoch === firstEpoch) {
        held.push(res); // in flight when the leader dies
        return;
      }
      if (killedAtMs > 0) delivered(performance.now() - killedAtMs);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`;
  const common = {
    url,
    leaseMs: LEASE_MS,
    scenario: 'finality-loss-9',
    seed: 1,
    t0: Date.now() + 2500,
    speed: 400,
    tickMs: 100,
    spoolDir,
  };
  const replicas = ['guard-a', 'guard-b'].map((name) =>
    startClusterMember(name, { ...common, role: 'replica', hookUrl, secret: 'bench' }),
  );
  const watcher = startClusterMember('watch-eu', { ...common, role: 'watcher', location: 'eu' });
  const all = [...replicas, watcher];
  try {
    await first;
    const leader = replicas.find((r) => r.role() === 'leader');
    if (leader === undefined) throw new Error('a delivery without a leader');
    killedAtMs = performance.now();
    await leader.kill('SIGKILL');
    return await done;
  } finally {
    for (const m of all) await m.kill('SIGKILL');
    for (const res of held) res.destroy();
    hook.closeAllConnections();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  }
}

/**
 * The fence's cost: the same batches committed by a fenced store (a cluster member: each write
 * transaction first locks the lease row FOR SHARE and checks holder and epoch) and by an unfenced
 * one (a single guard), alternately on one server.
 */
async function fenceCost(server: RunningPostgres, log: (line: string) => void): Promise<void> {
  const BATCHES = 2000;
  const EVENTS = 10;
  const fenced = await openPostgresStore({ url: await server.createDatabase(), instance: 'bench-a' });
  const plain = await openPostgresStore({ url: await server.createDatabase() });
  const epoch = await fenced.cluster!.acquireLease('bench-a', 3_600_000);
  if (epoch === undefined) throw new Error('no lease');
  fenced.cluster!.setFence({ instance: 'bench-a', epoch }, 0);
  const observations = syntheticObservations(BATCHES * EVENTS);
  const times = { fenced: [] as number[], plain: [] as number[] };
  try {
    let batch: EventEntry[] = [];
    let i = 0;
    for (const observation of observations) {
      batch.push({ event: { type: 'observation', observation }, signals: [], transitions: [] });
      if (batch.length < EVENTS) continue;
      const order = i % 2 === 0 ? (['fenced', 'plain'] as const) : (['plain', 'fenced'] as const);
      for (const which of order) {
        const store = which === 'fenced' ? fenced : plain;
        const t0 = performance.now();
        await store.appendEvents({ entries: batch, sinks: [], nowMs: 0 });
        times[which].push(performance.now() - t0);
      }
      batch = [];
      i += 1;
    }
  } finally {
    await fenced.close();
    await plain.close();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const f = { median: median(times.fenced), mean: mean(times.fenced) };
  const p = { median: median(times.plain), mean: mean(times.plain) };
  log(
    `fence: ${BATCHES} commits of ${EVENTS} events each (durable PostgreSQL), fenced median ${(f.median * 1000).toFixed(0)} µs (mean ${(f.mean * 1000).toFixed(0)}), unfenced median ${(p.median * 1000).toFixed(0)} µs (mean ${(p.mean * 1000).toFixed(0)}): the fence costs ${((f.median - p.median) * 1000).toFixed(0)} µs per committed batch (median), ${(((f.median - p.median) / p.median) * 100).toFixed(1)}%`,
  );
}

/** `npm run bench -- failover`: failover time over 20 runs, and the cost of the fence per commit. */
export async function runFailoverBench(log: (line: string) => void = console.log): Promise<void> {
  const server = await startPostgres({ durable: true });
  const spoolDir = await mkdtemp(join(tmpdir(), 'cg-bench-failover-'));
  try {
    await fenceCost(server, log);
    const times: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const ms = await failoverOnce(server, spoolDir);
      times.push(ms);
      log(`failover ${run}/${RUNS}: ${ms.toFixed(0)} ms`);
    }
    log(
      `failover: kill -9 of the leader with an action in flight to the new leader's delivery of it, lease ${LEASE_MS} ms, ${RUNS} runs: ${summary(times)}`,
    );
  } finally {
    await server.stop();
    await rm(spoolDir, { recursive: true, force: true });
  }
}
