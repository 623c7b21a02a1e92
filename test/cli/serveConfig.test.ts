import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'cg-serve-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `consensus-guard serve` as a real process on `yaml`: a config it must refuse. */
function serve(name: string, yaml: string) {
  const config = join(dir, `${name}.yaml`);
  writeFileSync(config, yaml);
  const run = spawnSync(
    process.execPath,
    ['bin/consensus-guard.js', 'serve', '--config', config, '--data-dir', join(dir, `${name}-data`)],
    { encoding: 'utf8' },
  );
  return { config, code: run.status, stderr: run.stderr, stdout: run.stdout };
}

describe('consensus-guard serve: a config with nothing to watch', () => {
  it('error: chains: {} exits 1 with one line that says there is no chain', () => {
    const run = serve('empty', 'chains: {}\n');
    assert.equal(run.code, 1, run.stderr);
    assert.equal(
      run.stderr,
      `consensus-guard: ${run.config}: chains: no chain: a guard without chains has nothing to watch; give at least one chain with its nodes\n`,
    );
    assert.equal(run.stdout, '');
  });

  it('error: a chain named __proto__ exits 1 naming it, instead of being dropped', () => {
    const run = serve(
      'proto',
      'chains:\n  __proto__:\n    preset: devnet\n    nodes: [{ name: a, url: "http://127.0.0.1:9" }]\n',
    );
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^consensus-guard: .*: chains\.__proto__: not a valid chain name: [^\n]*\n$/);
  });
});

describe('holdOpenUntil', () => {
  it('behavior: a process with nothing else pending waits for its signal instead of exiting 13', async () => {
    const script = [
      "import { holdOpenUntil } from './src/cli/holdOpenUntil.ts';",
      "const stop = new Promise((resolve) => process.once('SIGTERM', resolve));",
      "process.stdout.write('waiting\\n');",
      'await holdOpenUntil(stop);',
      "process.stdout.write('stopped\\n');",
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const lines: string[] = [];
    const reader = createInterface({ input: child.stdout });
    const waiting = new Promise<void>((resolve) =>
      reader.on('line', (line) => {
        lines.push(line);
        if (line === 'waiting') resolve();
      }),
    );
    await Promise.race([waiting, exited]);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.deepEqual(lines, ['waiting', 'stopped']);
  });
});
