import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { StoreStatus } from '../../src/cli/commands/store.ts';
import { runCli } from '../../src/cli/main.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { freePort } from '../peers/nodes.ts';
import { PASSWORD_ROLE, type RunningPostgres, startPostgres } from '../support/startPostgres.ts';

const run = promisify(execFile);

/** `consensus-guard ARGS` as a child process; resolves with its exit code and output. */
async function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/consensus-guard.js', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let server: RunningPostgres;
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server?.stop();
});

describe('demo and store status on PostgreSQL', () => {
  it('behavior: demo --store postgres://… --exit runs the whole demo on PostgreSQL, a second run resumes at the stored level, store status shows what was stored', async () => {
    const url = await server.createDatabase();
    const args = [
      'demo',
      '--http',
      '127.0.0.1:0',
      '--scenario',
      'full-halt',
      '--seconds',
      '4',
      '--store',
      url,
      '--exit',
    ];
    const first = await cli(args);
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stderr,
      /store\s+postgres:\/\/\*\*\*@127\.0\.0\.1:\d+\/\w+ \(PostgreSQL; run again to resume\)/,
    );
    const level = /breaker (\w+) \(highest/.exec(first.stdout)?.[1];
    assert.ok(level, first.stdout);

    const second = await cli(args);
    assert.equal(second.code, 0, second.stderr);
    const { observations } = simulate('full-halt', { seed: 1 });
    assert.match(
      second.stderr,
      new RegExp(`resumed from the store: ${observations.length} events replayed, breakers solana ${level}`),
    );

    let out = '';
    const code = await runCli(['store', 'status', '--store', url, '--json'], {
      out: (t) => (out += t),
      err: () => undefined,
    });
    assert.equal(code, 0);
    const status = JSON.parse(out) as StoreStatus;
    assert.deepEqual(Object.keys(status), [
      'events',
      'lastSeq',
      'snapshot',
      'outbox',
      'migrations',
      'cluster',
    ]);
    assert.equal(
      status.events,
      observations.length,
      'every observation stored once: the second run added none',
    );
    assert.equal(status.lastSeq, observations.length);
    const transitions = Number(/(\d+) breaker transitions/.exec(first.stdout)?.[1]);
    assert.ok(transitions > 0);
    assert.deepEqual(status.outbox, { 'demo-receiver': { pending: 0, delivered: transitions, failed: 0 } });
    assert.deepEqual(
      status.migrations.map((m) => m.version),
      [1, 2],
    );
    let text = '';
    await runCli(['store', 'status', '--store', url], { out: (t) => (text += t), err: () => undefined });
    assert.match(text, new RegExp(`events: ${observations.length} \\(last seq ${observations.length}\\)`));
    assert.match(text, new RegExp(`outbox demo-receiver: 0 pending, ${transitions} delivered, 0 failed`));
  });

  it('error: a database that cannot be reached at start is one line naming host and port and what to check; the password is not printed', async () => {
    const port = await freePort();
    const result = await cli([
      'demo',
      '--http',
      '127.0.0.1:0',
      '--store',
      `postgres://guard:pa55word-x@127.0.0.1:${port}/guard`,
      '--exit',
    ]);
    assert.equal(result.code, 1);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, new RegExp(`cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}`));
    assert.match(lines[0]!, /check that PostgreSQL runs/);
    assert.doesNotMatch(result.stderr, /pa55word/);
  });

  it('behavior: the password may come from PGPASSWORD (a URL without one); without it the login is refused in one line; --store and --data-dir together are a usage error', async () => {
    const url = await server.createDatabase(undefined, 'guard');
    assert.doesNotMatch(url, new RegExp(PASSWORD_ROLE.password));
    const env = { ...process.env, PGPASSWORD: PASSWORD_ROLE.password };
    const args = [
      'demo',
      '--http',
      '127.0.0.1:0',
      '--scenario',
      'reorg-7',
      '--seconds',
      '1',
      '--store',
      url,
      '--exit',
    ];
    const withPassword = await cli(args, env);
    assert.equal(withPassword.code, 0, withPassword.stderr);
    const status = await cli(['store', 'status', '--store', url, '--json'], env);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(
      (JSON.parse(status.stdout) as StoreStatus).events,
      simulate('reorg-7', { seed: 1 }).observations.length,
    );

    const { PGPASSWORD: _, ...without } = process.env;
    const refused = await cli(['store', 'status', '--store', url], without);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
    assert.match(refused.stderr, /PostgreSQL at 127\.0\.0\.1:\d+ refused the login/);

    const both = await cli(['store', 'status', '--store', url, '--data-dir', '/tmp/x'], env);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /either --store or --data-dir/);
  });
});
