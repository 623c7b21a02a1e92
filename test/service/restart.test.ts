import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createWebhookReceiver } from '../../examples/webhookReceiver.ts';
import { levelRank } from '../../src/breaker/levels.ts';
import { openSqliteStore } from '../../src/store/sqlite/openSqliteStore.ts';

const CHILD = fileURLToPath(new URL('./restartChild.ts', import.meta.url));
const SECRET = 'restart-test-secret';

type Report = { type: string; [field: string]: unknown };
type Child = {
  process: ChildProcess;
  reports: Report[];
  waitFor: (test: (r: Report) => boolean) => Promise<Report>;
};

const children = new Set<ChildProcess>();

function startChild(args: Record<string, unknown>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const reports: Report[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    reports.push(JSON.parse(line) as Report);
    for (const wake of waiters) wake();
  });
  const waitFor = (test: (r: Report) => boolean) =>
    new Promise<Report>((resolve, reject) => {
      const check = () => {
        const found = reports.find(test);
        if (found) {
          waiters.delete(check);
          child.off('exit', onExit);
          resolve(found);
        }
      };
      const onExit = () => {
        waiters.delete(check);
        reject(new Error(`the guard exited before the awaited report (${reports.length} reports)`));
      };
      waiters.add(check);
      child.once('exit', onExit);
      check();
    });
  return { process: child, reports, waitFor };
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

after(async () => {
  await Promise.all([...children].map((c) => kill(c, 'SIGKILL')));
});

describe('restart in the middle of an incident', () => {
  it('behavior: after kill -9 the guard resumes at the same breaker level and the receiver gets every transition once, in order', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-restart-'));
    const seen = new Set<string>();
    const accepted: string[] = [];
    let down = false;
    let phase: 'first' | 'second' = 'first';
    const inner = createWebhookReceiver({
      secret: SECRET,
      seen,
      onAccepted: (_b, key) => {
        accepted.push(key);
        if (phase === 'first') down = true;
      },
    });
    let refused = 0;
    const server = createServer((req, res) => {
      if (!down) {
        inner.emit('request', req, res);
        return;
      }
      refused += 1;
      req.resume();
      res.writeHead(503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const args = {
      dataDir,
      url,
      secret: SECRET,
      scenario: 'finality-loss-9',
      seed: 1,
      t0: Date.now() + 1500,
      speed: 400,
      tickMs: 50,
    };
    try {
      const first = startChild(args);
      await first.waitFor((r) => r.type === 'ready');
      await first.waitFor((r) => r.type === 'transition');
      for (let i = 0; accepted.length === 0 && i < 6000; i += 1) await new Promise((r) => setTimeout(r, 10));
      assert.equal(accepted.length, 1, 'the first transition reached the receiver, then it went down');
      await first.waitFor((r) => r.type === 'transition' && r.to === 'reduce_only');
      for (let i = 0; refused === 0 && i < 6000; i += 1) await new Promise((r) => setTimeout(r, 10));
      await kill(first.process, 'SIGKILL');
      const printedBeforeKill = first.reports.filter((r) => r.type === 'transition').length;

      const store = await openSqliteStore({ dataDir });
      const stored = await store.listTransitions();
      const pendingAtKill = (await store.countActions('hook')).pending;
      await store.close();
      assert.ok(stored.length >= printedBeforeKill, 'every printed transition was committed');
      const expectedLevels: Record<string, string> = {};
      for (const t of stored) expectedLevels[t.breaker] = t.to;
      assert.ok(
        Object.values(expectedLevels).some((level) => levelRank(level as 'normal') > 0),
        `killed mid-incident: ${JSON.stringify(expectedLevels)}`,
      );
      assert.ok(pendingAtKill >= 1, 'actions were pending at the kill');
      assert.ok(refused >= 1);

      phase = 'second';
      down = false;
      const second = startChild(args);
      const ready = await second.waitFor((r) => r.type === 'ready');
      const levels = ready.levels as Record<string, string>;
      for (const [breaker, level] of Object.entries(levels)) {
        assert.equal(level, expectedLevels[breaker] ?? 'normal', `breaker ${breaker} resumes at its level`);
      }
      assert.ok((ready.replayedEvents as number) > 0);
      await second.waitFor((r) => r.type === 'done');
      await kill(second.process, 'SIGTERM');
      assert.equal(second.process.exitCode, 0);

      const reopened = await openSqliteStore({ dataDir });
      const all = await reopened.listTransitions();
      const counts = await reopened.countActions('hook');
      await reopened.close();
      assert.ok(all.length > stored.length || all.length === stored.length);
      assert.deepEqual(counts, { pending: 0, delivered: all.length, failed: 0 });
      const byBreaker = (keys: string[]) => {
        const out: Record<string, number[]> = {};
        for (const key of keys) {
          const [, breaker, seq] = key.split(':'); // <storeId>:<breaker>:<seq>:<from>><to>
          (out[breaker!] ??= []).push(Number(seq));
        }
        return out;
      };
      const expectedKeys = all.map((t) => t.idempotencyKey);
      assert.deepEqual(
        [...accepted].sort(),
        [...expectedKeys].sort(),
        'every transition accepted exactly once',
      );
      for (const [breaker, seqs] of Object.entries(byBreaker(accepted))) {
        assert.deepEqual(
          seqs,
          seqs.map((_, i) => i + 1),
          `breaker ${breaker}: in order, without gaps`,
        );
      }
    } finally {
      await Promise.all([...children].map((c) => kill(c, 'SIGKILL')));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
