import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { createApp } from '../../src/http/createApp.ts';
import { type HttpServer, startHttpServer } from '../../src/http/startHttpServer.ts';
import { launchChromium, skipWithoutChromium, toTestOutputDir } from '../support/launchChromium.ts';
import { type ChartStats, readChartStats } from '../support/readChartStats.ts';
import { createTestService, type TestService } from './createTestService.ts';

const TOKEN = 'dashboard-test-token';
/** Screenshots kept for people to look at (tmp/ is ignored by git). */
const SCREENSHOTS = toTestOutputDir('dashboard');

/** Feeds observations a few at a time, yielding to the event loop in between (accelerated time),
 * until `stop` holds or the scenario ends. Returns the next index. */
async function play(service: TestService, from: number, stop: (next: number) => boolean): Promise<number> {
  let i = from;
  while (i < service.observations.length && !stop(i)) {
    service.guard.push(service.observations[i]!);
    i += 1;
    if (i % 4 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return i;
}

/** The page's `document`, typed for the few reads the test makes inside the browser. */
type PageDocument = {
  querySelector(
    selector: string,
  ): { textContent: string | null; getAttribute(name: string): string | null } | null;
};

async function waitForLevel(page: Page, breaker: string, level: string): Promise<void> {
  await page.waitForFunction(
    ([selector, wanted]) =>
      (globalThis as unknown as { document: PageDocument }).document.querySelector(selector)?.textContent ===
      wanted,
    [`[data-breaker="${breaker}"] .level`, level] as const,
    { timeout: 0, polling: 50 },
  );
}

/** Waits until every chart of `chain` on the page has a series with data, and returns them. */
async function waitForCharts(page: Page, chain: string, ids: string[]): Promise<Map<string, ChartStats>> {
  await page.waitForFunction(
    ([name, wanted]) => {
      const charts = (
        globalThis as unknown as {
          GuardCharts?: {
            instances: Array<{ chain: string; chart: string; plot: { data: Array<Array<number | null>> } }>;
          };
        }
      ).GuardCharts?.instances;
      return wanted.every((id) =>
        charts?.some(
          (c) =>
            c.chain === name &&
            c.chart === id &&
            c.plot.data.slice(1).some((col) => col.some((v) => v !== null)),
        ),
      );
    },
    [chain, ids] as const,
    { timeout: 0, polling: 100 },
  );
  return new Map((await readChartStats(page)).filter((c) => c.chain === chain).map((c) => [c.chart, c]));
}

type Dashboard = {
  page: Page;
  service: TestService;
  server: HttpServer;
  dir: string;
  requests: string[];
  pageErrors: string[];
};

const skip = skipWithoutChromium;

/** Runs `body` with a simulated scenario behind the real HTTP server on a free 127.0.0.1 port and a
 * fresh headless Chromium; closes both whatever happens. */
async function withDashboard(
  scenario: string,
  body: (d: Dashboard) => Promise<void>,
  allowedConsoleErrors: RegExp[] = [],
): Promise<void> {
  const service = await createTestService(scenario);
  const app = createApp({
    view: service.view,
    metrics: service.metrics,
    token: TOKEN,
    limits: { rateLimit: false },
    log: () => undefined,
  });
  const dir = await mkdtemp(join(tmpdir(), 'consensus-guard-dashboard-'));
  let server: HttpServer | undefined;
  let context: BrowserContext | undefined;
  try {
    server = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
    context = await launchChromium(dir);
    const page = context.pages()[0] ?? (await context.newPage());
    const requests: string[] = [];
    const pageErrors: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const consoleErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.setDefaultTimeout(0);
    await body({ page, service, server, dir, requests, pageErrors });
    const origin = new URL(server.url).origin;
    assert.deepEqual(
      requests.filter((url) => new URL(url).origin !== origin),
      [],
      'no request leaves the server',
    );
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(
      consoleErrors.filter((text) => !allowedConsoleErrors.some((allowed) => allowed.test(text))),
      [],
      'no console error',
    );
  } finally {
    await context?.close().catch(() => undefined);
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('dashboard in Chromium: a 7-block reorg moves the breaker on the page, then an override', {
  skip,
}, async (t) => {
  await withDashboard(
    'reorg-7',
    async ({ page, service, server }) => {
      const breaker = () => service.guard.state.breakers.get('ethereum')!;
      let next = await play(
        service,
        0,
        () => service.guard.state.chains.get('ethereum')?.canonical !== undefined,
      );
      next = await play(service, next, (i) => i >= 200);
      await page.goto(server.url);
      await waitForLevel(page, 'ethereum', 'normal');
      await page.locator('[data-chain="ethereum"] tr[data-node="prysm-1"]').waitFor();
      assert.equal(await page.locator('#connection').textContent(), 'live');
      await page.locator('[data-resolution="ethereum"][data-status="agreed"]').waitFor();

      next = await play(service, next, () => breaker().level !== 'normal');
      assert.equal(breaker().level, 'reduce_only');
      await waitForLevel(page, 'ethereum', 'reduce_only');
      await page.locator('.timeline li[data-type="transition"]').first().waitFor();
      await page.locator('.timeline li[data-kind="reorg"]').first().waitFor();
      await page.waitForFunction(
        () =>
          Number(
            (globalThis as unknown as { document: PageDocument }).document
              .querySelector('[data-chain="ethereum"] svg')
              ?.getAttribute('data-forks'),
          ) >= 7,
        undefined,
        { timeout: 0, polling: 50 },
      );
      assert.equal(await page.locator('[data-chain="ethereum"] .level').textContent(), 'reduce_only');
      assert.equal(
        await page.locator('[data-chain="ethereum"] .status').first().textContent(),
        'status: critical',
      );
      assert.match(
        (await page.locator('[data-chain="ethereum"] svg').getAttribute('aria-label')) ?? '',
        /blocks off the canonical chain/,
      );
      const charts = await waitForCharts(page, 'ethereum', [
        'heads',
        'intervals',
        'lag',
        'reorgs',
        'breaker',
      ]);
      await mkdir(SCREENSHOTS, { recursive: true });
      const screenshot = join(SCREENSHOTS, 'reorg.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      assert.ok((await stat(screenshot)).size > 10_000);
      t.diagnostic(`screenshot during the reorg: ${screenshot}`);
      // A single reorg is one point: fewer pixels than a line.
      for (const [id, chart] of charts) {
        const least = id === 'reorgs' ? 20 : 100;
        assert.ok(chart.inkPixels > least, `${id} drawn (${chart.inkPixels} coloured pixels)`);
      }
      assert.ok((charts.get('reorgs')?.points[0] ?? 0) >= 1, 'the chain reorg is plotted');
      assert.ok((charts.get('heads')?.points.length ?? 0) >= 3, 'a head series per node');

      await page.getByRole('button', { name: 'Override breaker ethereum' }).click();
      await page.locator('#override-dialog[open]').waitFor();
      await page.selectOption('#override-level', 'halt');
      await page.fill('#override-actor', 'alice');
      await page.fill('#override-reason', 'reorg under review');
      await page.fill('#override-token', 'wrong-token');
      await page.click('#override-submit');
      await page.getByText('Override refused: invalid token (forbidden)').waitFor();
      assert.equal(breaker().level, 'reduce_only');
      await page.fill('#override-token', TOKEN);
      await page.click('#override-submit');
      await waitForLevel(page, 'ethereum', 'halt');
      assert.equal(breaker().level, 'halt');
      assert.deepEqual(
        { actor: breaker().override?.actor, reason: breaker().override?.reason },
        { actor: 'alice', reason: 'reorg under review' },
      );
      await page
        .locator('[data-breaker="ethereum"] .override', {
          hasText: 'Manual override by alice: reorg under review',
        })
        .waitFor();
      await page.locator('.timeline li[data-type="transition"]', { hasText: '(manual by alice)' }).waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'override.png'), fullPage: true });
      t.diagnostic(`screenshot after the override: ${join(SCREENSHOTS, 'override.png')}`);

      next = await play(service, next, () => false);
      assert.equal(breaker().level, 'halt', 'the override holds while the scenario plays on');
      page.on('dialog', (dialog) => dialog.accept(dialog.message().startsWith('Why') ? 'reviewed' : ''));
      await page.getByRole('button', { name: 'Resume breaker ethereum' }).click();
      await page.locator('[data-breaker="ethereum"] .resume-button').waitFor({ state: 'detached' });
      assert.equal(breaker().override, undefined);
    },
    [/status of 403/],
  );
});

test('dashboard in Chromium: a full halt shows the liveness failure and the halt, then the recovery', {
  skip,
}, async () => {
  await withDashboard('full-halt', async ({ page, service, server }) => {
    const name = 'solana';
    const breaker = () => service.guard.state.breakers.get(name)!;
    let next = await play(service, 0, (i) => i >= 300);
    await page.goto(server.url);
    await waitForLevel(page, name, 'normal');
    next = await play(service, next, () => breaker().level === 'halt');
    assert.equal(breaker().level, 'halt');
    await waitForLevel(page, name, 'halt');
    await page.locator(`[data-chain="${name}"] .status`, { hasText: 'status: critical' }).waitFor();
    await page.locator(`[data-chain="${name}"] .conditions li`, { hasText: 'liveness critical' }).waitFor();
    await page.locator('.timeline li[data-kind="liveness"]', { hasText: 'chain halted' }).waitFor();
    await page
      .locator('.timeline li[data-type="transition"]', { hasText: 'caution → halt (auto)' })
      .waitFor();
    next = await play(service, next, () => false);
    assert.equal(breaker().level, 'normal');
    await waitForLevel(page, name, 'normal');
    await page.locator(`[data-chain="${name}"] .status`, { hasText: 'status: ok' }).waitFor();
  });
});

test('dashboard in Chromium: a client split shows the stuck minority branch beside the tip, and its lag in the charts', {
  skip,
}, async (t) => {
  await withDashboard('client-split', async ({ page, service, server }) => {
    const chain = () => service.guard.state.chains.get('ethereum')!;
    let next = await play(service, 0, (i) => i >= 100);
    await page.goto(server.url);
    await waitForLevel(page, 'ethereum', 'normal');
    // Play until the minority has stood still on its branch while the majority went 30 blocks on.
    next = await play(service, next, () => {
      const stuck = chain().nodes.get('infura-geth-1')?.head;
      const top = chain().canonical;
      return (
        stuck !== undefined &&
        top !== undefined &&
        chain().canonicalByHeight.get(stuck.number) !== stuck.hash &&
        top.number - stuck.number >= 30n
      );
    });
    const stuck = chain().nodes.get('infura-geth-1')!.head!;
    const tree = page.locator('[data-chain="ethereum"] .tree svg');
    const stuckBlock = page.locator(`[data-chain="ethereum"] .tree g.block.fork[data-hash="${stuck.hash}"]`);
    await stuckBlock.waitFor();
    assert.match((await stuckBlock.textContent()) ?? '', /▲ infura-geth-1/);
    assert.ok(Number(await tree.getAttribute('data-branches')) >= 2);
    await page.locator('[data-chain="ethereum"] .tree text.gap').first().waitFor();
    const charts = await waitForCharts(page, 'ethereum', ['heads', 'intervals', 'lag', 'breaker']);
    for (const id of ['heads', 'intervals', 'lag', 'breaker']) {
      assert.ok((charts.get(id)?.inkPixels ?? 0) > 100, `${id} drawn`);
    }
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as {
            GuardCharts: { instances: Array<{ chart: string; plot: { data: Array<Array<number | null>> } }> };
          }
        ).GuardCharts.instances
          .filter((c) => c.chart === 'lag')
          .some((c) => c.plot.data.slice(1).some((col) => col.some((v) => v !== null && v >= 20))),
      undefined,
      { timeout: 0, polling: 100 },
    );
    await mkdir(SCREENSHOTS, { recursive: true });
    const screenshot = join(SCREENSHOTS, 'client-split.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    assert.ok((await stat(screenshot)).size > 10_000);
    t.diagnostic(`screenshot of the split: ${screenshot}`);
    await play(service, next, () => false);
  });
});
