import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.ts';

type Run = { code: number; out: string; err: string };

async function cli(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

type Doc = {
  signals: Array<Record<string, unknown> & { kind: string; severity: string }>;
  transitions: Array<{ from: string; to: string; idempotencyKey: string }>;
  summary: { maxLevels: Record<string, string>; malformedLines?: number };
};

async function simulateJson(scenario: string, seed = '1'): Promise<Doc> {
  const run = await cli('simulate', '--scenario', scenario, '--seed', seed, '--json');
  assert.equal(run.code, 0, run.err);
  return JSON.parse(run.out) as Doc;
}

const rank = ['normal', 'caution', 'reduce_only', 'halt', 'settlement_hold'];
const dir = mkdtempSync(join(tmpdir(), 'cg-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('consensus-guard simulate', () => {
  it('behavior: reorg-7 reports a chain-level reorg of depth 7', async () => {
    const doc = await simulateJson('reorg-7');
    assert.ok(doc.signals.some((s) => s.kind === 'reorg' && s.scope === 'chain' && s.depth === 7));
  });

  it('behavior: finality-loss-9 reports at least 8 epochs without finality and reduce_only or higher', async () => {
    const doc = await simulateJson('finality-loss-9');
    const epochs = Math.max(
      ...doc.signals.filter((s) => s.kind === 'finality').map((s) => s.epochsWithoutFinality as number),
    );
    assert.ok(epochs >= 8, `epochs ${epochs}`);
    const max = Math.max(...doc.transitions.map((t) => rank.indexOf(t.to)));
    assert.ok(max >= rank.indexOf('reduce_only'));
  });

  it('behavior: client-split reports a divergence naming the fork height', async () => {
    const doc = await simulateJson('client-split');
    const divergence = doc.signals.find((s) => s.kind === 'divergence');
    assert.equal(divergence?.forkHeight, 11_234_873);
    assert.equal(typeof divergence?.node, 'string');
  });

  it('behavior: full-halt reports liveness and halts', async () => {
    const doc = await simulateJson('full-halt');
    assert.ok(doc.signals.some((s) => s.kind === 'liveness' && s.severity === 'critical'));
    assert.ok(doc.transitions.some((t) => t.to === 'halt'));
  });

  it('behavior: quiet reports no signal and no transition', async () => {
    const doc = await simulateJson('quiet');
    assert.deepEqual(doc.signals, []);
    assert.deepEqual(doc.transitions, []);
  });

  it('behavior: same seed, same output; human output is a timeline', async () => {
    const a = await cli('simulate', '--scenario', 'partition-heal', '--seed', '42', '--json');
    const b = await cli('simulate', '--scenario', 'partition-heal', '--seed', '42', '--json');
    assert.equal(a.out, b.out);
    const human = await cli('simulate', '--scenario', 'reorg-7');
    assert.equal(human.code, 0);
    assert.match(human.out, /\+\d\d:\d\d:\d\d\.\d {2}CRITICAL {2}reorg/);
    assert.match(human.out, /BREAKER {3}ethereum: normal -> reduce_only/);
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['unknown scenario', ['simulate', '--scenario', 'nope'], /unknown scenario "nope": use one of .*reorg-7/],
    ['missing scenario', ['simulate'], /required option '--scenario <name>'/],
    [
      'bad seed',
      ['simulate', '--scenario', 'quiet', '--seed', '-3'],
      /--seed must be a non-negative integer/,
    ],
    ['unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
  ];
  for (const [name, argv, message] of usage) {
    it(`error: ${name} is a usage error (exit 2, one line)`, async () => {
      const run = await cli(...argv);
      assert.equal(run.code, 2);
      assert.match(run.err, message);
    });
  }
});

describe('consensus-guard replay', () => {
  it('behavior: a recorded simulation replays to exactly the same signals and transitions', async () => {
    const file = join(dir, 'reorg7.jsonl');
    const simulated = await cli('simulate', '--scenario', 'reorg-7', '--json', '--record', file);
    assert.equal(simulated.code, 0, simulated.err);
    const replayed = await cli('replay', file, '--preset', 'ethereum', '--json');
    assert.equal(replayed.code, 0, replayed.err);
    const a = JSON.parse(simulated.out) as Doc;
    const b = JSON.parse(replayed.out) as Doc;
    assert.deepEqual(b.signals, a.signals);
    assert.deepEqual(b.transitions, a.transitions);
  });

  it('behavior: malformed lines are reported with their line number and skipped', async () => {
    const file = join(dir, 'reorg7.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(2, 0, '{"type": "head", "chain": "ethereum"', 'not json at all');
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, lines.join('\n'));
    const run = await cli('replay', broken, '--preset', 'ethereum', '--json');
    assert.equal(run.code, 0);
    assert.match(run.err, /broken\.jsonl:3: /);
    assert.match(run.err, /broken\.jsonl:4: /);
    const doc = JSON.parse(run.out) as Doc;
    assert.equal(doc.summary.malformedLines, 2);
    assert.ok(doc.signals.some((s) => s.kind === 'reorg' && s.depth === 7));
  });

  it('error: a missing file is one line and exit 1', async () => {
    const run = await cli('replay', join(dir, 'missing.jsonl'));
    assert.equal(run.code, 1);
    assert.match(run.err, /^consensus-guard: observation log not found: .*missing\.jsonl/);
    assert.equal(run.err.trim().split('\n').length, 1);
  });

  it('error: an unknown preset and a broken config are clear errors', async () => {
    assert.equal((await cli('replay', 'x.jsonl', '--preset', 'solana')).code, 2);
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'chains: { eth: { preset: ethereum, params: { lag: { graceMs: "soon" } } } }\n');
    const run = await cli('replay', 'x.jsonl', '--config', config);
    assert.equal(run.code, 1);
    assert.match(run.err, /bad\.yaml: chains\.eth\.params\.lag\.graceMs/);
  });
});

describe('consensus-guard scenarios', () => {
  it('default: lists every scenario with its incident', async () => {
    const run = await cli('scenarios', '--json');
    const list = JSON.parse(run.out) as Array<{ name: string; incident: string | null }>;
    const names = list.map((s) => s.name);
    for (const name of [
      'reorg-7',
      'finality-loss-4',
      'finality-loss-9',
      'client-split',
      'client-halt',
      'full-halt',
      'deep-reorg',
      'pow-fork',
      'partition-heal',
      'lagging-node',
      'quiet',
    ]) {
      assert.ok(names.includes(name), name);
    }
  });
});

describe('the bin', () => {
  it('default: --help prints usage and exits 0 through the installed entry point', () => {
    const run = spawnSync(process.execPath, ['bin/consensus-guard.js', '--help'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Usage: consensus-guard/);
    assert.match(run.stdout, /simulate/);
  });
});
