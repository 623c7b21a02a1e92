import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.ts';
import { type RunningNode, startAnvil } from '../peers/nodes.ts';
import { waitFor } from '../support/waitFor.ts';

const dir = mkdtempSync(join(tmpdir(), 'cg-watch-'));
const children: ChildProcess[] = [];
const nodes: RunningNode[] = [];
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.allSettled(nodes.map((n) => n.stop()));
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `consensus-guard watch` as a real process; collects its JSON lines. */
function startWatch(args: string[]) {
  const child = spawn(process.execPath, ['bin/consensus-guard.js', 'watch', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  createInterface({ input: child.stdout! }).on('line', (line) =>
    lines.push(JSON.parse(line) as Record<string, unknown>),
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited, stderr: () => stderr };
}

describe('consensus-guard watch', () => {
  it('behavior: reports an Anvil reorg as JSON lines, stops cleanly on SIGINT, and the recording replays to the same signals', async () => {
    const anvil = await startAnvil({ blockTimeS: 1 });
    nodes.push(anvil);
    const record = join(dir, 'watch.jsonl');
    const watch = startWatch(['--preset', 'devnet', '--node', anvil.wsUrl, '--json', '--record', record]);
    // Let the watcher follow a few blocks before the reorg, so that the common ancestor is known.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await anvil.rpc('anvil_reorg', [3, []]);
    const reorg = await waitFor(
      'the reorg signal',
      () => watch.lines.find((l) => l.type === 'signal' && l.kind === 'reorg' && l.scope === 'chain'),
      60_000,
    );
    assert.equal(reorg.depth, 3);
    watch.child.kill('SIGINT');
    assert.equal(await watch.exited, 0, watch.stderr());
    assert.match(watch.stderr(), /watching devnet: 127\.0\.0\.1:\d+ \(evm, ws:\/\/127\.0\.0\.1:\d+\)/);

    let out = '';
    const code = await runCli(['replay', record, '--preset', 'devnet', '--json'], {
      out: (t) => (out += t),
      err: () => {},
    });
    assert.equal(code, 0);
    const replayed = JSON.parse(out) as {
      signals: Array<Record<string, unknown>>;
      transitions: Array<Record<string, unknown>>;
    };
    const live = watch.lines.filter((l) => l.type === 'signal').map(({ type: _, ...rest }) => rest);
    assert.deepEqual(replayed.signals, live);
    // watch runs the service on an in-memory store: its keys carry that store's id; replay's do not.
    const liveTransitions = watch.lines
      .filter((l) => l.type === 'transition')
      .map(({ type: _, ...rest }) => rest);
    const [storeId] = String(liveTransitions[0]?.idempotencyKey).split(':');
    assert.match(storeId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(
      replayed.transitions.map((t) => ({ ...t, idempotencyKey: `${storeId}:${t.idempotencyKey}` })),
      liveTransitions,
    );
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['nothing to watch', [], /nothing to watch/],
    [
      'config and quick start together',
      ['--config', 'x.yaml', '--node', 'http://127.0.0.1:1'],
      /either --config/,
    ],
    [
      'a bad URL',
      ['--preset', 'devnet', '--node', 'ftp://127.0.0.1:1'],
      /evm nodes take http:\/\/ or https:\/\/ or ws:\/\/ or wss:\/\/ URLs/,
    ],
    ['an unknown preset', ['--preset', 'solana', '--node', 'http://127.0.0.1:1'], /unknown preset "solana"/],
  ];
  for (const [name, argv, message] of usage) {
    it(`error: ${name} is a usage error`, async () => {
      let err = '';
      const code = await runCli(['watch', ...argv], { out: () => {}, err: (t) => (err += t) });
      assert.equal(code, 2);
      assert.match(err, message);
    });
  }
});
