import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { type RunningNode, startAnvil } from '../peers/nodes.ts';

const TOKEN = 'watch-http-test-token-0123';
const children: ChildProcess[] = [];
const nodes: RunningNode[] = [];
after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.allSettled(nodes.map((n) => n.stop()));
});

/** Polls `check` until it gives a value; fails as soon as the watcher exits. */
async function waitFor<T>(
  exited: () => boolean,
  check: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    assert.equal(exited(), false, 'watch exited early');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('watch --http serves the API and dashboard over the live guard, with override behind --token-env', async () => {
  const anvil = await startAnvil({ blockTimeS: 1 });
  nodes.push(anvil);
  const child = spawn(
    process.execPath,
    [
      'bin/consensus-guard.js',
      'watch',
      '--preset',
      'devnet',
      '--node',
      anvil.wsUrl,
      '--json',
      '--http',
      '127.0.0.1:0',
      '--token-env',
      'CG_TEST_TOKEN',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CG_TEST_TOKEN: TOKEN } },
  );
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const isExited = () => exitCode !== undefined;

  const url = await waitFor(
    isExited,
    () => /dashboard and API on (http:\/\/127\.0\.0\.1:\d+)\//.exec(stderr)?.[1],
  );
  assert.doesNotMatch(stderr, /override disabled/);
  await waitFor(isExited, async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined));
  const chain = await waitFor(isExited, async () => {
    const { chains } = (await (await fetch(`${url}/api/chains`)).json()) as {
      chains: Array<{ name: string; canonicalHead: { number: number } | null }>;
    };
    return chains.find((c) => c.name === 'devnet' && c.canonicalHead !== null);
  });
  assert.equal(typeof chain.canonicalHead!.number, 'number');
  const page = await fetch(`${url}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<title>consensus-guard<\/title>/);
  assert.match(
    await (await fetch(`${url}/metrics`)).text(),
    /consensus_guard_chain_head_height\{chain="devnet"\}/,
  );

  const override = (token: string) =>
    fetch(`${url}/api/breakers/devnet/override`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ level: 'halt', actor: 'carol', reason: 'maintenance' }),
    });
  assert.equal((await override('wrong')).status, 403);
  const res = await override(TOKEN);
  assert.equal(res.status, 200);
  const { transition } = (await res.json()) as { transition: { to: string; mode: string; actor: string } };
  assert.deepEqual(
    { to: transition.to, mode: transition.mode, actor: transition.actor },
    { to: 'halt', mode: 'manual', actor: 'carol' },
  );
  await waitFor(isExited, () =>
    stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { code?: string; msg?: string })
      .some((l) => l.code === 'command_audited' && l.msg === 'override devnet to halt by carol: maintenance')
      ? true
      : undefined,
  );
  const line = await waitFor(isExited, () =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; mode?: string; actor?: string; to?: string })
      .find((l) => l.type === 'transition' && l.mode === 'manual'),
  );
  assert.deepEqual({ actor: line.actor, to: line.to }, { actor: 'carol', to: 'halt' });

  child.kill('SIGINT');
  assert.equal(await exited, 0, stderr);
  await assert.rejects(fetch(`${url}/healthz`));
});

test('error: watch refuses --token-env without a token in the environment', async () => {
  const child = spawn(
    process.execPath,
    [
      'bin/consensus-guard.js',
      'watch',
      '--preset',
      'devnet',
      '--node',
      'ws://127.0.0.1:9',
      '--http',
      '127.0.0.1:0',
      '--token-env',
      'CG_TEST_UNSET_TOKEN',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CG_TEST_UNSET_TOKEN: '' } },
  );
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 2, stderr);
  assert.match(stderr, /--token-env CG_TEST_UNSET_TOKEN: set that environment variable/);
});
