import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, type RunningNode, startAnvil } from '../peers/nodes.ts';
import { sample } from '../support/sample.ts';
import { type ServeProcess, spawnServe } from '../support/spawnServe.ts';
import { type RunningPostgres, startPostgres } from '../support/startPostgres.ts';
import { type StartRpcProxyReturnType, startRpcProxy } from '../support/startRpcProxy.ts';
import { waitFor } from '../support/waitFor.ts';

type Signal = { kind: string; severity: string; location?: string; atMs: number };
type Breaker = { name: string; level: string };

let server: RunningPostgres;
let anvil: RunningNode;
let proxy: StartRpcProxyReturnType;
let dir: string;
const members: ServeProcess[] = [];

before(async () => {
  [server, anvil] = await Promise.all([startPostgres(), startAnvil({ blockTimeS: 1 })]);
  proxy = await startRpcProxy({ target: anvil.url });
  dir = await mkdtemp(join(tmpdir(), 'cg-locations-'));
});
after(async () => {
  for (const m of members) await m.kill('SIGKILL');
  await proxy?.close();
  await anvil?.stop();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const configOf = (url: string) => `chains:
  devnet:
    preset: devnet
    nodes:
      - { name: anvil, url: "${url}", pollIntervalMs: 100 }
`;

describe('watcher locations in a cluster (real processes, PostgreSQL, Anvil)', () => {
  it('behavior: one location loses its node (from its side only): monitor_partition for it, breakers stay normal; the chain stops for every location: halt', {
    timeout: 120_000,
  }, async () => {
    const url = await server.createDatabase();
    const direct = join(dir, 'direct.yaml');
    const proxied = join(dir, 'proxied.yaml');
    await writeFile(direct, configOf(anvil.url));
    await writeFile(proxied, configOf(proxy.url));
    const port = await freePort();
    const common = ['--store', url, '--tick-ms', '200', '--spool-dir', join(dir, 'spool')];
    // The replica watches the node itself (the guard's own place) and leads; two watchers see the
    // same node, `us` through a proxy that only it uses.
    const leader = spawnServe('guard-a', [
      '--config',
      direct,
      ...common,
      '--instance',
      'guard-a',
      '--lease-ms',
      '2000',
      '--http',
      `127.0.0.1:${port}`,
      '--json',
    ]);
    const eu = spawnServe('watch-eu', [
      '--config',
      direct,
      ...common,
      '--role',
      'watcher',
      '--location',
      'eu',
      '--instance',
      'watch-eu',
    ]);
    const us = spawnServe('watch-us', [
      '--config',
      proxied,
      ...common,
      '--role',
      'watcher',
      '--location',
      'us',
      '--instance',
      'watch-us',
    ]);
    members.push(leader, eu, us);
    await Promise.all([
      leader.waitForStderr(/dashboard and API on/),
      eu.waitForStderr(/serving/),
      us.waitForStderr(/serving/),
    ]);
    const get = async <T>(path: string) => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      assert.equal(response.status, 200, path);
      return (await response.json()) as T;
    };
    const signals = async () => (await get<{ signals: Signal[] }>('/api/signals?limit=1000')).signals;
    const levels = async () =>
      Object.fromEntries(
        (await get<{ breakers: Breaker[] }>('/api/breakers')).breakers.map((b) => [b.name, b.level]),
      );
    const until = <T>(what: string, check: () => Promise<T | undefined>) => waitFor(what, check, 60_000, 100);

    // Every place sees the chain: three locations in the store, the guard's own and two watchers'.
    await until('observations from both watcher locations', async () => {
      const cluster = await get<{ locations: Array<{ location: string; observations: number }> }>(
        '/api/cluster',
      );
      return cluster.locations.filter((l) => l.observations > 10).length === 2 ? true : undefined;
    });
    assert.deepEqual(await levels(), { devnet: 'normal' });
    assert.deepEqual(await signals(), [], 'every place sees the chain: nothing raised');
    // The leader's metrics, read from the store and its own commits.
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const value = (series: string) => sample(text, `consensus_guard_${series}`);
    assert.ok(value('cluster_leader_epoch{leader="guard-a"}')! >= 1, 'the epoch of guard-a');
    assert.equal(value('cluster_lease_valid{leader="guard-a"}'), 1);
    const leaseAge = value('cluster_lease_age_seconds{leader="guard-a"}')!;
    assert.ok(leaseAge >= 0 && leaseAge < 2, `renewed within the lease (2 s): ${leaseAge} s`);
    assert.equal(value('cluster_instances{role="leader"}'), 1);
    assert.equal(value('cluster_instances{role="watcher"}'), 2);
    assert.equal(value('cluster_instances{role="follower"}'), 0);
    for (const location of ['eu', 'us'])
      assert.ok(value(`cluster_location_observations{location="${location}"}`)! > 10, location);
    const writes = value('store_write_duration_seconds_count')!;
    assert.ok(writes > 0, 'commits timed');
    process.stdout.write(
      `# store writes: ${writes}, mean ${((value('store_write_duration_seconds_sum')! / writes) * 1000).toFixed(2)} ms\n`,
    );

    // 1. The proxy of `us` goes down: only that watcher loses its node.
    const cutAtMs = Date.now();
    proxy.down(true);
    const partition = await until('monitor_partition for us', async () =>
      (await signals()).find((s) => s.kind === 'monitor_partition'),
    );
    process.stdout.write(
      `# monitor_partition:${partition.location} raised ${Date.now() - cutAtMs} ms after the cut\n`,
    );
    assert.equal(partition.location, 'us');
    assert.equal(partition.severity, 'warning');
    // Past the critical liveness threshold (8 s on devnet) as seen from `us`: still normal.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    assert.deepEqual(await levels(), { devnet: 'normal' }, 'one location in trouble moves no breaker');
    const duringCut = await signals();
    assert.deepEqual(
      duringCut.filter((s) => s.kind === 'monitor_partition').map((s) => s.location),
      ['us'],
      'only the cut location is reported',
    );
    assert.equal(
      duringCut.filter((s) => s.kind === 'liveness').length,
      0,
      'no chain liveness signal while two locations see blocks',
    );

    // 2. The proxy comes back; then the chain stops for everybody.
    proxy.down(false);
    await anvil.rpc('evm_setIntervalMining', [0]);
    const stoppedAtMs = Date.now();
    await until('halt', async () => ((await levels()).devnet === 'halt' ? true : undefined));
    process.stdout.write(`# halt ${Date.now() - stoppedAtMs} ms after the chain stopped\n`);
    const halt = leader.printed.find((p) => p.type === 'transition' && p.to === 'halt');
    assert.ok(halt, 'the leader printed the halt transition');
    assert.deepEqual(halt.causes, ['liveness']);
    const kinds = (await signals()).filter((s) => s.kind === 'liveness').map((s) => s.severity);
    assert.ok(kinds.includes('critical'), `a critical liveness signal: ${kinds.join(', ')}`);
    await anvil.rpc('evm_setIntervalMining', [1]);
  });
});
