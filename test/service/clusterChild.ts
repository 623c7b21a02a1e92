import { writeSync } from 'node:fs';
import type { Hex } from 'viem';
import { createService, type ServiceLogEntry } from '../../src/runtime/createService.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { toEngineConfig } from '../../src/sim/toEngineConfig.ts';
import { createOnchainGuardSink } from '../../src/sinks/onchain/createOnchainGuardSink.ts';
import type { Sink } from '../../src/sinks/sink.ts';
import { createWebhookSink } from '../../src/sinks/webhook/createWebhookSink.ts';
import { createPlaybackSource } from '../../src/sources/playback/createPlaybackSource.ts';
import { openPostgresStore } from '../../src/store/postgres/openPostgresStore.ts';

/**
 * One member of a guard cluster in a child process, for the cluster test and bench: a replica
 * (no sources of its own: it decides on what the watchers store, and delivers to a webhook when it
 * leads) or a watcher (plays a simulated incident in accelerated real time, anchored at `t0` so
 * every watcher sees the same chain time, and appends what it sees to the store's inbox). Reports
 * on stdout, one JSON object per line: `{ type: 'ready' }`, `{ type: 'role', role, epoch, atMs }`
 * at each change of role, `{ type: 'fenced', atMs }` when a write is refused by the fence,
 * `{ type: 'played' }` once a watcher's incident is played, and with an `onchain` sink
 * `{ type: 'onchain', entry }` for each of the keeper's log entries (`applied`, `already_applied`;
 * bigints as strings). SIGTERM stops it cleanly.
 *
 * argv[2] is JSON: { url, instance, role, location?, leaseMs, hookUrl?, secret?, onchain?, scenario,
 * seed, t0, speed, tickMs, spoolDir }. `onchain` is { rpcUrl, guardAddress, keeperKey, markets }: a
 * keeper of a ConsensusGuard (the key is a throwaway one the test generated).
 */
type Args = {
  url: string;
  instance: string;
  role: 'replica' | 'watcher';
  location?: string;
  leaseMs: number;
  hookUrl?: string;
  secret?: string;
  onchain?: { rpcUrl: string; guardAddress: Hex; keeperKey: Hex; markets: Record<string, Hex> };
  scenario: string;
  seed: number;
  t0: number;
  speed: number;
  tickMs: number;
  spoolDir: string;
};

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const report = (value: Record<string, unknown>) => writeSync(1, `${JSON.stringify(value)}\n`);

const { scenario, observations } = simulate(args.scenario, { seed: args.seed });
const source = createPlaybackSource({
  name: 'simulated',
  observations,
  speed: args.speed,
  anchor: { wallMs: args.t0, simMs: observations[0]?.observedAtMs ?? 0 },
  tickMs: args.tickMs,
  onFinished: () => report({ type: 'played' }),
});
const store = await openPostgresStore({ url: args.url, instance: args.instance });
const log = (entry: ServiceLogEntry) => {
  if (entry.code === 'store_fenced') report({ type: 'fenced', atMs: Date.now(), message: entry.message });
  if (entry.level === 'error') process.stderr.write(`${args.instance}: ${JSON.stringify(entry)}\n`);
};
const cluster: NonNullable<Parameters<typeof createService>[0]['cluster']> = {
  instance: args.instance,
  role: args.role,
  leaseMs: args.leaseMs,
  spoolDir: args.spoolDir,
};
if (args.location !== undefined) cluster.location = args.location;
const sinks: Sink[] = [];
if (args.hookUrl !== undefined) {
  sinks.push(
    createWebhookSink({ name: 'hook', url: args.hookUrl, secret: args.secret ?? '', timeoutMs: 10_000 }),
  );
}
if (args.onchain !== undefined) {
  const { rpcUrl, guardAddress, keeperKey, markets } = args.onchain;
  sinks.push(
    createOnchainGuardSink({
      name: 'guard',
      rpcUrl,
      guardAddress,
      privateKeyEnv: 'CG_TEST_KEEPER_KEY',
      env: { CG_TEST_KEEPER_KEY: keeperKey },
      markets,
      pollingIntervalMs: 50,
      log: (entry) =>
        report({
          type: 'onchain',
          entry: JSON.parse(JSON.stringify(entry, (_, v) => (typeof v === 'bigint' ? String(v) : v))),
        }),
    }),
  );
}
const service = createService({
  engine: toEngineConfig(scenario),
  sources: args.role === 'watcher' ? [source] : [],
  sinks,
  store,
  clock: source.clock,
  tickIntervalMs: 0,
  retry: { baseMs: 20, maxMs: 250 },
  cluster,
  log,
});
process.once('SIGTERM', async () => {
  await service.stop();
  await store.close();
  process.exit(0);
});
await service.start();
report({ type: 'ready' });
let last = '';
setInterval(() => {
  const { role, epoch } = service.clusterPosition();
  const now = `${role}:${epoch}`;
  if (now === last) return;
  last = now;
  report({ type: 'role', role, epoch, atMs: Date.now() });
}, 10);
