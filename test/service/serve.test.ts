import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite/openSqliteStore.ts';

const children = new Set<ChildProcess>();
const TOKEN = 'serve-test-token-0123456789';

function startServe(args: string[]) {
  const child = spawn(process.execPath, ['bin/consensus-guard.js', 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SERVE_TEST_SECRET: 'serve-secret', SERVE_TEST_TOKEN: TOKEN },
  });
  children.add(child);
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const wake of waiters) wake();
  });
  child.stdout!.resume();
  const exited = once(child, 'exit').then(([code]) => {
    children.delete(child);
    for (const wake of waiters) wake();
    return code as number | null;
  });
  const waitForErr = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stderr);
        if (match) {
          waiters.delete(check);
          resolve(match[0]);
        } else if (child.exitCode !== null) {
          waiters.delete(check);
          reject(new Error(`serve exited (${child.exitCode}) before ${pattern}: ${stderr}`));
        }
      };
      waiters.add(check);
      check();
    });
  return { child, exited, waitForErr, stderr: () => stderr };
}

describe('serve', () => {
  let dir: string;
  let configPath: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cg-serve-'));
    configPath = join(dir, 'guard.yaml');
    await writeFile(
      configPath,
      `chains:
  devnet:
    preset: devnet
    nodes:
      - { name: gone, url: "http://127.0.0.1:9", pollIntervalMs: 50, requestTimeoutMs: 1000 }
sinks:
  - { name: ops, url: "http://127.0.0.1:9/hook", secretEnv: SERVE_TEST_SECRET, timeoutMs: 1000 }
store:
  dataDir: ${JSON.stringify(join(dir, 'from-config'))}
`,
    );
  });

  after(async () => {
    for (const child of children) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('behavior: stores what it sees, refuses a second guard on the same data directory, replays on restart', async () => {
    const dataDir = join(dir, 'data');
    const first = startServe(['--config', configPath, '--data-dir', dataDir, '--json', '--tick-ms', '50']);
    await first.waitForErr(/serving; breakers: devnet normal/);
    assert.match(first.stderr(), /replayed 0 events/);
    assert.match(first.stderr(), /sinks: ops \(generic, http:\/\/127\.0\.0\.1:9\)/);

    const second = startServe(['--config', configPath, '--data-dir', dataDir]);
    assert.equal(await second.exited, 1);
    assert.match(second.stderr(), /another process holds this store.*--data-dir/);

    await new Promise((resolve) => setTimeout(resolve, 300));
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    assert.match(first.stderr(), /stopped/);

    const store = await openSqliteStore({ dataDir });
    const stored = await store.lastSeq();
    await store.close();
    assert.ok(stored > 0, 'observations were stored');

    const third = startServe(['--config', configPath, '--data-dir', dataDir]);
    await third.waitForErr(new RegExp(`replayed ${stored} events`));
    await third.waitForErr(/serving/);
    third.child.kill('SIGTERM');
    assert.equal(await third.exited, 0);
  });

  it('default: the data directory comes from the config when --data-dir is absent', async () => {
    const run = startServe(['--config', configPath]);
    await run.waitForErr(/serving/);
    assert.match(
      run.stderr(),
      new RegExp(`store ${join(dir, 'from-config').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`),
    );
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
  });

  it('behavior: --http serves the API; an override answered 200 is stored, and the restarted guard resumes it', async () => {
    const dataDir = join(dir, 'data-http');
    const args = ['--config', configPath, '--data-dir', dataDir, '--http', '127.0.0.1:0'];
    const first = startServe([...args, '--token-env', 'SERVE_TEST_TOKEN', '--tick-ms', '50']);
    const url = (await first.waitForErr(/dashboard and API on (http:\/\/127\.0\.0\.1:\d+)/)).split(
      ' on ',
    )[1]!;
    await first.waitForErr(/serving/);
    const chains = (await (await fetch(`${url}/api/chains`)).json()) as { chains: Array<{ name: string }> };
    assert.deepEqual(
      chains.chains.map((c) => c.name),
      ['devnet'],
    );
    const refused = await fetch(`${url}/api/breakers/devnet/override`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ level: 'halt', actor: 'mallory', reason: 'no token' }),
    });
    assert.equal(refused.status, 401);
    const accepted = await fetch(`${url}/api/breakers/devnet/override`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ level: 'halt', actor: 'carol', reason: 'exchange maintenance' }),
    });
    assert.equal(accepted.status, 200);
    await first.waitForErr(
      /"code":"command_audited","msg":"override devnet to halt by carol: exchange maintenance"/,
    );
    // Killed without a clean stop: what the API answered 200 for must be in the store.
    first.child.kill('SIGKILL');
    await first.exited;

    const second = startServe(args);
    await second.waitForErr(/serving; breakers: devnet halt/);
    const url2 = (await second.waitForErr(/dashboard and API on (http:\/\/127\.0\.0\.1:\d+)/)).split(
      ' on ',
    )[1]!;
    const breakers = (await (await fetch(`${url2}/api/breakers`)).json()) as {
      breakers: Array<{ name: string; level: string; override: { actor: string } | null }>;
    };
    assert.equal(breakers.breakers[0]?.level, 'halt');
    assert.equal(breakers.breakers[0]?.override?.actor, 'carol');
    const noToken = await fetch(`${url2}/api/breakers/devnet/resume`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ actor: 'carol', reason: 'done' }),
    });
    assert.equal(noToken.status, 403, 'without --token-env commands are disabled');
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  });

  it('error: serve without --config is a usage error', async () => {
    const run = startServe([]);
    assert.equal(await run.exited, 2);
    assert.match(run.stderr(), /serve needs --config FILE/);
  });
});
