import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite/openSqliteStore.ts';

const children = new Set<ChildProcess>();

function startServe(args: string[]) {
  const child = spawn(process.execPath, ['bin/consensus-guard.js', 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SERVE_TEST_SECRET: 'serve-secret' },
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

  it('error: serve without --config is a usage error', async () => {
    const run = startServe([]);
    assert.equal(await run.exited, 2);
    assert.match(run.stderr(), /serve needs --config FILE/);
  });
});
