import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { runCli } from '../../src/cli/main.ts';
import type { Output } from '../../src/cli/output.ts';
import type { ReportData } from '../../src/report/reportData.ts';
import { writeObservationLog } from '../../src/sources/replay/writeObservationLog.ts';
import { readBitcoinArrivalInput, readIncidentFile } from '../realData/incidentData.ts';
import { parseCsvRecords } from '../realData/parseCsv.ts';
import { toBitcoinArrivalLog } from '../realData/toBitcoinArrivalLog.ts';
import { launchChromium, skipWithoutChromium, toTestOutputDir } from '../support/launchChromium.ts';
import { readChartStats } from '../support/readChartStats.ts';

/** Runs the CLI in this process and returns its exit code and what it wrote. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const output: Output = { out: (text) => (out += text), err: (text) => (err += text) };
  const code = await runCli(argv, output);
  return { code, out, err };
}

/** The JSON embedded in a report. */
function toReportData(html: string): ReportData {
  const match = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
  assert.ok(match, 'the report embeds its data');
  return JSON.parse(match[1]!) as ReportData;
}

/** Every `src=`/`href=` value and CSS `url(...)` of a page that points at another origin. */
function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/\b(?:src|href|action|srcset)\s*=\s*["']?\s*((?:https?:)?\/\/[^"'\s>]*)/gi))
    found.push(m[0]);
  for (const m of html.matchAll(/url\(\s*["']?\s*((?:https?:)?\/\/[^)]*)\)/gi)) found.push(m[0]);
  for (const m of html.matchAll(/@import\s+["']?(?:https?:)?\/\//gi)) found.push(m[0]);
  return found;
}

let dir: string;
const screenshots = toTestOutputDir('report');

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'consensus-guard-report-'));
  await mkdir(screenshots, { recursive: true });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('report: a simulated client split', () => {
  let html: string;
  let data: ReportData;
  let out: string;

  before(async () => {
    const log = join(dir, 'client-split.jsonl');
    out = join(dir, 'client-split.html');
    assert.equal((await cli('simulate', '--scenario', 'client-split', '--record', log, '--json')).code, 0);
    const run = await cli('report', log, '--out', out, '--json');
    assert.equal(run.code, 0, run.err);
    const summary = JSON.parse(run.out) as {
      out: string;
      bytes: number;
      observations: number;
      transitions: number;
    };
    html = await readFile(out, 'utf8');
    assert.equal(summary.out, out);
    assert.equal(summary.bytes, (await stat(out)).size);
    data = toReportData(html);
    assert.equal(summary.observations, data.observations);
    assert.equal(summary.transitions, data.transitions);
  });

  test('default: one chain, every node, the divergence and the transitions it caused', () => {
    assert.equal(data.chains.length, 1);
    const chain = data.chains[0]!;
    assert.equal(chain.chain, 'ethereum');
    assert.deepEqual(chain.heads.map((s) => s.name).sort(), [
      'geth-new-1',
      'geth-new-2',
      'infura-geth-1',
      'infura-geth-2',
      'openethereum-1',
    ]);
    assert.ok(chain.signals.some((s) => s.kind === 'divergence'));
    assert.ok(data.incidents.length > 0);
    assert.ok(data.incidents.every((i) => i.mode === 'auto' && i.reason.length > 0));
    assert.ok(data.incidents.some((i) => i.causes.includes('divergence')));
    // The nodes stuck on the old branch lag ever further behind the canonical head.
    const stuck = chain.lag.find((s) => s.name === 'infura-geth-1')!;
    assert.ok(Math.max(...stuck.v) > 10);
    assert.equal(chain.blockTime?.kind, 'slots');
    assert.equal(chain.blockTime?.meanMs, 12_000);
  });

  test('behavior: the file is self-contained, with no reference to another origin', () => {
    assert.deepEqual(externalReferences(html), []);
    assert.doesNotMatch(html, /<script[^>]+src=/i);
    assert.doesNotMatch(html, /<link[^>]+href=/i);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  });

  test('behavior: the charts are drawn in Chromium without an error or a request', {
    skip: skipWithoutChromium,
  }, async (t) => {
    const shot = join(screenshots, 'client-split.png');
    await inChromium(out, shot, async (stats) => {
      const byChart = new Map(stats.map((s) => [s.chart, s]));
      assert.deepEqual([...byChart.keys()].sort(), ['breaker', 'heads', 'intervals', 'lag', 'reorgs']);
      for (const id of ['heads', 'intervals', 'lag', 'breaker']) {
        const chart = byChart.get(id)!;
        assert.ok(
          chart.points.some((n) => n > 0),
          `${id} has data`,
        );
        assert.ok(chart.inkPixels > 200, `${id} is drawn (${chart.inkPixels} coloured pixels)`);
      }
      assert.equal(byChart.get('heads')!.points.length, 5, 'a series per node');
    });
    t.diagnostic(`report screenshot: ${shot}`);
  });
});

describe('report: two real Bitcoin nodes, 2023', () => {
  let html: string;
  let data: ReportData;
  let out: string;
  let progress: string;

  before(async () => {
    const log = join(dir, 'bitcoin-2023.jsonl');
    out = join(dir, 'bitcoin-2023.html');
    await writeObservationLog(log, toBitcoinArrivalLog(readBitcoinArrivalInput()));
    const run = await cli('report', log, '--preset', 'bitcoin', '--out', out);
    assert.equal(run.code, 0, run.err);
    assert.match(
      run.out,
      /^wrote .*bitcoin-2023\.html \(\d+ KiB\): \d+ observations, 1 chains, \d+ transitions\n$/,
    );
    progress = run.err;
    html = await readFile(out, 'utf8');
    data = toReportData(html);
  });

  test('behavior: a long log reports its progress on stderr', () => {
    const lines = progress.trim().split('\n');
    assert.ok(lines.length >= 5, progress);
    assert.ok(
      lines.every((l) => /^report: \d+% read, [\d,]+ observations$/.test(l)),
      progress,
    );
    assert.match(lines.at(-1)!, /^report: 100% read/);
  });

  test('default: both nodes, the 1-block forks of the data, the block time of proof of work', () => {
    const chain = data.chains[0]!;
    assert.equal(chain.chain, 'bitcoin');
    assert.deepEqual(chain.heads.map((s) => s.name).sort(), ['darosior_node0', 'vostrnad_node1']);
    // observed_forks_two_nodes_2023.csv: every stale block's parent is the canonical block below
    // it, so every reorg a node makes is one block deep.
    const forks = parseCsvRecords(readIncidentFile('bitcoin/observed_forks_two_nodes_2023.csv'));
    assert.ok(forks.length > 0);
    const nodeReorgs = chain.reorgs.find((s) => s.name === 'node')!;
    assert.ok(nodeReorgs.v.length > 0);
    assert.ok(nodeReorgs.v.every((depth) => depth === 1));
    assert.deepEqual(chain.blockTime, {
      kind: 'exponential',
      meanMs: 600_000,
      warningMs: 600_000 * Math.log(1e6),
      criticalMs: 600_000 * Math.log(1e9),
    });
    // Nine months of ten-minute blocks: tens of thousands of intervals, thinned for the page.
    assert.ok(data.thinned.points > 0);
    assert.ok(chain.intervals.t.length <= 3000);
    assert.ok(Math.max(...chain.intervals.v) > 3600, 'the longest wait between blocks survives thinning');
    assert.ok(html.length / 1024 < 2048, 'the page stays small');
  });

  test('behavior: the file is self-contained, with no reference to another origin', () => {
    assert.deepEqual(externalReferences(html), []);
  });

  test('behavior: the charts are drawn in Chromium without an error or a request', {
    skip: skipWithoutChromium,
  }, async (t) => {
    const shot = join(screenshots, 'bitcoin-2023.png');
    await inChromium(out, shot, async (stats) => {
      for (const chart of stats) {
        if (chart.chart === 'reorgs' || chart.chart === 'breaker') continue;
        assert.ok(
          chart.points.some((n) => n > 0),
          `${chart.chart} has data`,
        );
        assert.ok(chart.inkPixels > 200, `${chart.chart} is drawn (${chart.inkPixels} coloured pixels)`);
      }
      const reorgs = stats.find((s) => s.chart === 'reorgs')!;
      assert.ok(reorgs.points[1]! > 0, 'node reorgs plotted');
      assert.ok(reorgs.inkPixels > 50);
    });
    t.diagnostic(`report screenshot: ${shot}`);
  });
});

test('error: a missing file and a file that is not a log are one line each, exit 1', async () => {
  const missing = await cli('report', join(dir, 'nope.jsonl'), '--out', join(dir, 'nope.html'));
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^consensus-guard: observation log not found: .*nope\.jsonl: check the path\n$/);
  const text = join(dir, 'notes.txt');
  await writeFile(text, 'hello\nworld\n');
  const bad = await cli('report', text, '--out', join(dir, 'notes.html'));
  assert.equal(bad.code, 1);
  const lines = bad.err.trim().split('\n');
  assert.equal(lines.length, 3, bad.err);
  assert.match(
    lines[2]!,
    /^consensus-guard: .*notes\.txt holds no observation: 2 malformed lines, the first: line 1: not valid JSON/,
  );
  const usage = await cli('report', text);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /give --out FILE/);
});

/**
 * Opens a report from its file in Chromium, checks that nothing is requested but the file
 * itself and that no error reaches the console, keeps a screenshot, and hands the charts to `check`.
 */
async function inChromium(
  file: string,
  screenshot: string,
  check: (stats: Awaited<ReturnType<typeof readChartStats>>) => Promise<void>,
): Promise<void> {
  const context = await launchChromium(await mkdtemp(join(dir, 'chromium-')));
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`console: ${message.text()}`);
    });
    page.setDefaultTimeout(0);
    const url = pathToFileURL(file).href;
    await page.goto(url);
    await page.locator('body[data-ready="true"]').waitFor();
    await check(await readChartStats(page));
    await page.screenshot({ path: screenshot, fullPage: true });
    assert.ok((await stat(screenshot)).size > 10_000);
    assert.deepEqual(requests, [url], 'nothing is requested but the file');
    assert.deepEqual(problems, []);
  } finally {
    await context.close().catch(() => undefined);
  }
}
