import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fetchLiveStatus } from '../../src/cli/commands/risk.ts';
import { runCli } from '../../src/cli/main.ts';
import { createApp } from '../../src/http/createApp.ts';
import { startHttpServer } from '../../src/http/startHttpServer.ts';
import * as api from '../../src/risk/index.ts';
import { createTestService, feedUntil } from '../http/createTestService.ts';
import { freePort } from '../peers/nodes.ts';

const dir = mkdtempSync(join(tmpdir(), 'cg-risk-cli-'));
const example = new URL('../../examples/portfolio.yaml', import.meta.url).pathname;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['risk', ...args], {
    out: (text) => void (out += text),
    err: (text) => void (err += text),
  });
  return { code, out, err };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('risk command', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('default: margin, exposures, worst scenario and cover of the example portfolio', async () => {
    const { code, out } = await run(['--portfolio', example]);
    assert.equal(code, 0);
    for (const part of [
      'initial margin',
      'Exposure per chain',
      'Worst scenario',
      'premium',
      'ruin probability',
      'Jump to default',
    ])
      assert.match(out, new RegExp(part));
  });

  it('args: --json matches the library API', async () => {
    const { code, out } = await run(['--portfolio', example, '--json']);
    assert.equal(code, 0);
    const document = JSON.parse(out) as {
      margin: { totals: { initialMarginUsd: number } };
      cover: { premiumUsd: number };
      jumpToDefault: { bySource: Array<{ source: string; pnlUsd: number }>; worst: { pnlUsd: number } };
    };
    assert.ok(document.margin.totals.initialMarginUsd > 0);
    assert.ok(document.cover.premiumUsd > 0);
    assert.ok(document.jumpToDefault.bySource.length > 0);
    assert.equal(
      document.jumpToDefault.worst.pnlUsd,
      Math.min(...document.jumpToDefault.bySource.map((j) => j.pnlUsd)),
    );
  });

  it('args: --status raises the margin; a simulate --json document is a status', async () => {
    const base = JSON.parse((await run(['--portfolio', example, '--json'])).out);
    const halted = file('status.json', JSON.stringify({ chains: { ethereum: { level: 'halt' } } }));
    const raised = JSON.parse((await run(['--portfolio', example, '--status', halted, '--json'])).out);
    assert.ok(raised.margin.totals.initialMarginUsd > base.margin.totals.initialMarginUsd);
    const simulate = file(
      'sim.json',
      JSON.stringify({ signals: [], transitions: [], summary: { breakers: { ethereum: 'reduce_only' } } }),
    );
    const fromRun = JSON.parse((await run(['--portfolio', example, '--status', simulate, '--json'])).out);
    assert.ok(fromRun.margin.totals.initialMarginUsd > base.margin.totals.initialMarginUsd);
  });

  it('error: a bad portfolio names the path and the reason, exit 1', async () => {
    const bad = file(
      'bad.yaml',
      'markets: { ETH: { priceUsd: -1 } }\naccounts:\n  - id: a\n    positions:\n      - { kind: option, underlying: ETH, type: call, strike: 1, quantity: 1 }\n',
    );
    const { code, err } = await run(['--portfolio', bad]);
    assert.equal(code, 1);
    assert.match(err, /markets\.ETH\.priceUsd: /);
    assert.match(err, /accounts\.0\.positions\.0: give exactly one of expiryDays and timeYears/);
    assert.equal(err.trim().split('\n').length, 1);
  });

  it('args: --status live reads the levels and conditions of a running service', async () => {
    const service = await createTestService('reorg-7');
    await feedUntil(
      service,
      0,
      () => service.view.engine().breakers.get('ethereum')?.level === 'reduce_only',
    );
    const server = await startHttpServer(createApp({ view: service.view, metrics: service.metrics }), {
      port: 0,
    });
    try {
      const status = await fetchLiveStatus(server.url);
      assert.equal(status.ethereum?.level, 'reduce_only');
      const base = JSON.parse((await run(['--portfolio', example, '--json'])).out);
      const live = await run(['--portfolio', example, '--status', 'live', '--service', server.url, '--json']);
      assert.equal(live.code, 0, live.err);
      const document = JSON.parse(live.out);
      assert.ok(document.margin.totals.initialMarginUsd > base.margin.totals.initialMarginUsd);
      assert.ok(document.margin.pausedLiquidations.length > 0, 'reduce_only pauses liquidations');
    } finally {
      await server.close();
    }
  });

  it('error: --status live without a service, and a missing file, say what to do', async () => {
    const port = await freePort();
    const live = await run([
      '--portfolio',
      example,
      '--status',
      'live',
      '--service',
      `http://127.0.0.1:${port}`,
    ]);
    assert.equal(live.code, 1);
    assert.match(
      live.err,
      /--status live: cannot read http:\/\/127\.0\.0\.1:\d+\/api\/chains .*consensus-guard watch --http/,
    );
    const usage = await run(['--portfolio', example, '--service', 'http://127.0.0.1:1']);
    assert.equal(usage.code, 2);
    const missing = await run(['--portfolio', join(dir, 'none.yaml')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot read portfolio .*none\.yaml \(ENOENT\)/);
  });

  it('default: the library API exports the venue-risk functions', () => {
    const names = Object.keys(api).sort();
    for (const name of [
      'aggregateOracle',
      'assessVenueRisk',
      'computeMargin',
      'createContagionGraph',
      'createJsonLinesLedgerStore',
      'createLedgerState',
      'defaultContagionGraph',
      'exposure',
      'parsePortfolioFile',
      'parseRiskStatus',
      'priceCover',
      'reduceLedger',
      'replayLedger',
      'toSettlementReport',
    ])
      assert.ok(names.includes(name), name);
  });
});
