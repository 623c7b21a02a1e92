import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { createWebhookReceiver } from '../../examples/webhookReceiver.ts';
import { openSqliteStore } from '../../src/store/sqlite/openSqliteStore.ts';
import { type RunningNode, startAnvil } from '../peers/nodes.ts';
import { waitFor } from '../support/waitFor.ts';

const SECRET = 'anvil-serve-secret';

const until = <T>(what: string, check: () => T | undefined | Promise<T | undefined>) =>
  waitFor(what, check, 120_000, 10);

describe('serve on a real node', () => {
  let anvil: RunningNode;
  let dir: string;
  let child: ChildProcess | undefined;
  const received: Array<{ key: string; body: { transition: { to: string; causes: string[] } } }> = [];
  const receiver = createWebhookReceiver({
    secret: SECRET,
    onAccepted: (body, key) => received.push({ key, body: body as (typeof received)[number]['body'] }),
  });

  before(async () => {
    anvil = await startAnvil({ blockTimeS: 1 });
    dir = await mkdtemp(join(tmpdir(), 'cg-serve-anvil-'));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });

  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
    await anvil?.stop();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('behavior: an anvil_reorg of depth 8 (critical on devnet) trips the breaker to reduce_only, and the signed webhook carries the transition that serve printed', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const configPath = join(dir, 'guard.yaml');
    await writeFile(
      configPath,
      `chains:
  devnet:
    preset: devnet
    nodes:
      - { name: anvil, url: "${anvil.url}", pollIntervalMs: 100 }
sinks:
  - { name: ops, url: "http://127.0.0.1:${port}/", secretEnv: ANVIL_SERVE_SECRET }
`,
    );
    const dataDir = join(dir, 'data');
    child = spawn(
      process.execPath,
      ['bin/consensus-guard.js', 'serve', '--config', configPath, '--data-dir', dataDir, '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ANVIL_SERVE_SECRET: SECRET } },
    );
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const printed: Array<Record<string, unknown>> = [];
    createInterface({ input: child.stdout! }).on('line', (line) =>
      printed.push(JSON.parse(line) as Record<string, unknown>),
    );
    await until('serve to start', () => (/serving/.test(stderr) ? true : undefined));

    const heightOf = async () => Number((await anvil.rpc('eth_blockNumber')) as string);
    const start = await heightOf();
    await until('ten more blocks', async () => ((await heightOf()) >= start + 10 ? true : undefined));
    await anvil.rpc('anvil_reorg', [8, []]);

    const tripped = await until('the reduce_only transition on the webhook', () =>
      received.find((r) => r.body.transition.to === 'reduce_only'),
    );
    assert.deepEqual(tripped.body.transition.causes, ['reorg'], JSON.stringify(received));
    const line = await until('the transition printed by serve', () =>
      printed.find((p) => p.type === 'transition' && p.idempotencyKey === tripped.key),
    );
    assert.equal(line.to, 'reduce_only');
    assert.ok(printed.some((p) => p.type === 'signal' && p.kind === 'reorg' && (p.depth as number) >= 5));

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0);

    const store = await openSqliteStore({ dataDir });
    const transitions = await store.listTransitions();
    const delivered = await store.listActions({ sink: 'ops', status: 'delivered' });
    await store.close();
    assert.ok(transitions.some((t) => t.idempotencyKey === tripped.key));
    assert.ok(delivered.some((a) => a.transition.idempotencyKey === tripped.key));
    assert.deepEqual(
      received.map((r) => r.key),
      [...new Set(received.map((r) => r.key))],
      'no key accepted twice',
    );
  });
});
