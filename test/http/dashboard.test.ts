import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import type { Observation } from '../../src/core/observation.ts';
import { createApp } from '../../src/http/createApp.ts';
import { type HttpServer, startHttpServer } from '../../src/http/startHttpServer.ts';
import type { ClusterStatus } from '../../src/runtime/cluster/toClusterStatus.ts';
import type { ServiceView } from '../../src/runtime/serviceView.ts';
import { launchChromium, skipWithoutChromium, toTestOutputDir } from '../support/launchChromium.ts';
import { type ChartStats, readChartStats } from '../support/readChartStats.ts';
import { createTestService, type TestService } from './createTestService.ts';

const TOKEN = 'dashboard-test-token';
/** Screenshots kept for people to look at (tmp/ is ignored by git). */
const SCREENSHOTS = toTestOutputDir('dashboard');
/** The bound of every wait on the page: generous, so that a page that never gets there fails the
 * test rather than hanging it. */
const WAIT_MS = 60_000;

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
    { timeout: WAIT_MS, polling: 50 },
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
    { timeout: WAIT_MS, polling: 100 },
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
  toView: (view: ServiceView) => ServiceView = (view) => view,
): Promise<void> {
  const service = await createTestService(scenario);
  const app = createApp({
    view: toView(service.view),
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
    page.setDefaultTimeout(WAIT_MS);
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
        { timeout: WAIT_MS, polling: 50 },
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
      { timeout: WAIT_MS, polling: 100 },
    );
    await mkdir(SCREENSHOTS, { recursive: true });
    const screenshot = join(SCREENSHOTS, 'client-split.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    assert.ok((await stat(screenshot)).size > 10_000);
    t.diagnostic(`screenshot of the split: ${screenshot}`);
    await play(service, next, () => false);
  });
});

test("dashboard in Chromium: the cluster panel shows the leader, its epoch and lease, the members, each location's last observation, and the one location that sees the chain stall", {
  skip,
  timeout: 180_000,
}, async (t) => {
  // Three watcher locations see the same quiet chain; `asia` stops seeing it a third of the way
  // in: the engine raises monitor_partition for asia alone, and the breaker stays normal.
  const locations = new Map<
    string,
    { instances: string[]; observations: number; lastObservedAtMs: number }
  >();
  const clusterStatus = async (): Promise<ClusterStatus> => ({
    clustered: true,
    lease: { holder: 'guard-b', epoch: 3, valid: true, ageMs: 420, expiresInMs: 4580 },
    instances: [
      { instance: 'guard-a', role: 'follower', location: null, epoch: null, ageMs: 310 },
      { instance: 'guard-b', role: 'leader', location: null, epoch: 3, ageMs: 120 },
      { instance: 'guard-c', role: 'follower', location: null, epoch: null, ageMs: 650 },
      ...[...locations.keys()].map((location) => ({
        instance: `watch-${location}`,
        role: 'watcher' as const,
        location,
        epoch: null,
        ageMs: 500,
      })),
    ],
    locations: [...locations].map(([location, l]) => ({ location, ...l, lastStoredAgeMs: 80 })),
  });
  const seenFrom = (location: string, observation: Observation) => {
    const l = locations.get(location) ?? {
      instances: [`watch-${location}`],
      observations: 0,
      lastObservedAtMs: 0,
    };
    l.observations += 1;
    l.lastObservedAtMs = observation.observedAtMs;
    locations.set(location, l);
    return observation.type === 'tick' ? observation : { ...observation, location };
  };
  await withDashboard(
    'quiet',
    async ({ page, service, server }) => {
      const chain = () => service.guard.state.chains.get('ethereum');
      const cutAt = Math.floor(service.observations.length / 3);
      const feed = async (from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const observation = service.observations[i]!;
          if (observation.type === 'tick') service.guard.push(observation);
          else
            for (const location of i < cutAt ? ['asia', 'eu', 'us'] : ['eu', 'us'])
              service.guard.push(seenFrom(location, observation));
          if (i % 4 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        }
      };
      await feed(0, 200);
      await page.goto(server.url);
      await page.locator('#cluster [data-leader="guard-b"]').waitFor();
      await page.locator('#cluster tr[data-instance="guard-b"][data-role="leader"]').waitFor();
      for (const location of ['asia', 'eu', 'us'])
        await page.locator(`#cluster tr[data-location="${location}"][data-partitioned="false"]`).waitFor();

      let next = 200;
      while (next < service.observations.length && !chain()?.conditions.has('monitor_partition:asia')) {
        await feed(next, next + 20);
        next += 20;
      }
      assert.ok(chain()?.conditions.has('monitor_partition:asia'), 'asia alone sees the chain stall');
      await page.locator('#cluster tr[data-location="asia"][data-partitioned="true"]').waitFor();
      await page.locator('.timeline li[data-kind="monitor_partition"]').first().waitFor();
      for (const location of ['eu', 'us'])
        await page.locator(`#cluster tr[data-location="${location}"][data-partitioned="false"]`).waitFor();
      assert.match(
        (await page.locator('#cluster tr[data-location="asia"] .partition').textContent()) ?? '',
        /ethereum: watchers at asia see no progress/,
      );
      assert.equal(
        await page.locator('#cluster article > p').textContent(),
        'No chain-level failure (seen from a quorum of locations).',
        'the stall of one location is not the chain',
      );
      assert.equal(await page.locator('#cluster h3').textContent(), 'Leader guard-b');
      assert.match(
        (await page.locator('#cluster .row').first().textContent()) ?? '',
        /epoch 3.*lease renewed/,
      );
      assert.equal(
        await page.locator('#cluster tr[data-location="eu"] td').nth(2).textContent(),
        String(locations.get('eu')!.observations),
        'the observations of eu as GET /api/cluster gives them',
      );
      await waitForLevel(page, 'ethereum', 'normal');
      assert.equal(service.guard.state.breakers.get('ethereum')?.level, 'normal', 'no breaker moved');
      // The override dialog offers the levels of GET /api/breakers, lowest to highest.
      assert.deepEqual(await page.locator('#override-level option').allTextContents(), [
        'normal',
        'caution',
        'reduce_only',
        'halt',
        'settlement_hold',
      ]);
      await mkdir(SCREENSHOTS, { recursive: true });
      const screenshot = join(SCREENSHOTS, 'cluster.png');
      await page.locator('#cluster').screenshot({ path: screenshot });
      assert.ok((await stat(screenshot)).size > 5_000);
      t.diagnostic(`screenshot of the cluster panel: ${screenshot}`);
    },
    [],
    (view) => ({ ...view, clusterStatus }),
  );
});
