import { writeSync } from 'node:fs';
import { createService } from '../../src/runtime/createService.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { toEngineConfig } from '../../src/sim/toEngineConfig.ts';
import { createWebhookSink } from '../../src/sinks/webhook/createWebhookSink.ts';
import { createPlaybackSource } from '../../src/sources/playback/createPlaybackSource.ts';
import { openSqliteStore } from '../../src/store/sqlite/openSqliteStore.ts';

/**
 * The durable guard in a child process, for the restart test. It watches a simulated incident
 * played in accelerated real time: chain time is `simStart + (now - t0) * speed`, the same for
 * every run that gets the same `t0`, so a run started again after a kill picks the incident up
 * where the wall clock says it is (what the guard did not see while it was down is lost, as it
 * would be with real nodes). Ticks come from the same source, in chain time, while the incident
 * plays. It reports on stdout, one JSON object per line, written
 * synchronously:
 * - `{ type: 'ready', levels, replayedEvents, replayMs }` once the log is replayed;
 * - `{ type: 'transition', idempotencyKey, to }` after each committed transition;
 * - `{ type: 'done' }` once the incident is played and the outbox is drained.
 * SIGTERM stops it cleanly.
 *
 * argv[2] is JSON: { dataDir, url, secret, scenario, seed, t0, speed, tickMs }.
 */
type Args = {
  dataDir: string;
  url: string;
  secret: string;
  scenario: string;
  seed: number;
  t0: number;
  speed: number;
  tickMs: number;
};

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const report = (value: unknown) => writeSync(1, `${JSON.stringify(value)}\n`);

const { scenario, observations } = simulate(args.scenario, { seed: args.seed });
let finished: () => void = () => undefined;
const played = new Promise<void>((resolve) => {
  finished = resolve;
});
const source = createPlaybackSource({
  name: 'simulated',
  observations,
  speed: args.speed,
  anchor: { wallMs: args.t0, simMs: observations[0]?.observedAtMs ?? 0 },
  tickMs: args.tickMs,
  onFinished: () => finished(),
});

const store = await openSqliteStore({ dataDir: args.dataDir });
const service = createService({
  engine: toEngineConfig(scenario),
  sources: [source],
  sinks: [createWebhookSink({ name: 'hook', url: args.url, secret: args.secret, timeoutMs: 10_000 })],
  store,
  clock: source.clock,
  tickIntervalMs: 0,
  retry: { baseMs: 20, maxMs: 250 },
  log: (entry) => {
    if (entry.level === 'error') process.stderr.write(`${JSON.stringify(entry)}\n`);
  },
});
service.subscribe((event) => {
  if (event.type === 'transition') {
    report({ type: 'transition', idempotencyKey: event.transition.idempotencyKey, to: event.transition.to });
  }
});
let stopping = false;
process.once('SIGTERM', async () => {
  stopping = true;
  await service.stop();
  await store.close();
  process.exit(0);
});
await service.start();
const levels: Record<string, string> = {};
for (const breaker of service.engine().breakers.values()) levels[breaker.name] = breaker.level;
const { replayedEvents, replayMs } = service.stats();
report({ type: 'ready', levels, replayedEvents, replayMs });
await played;
if (!stopping) {
  await service.drained();
  report({ type: 'done' });
}
