import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite/openSqliteStore.ts';

const children = new Set<ChildProcess>();
const dirs: string[] = [];

after(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** `consensus-guard demo` as a child process, as a user runs it. */
function startDemo(args: string[]) {
  const child = spawn(
    process.execPath,
    ['bin/consensus-guard.js', 'demo', '--http', '127.0.0.1:0', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    wake();
  });
  const exited = once(child, 'exit').then(([code]) => {
    children.delete(child);
    wake();
    return code as number | null;
  });
  /** Resolves with the first match of `pattern` in stdout + stderr. */
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(`${stderr}\n${stdout}`);
        if (match) {
          waiters.delete(check);
          resolve(match);
        } else if (child.exitCode !== null) {
          waiters.delete(check);
          reject(new Error(`demo exited (${child.exitCode}) before ${pattern}:\n${stderr}\n${stdout}`));
        }
      };
      waiters.add(check);
      check();
    });
  return { child, exited, waitFor, stdout: () => stdout, stderr: () => stderr };
}

type Breakers = { breakers: Array<{ name: string; level: string }> };

describe('consensus-guard demo', () => {
  it('behavior: plays the client split through the service: the API and the webhook receiver see the breaker trip and recover, the temporary store is removed', async () => {
    const demo = startDemo(['--seconds', '6', '--exit']);
    const url = (await demo.waitFor(/dashboard\s+(http:\/\/127\.0\.0\.1:\d+)\//))[1]!;
    const token = (await demo.waitFor(/token\s+(\S+)/))[1]!;
    const dataDir = (await demo.waitFor(/store\s+(\S+) \(SQLite/))[1]!;
    assert.ok(existsSync(dataDir), 'the store is on disk while the demo runs');

    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);

    await demo.waitFor(/BREAKER\s+ethereum: normal -> reduce_only/);
    const breakers = (await (await fetch(`${url}/api/breakers`)).json()) as Breakers;
    assert.deepEqual(
      breakers.breakers.map((b) => [b.name, b.level]),
      [['ethereum', 'reduce_only']],
    );
    const chains = (await (await fetch(`${url}/api/chains`)).json()) as { chains: Array<{ name: string }> };
    assert.deepEqual(
      chains.chains.map((c) => c.name),
      ['ethereum'],
    );
    const refused = await fetch(`${url}/api/breakers/ethereum/override`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-token-wrong-token' },
      body: JSON.stringify({ level: 'halt', actor: 'mallory', reason: 'not allowed' }),
    });
    assert.equal(refused.status, 403);
    assert.ok(token.length >= 16);

    assert.equal(await demo.exited, 0, demo.stderr());
    const out = demo.stdout();
    assert.match(out, /webhook\s+ethereum normal -> reduce_only received, signature verified/);
    assert.match(out, /webhook\s+ethereum reduce_only -> normal received, signature verified/);
    assert.match(out, /2 breaker transitions/);
    assert.equal(existsSync(dataDir), false, 'the temporary store is removed at exit');
  });

  it("behavior: the override button's command works with the printed token; Ctrl-C on a kept data directory, then a second run resumes at the stored level", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-demo-'));
    dirs.push(dataDir);
    const first = startDemo(['--scenario', 'full-halt', '--seconds', '120', '--data-dir', dataDir, '--json']);
    const url = (await first.waitFor(/dashboard\s+(http:\/\/127\.0\.0\.1:\d+)\//))[1]!;
    const token = (await first.waitFor(/token\s+(\S+)/))[1]!;
    await first.waitFor(/"type":"signal"/);
    const accepted = await fetch(`${url}/api/breakers/solana/override`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ level: 'settlement_hold', actor: 'ops', reason: 'demo drill' }),
    });
    assert.equal(accepted.status, 200, await accepted.clone().text());
    await first.waitFor(/"to":"settlement_hold"/);
    first.child.kill('SIGINT');
    assert.equal(await first.exited, 0, first.stderr());

    const store = await openSqliteStore({ dataDir });
    const stored = await store.lastSeq();
    await store.close();
    assert.ok(stored > 0);

    const second = startDemo([
      '--scenario',
      'full-halt',
      '--seconds',
      '120',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    const resumed = await second.waitFor(/resumed from the store: (\d+) events replayed, breakers (.*)/);
    assert.equal(Number(resumed[1]), stored);
    assert.equal(resumed[2], 'solana settlement_hold');
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0, second.stderr());
    assert.ok(existsSync(dataDir), 'a given data directory is kept');
  });

  it('error: an unknown scenario is a usage error naming the known ones', async () => {
    const demo = startDemo(['--scenario', 'nope']);
    assert.equal(await demo.exited, 2);
    assert.match(demo.stderr(), /unknown scenario "nope": use one of .*client-split/);
  });
});
