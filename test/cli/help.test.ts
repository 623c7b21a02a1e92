import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.ts';
import { COMMANDS } from '../../src/cli/registry.ts';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

function bin(...argv: string[]) {
  return spawnSync(process.execPath, ['bin/consensus-guard.js', ...argv], { encoding: 'utf8' });
}

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** The names in the Commands section of a help text. */
function toCommandNames(help: string): string[] {
  const section = help.split('\nCommands:\n')[1] ?? '';
  return [...section.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]!);
}

describe('--help and --version', () => {
  it('behavior: bin/help.txt is the help of the real commands (else run `npm run cli:help`)', async () => {
    const { code, out } = await cli(['--help']);
    assert.equal(code, 0);
    assert.equal(readFileSync('bin/help.txt', 'utf8'), out, 'bin/help.txt is stale: run `npm run cli:help`');
  });

  for (const flag of ['--help', '-h']) {
    it(`default: ${flag} through the bin lists every command of the registry, and help`, () => {
      const run = bin(flag);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^Usage: consensus-guard \[options\] \[command\]\n/);
      assert.deepEqual(toCommandNames(run.stdout), [...COMMANDS.map((c) => c.name), 'help']);
      assert.equal(run.stderr, '');
    });
  }

  it('behavior: every command of the program is in the registry, and the other way round', async () => {
    const { out } = await cli(['help']);
    assert.deepEqual(toCommandNames(out), [...COMMANDS.map((c) => c.name), 'help']);
  });

  for (const flag of ['--version', '-V']) {
    it(`default: ${flag} through the bin prints the version of package.json`, () => {
      const run = bin(flag);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, `${VERSION}\n`);
    });
    it(`behavior: ${flag} through runCli prints the version of package.json`, async () => {
      assert.deepEqual(await cli([flag]), { code: 0, out: `${VERSION}\n`, err: '' });
    });
  }

  for (const { name } of COMMANDS) {
    it(`behavior: ${name} --help loads the command and prints its usage`, async () => {
      const { code, out } = await cli([name, '--help']);
      assert.equal(code, 0);
      assert.match(out, new RegExp(`^Usage: consensus-guard ${name} `));
    });
  }

  it('error: an unknown command exits 2 and suggests the nearest one', async () => {
    const { code, err } = await cli(['replya']);
    assert.equal(code, 2);
    assert.match(err, /unknown command 'replya'/);
    assert.match(err, /Did you mean replay\?/);
  });
});
