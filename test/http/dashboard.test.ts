import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { createApp } from '../../src/http/createApp.ts';
import { type HttpServer, startHttpServer } from '../../src/http/startHttpServer.ts';
import { createTestService, type TestService } from './createTestService.ts';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'dashboard-test-token';

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

type Dashboard = {
  page: Page;
  service: TestService;
  server: HttpServer;
  dir: string;
  requests: string[];
  pageErrors: string[];
};

const skip = existsSync(CHROMIUM) ? false : `no ${CHROMIUM}: run scripts/install-peers.sh`;

/** Runs `body` with a simulated scenario behind the real HTTP server on a free 127.0.0.1 port and a
 * fresh headless Chromium; closes both whatever happens. */
async function withDashboard(scenario: string, body: (d: Dashboard) => Promise<void>): Promise<void> {
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
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 1000 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const requests: string[] = [];
    const pageErrors: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.setDefaultTimeout(0);
    await body({ page, service, server, dir, requests, pageErrors });
    const origin = new URL(server.url).origin;
    assert.deepEqual(
      requests.filter((url) => new URL(url).origin !== origin),
      [],
      'no request leaves the server',
    );
    assert.deepEqual(pageErrors, []);
  } finally {
    await context?.close().catch(() => undefined);
    await server?.close();
    if (!process.env.KEEP_DASHBOARD_SCREENSHOT) await rm(dir, { recursive: true, force: true });
  }
}

test('dashboard in Chromium: a 7-block reorg moves the breaker on the page, then an override', {
  skip,
}, async (t) => {
  await withDashboard('reorg-7', async ({ page, service, server, dir }) => {
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
    const screenshot = join(dir, 'reorg.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    assert.ok((await stat(screenshot)).size > 10_000);
    t.diagnostic(`screenshot during the reorg: ${screenshot}`);

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
    await page.screenshot({ path: join(dir, 'override.png'), fullPage: true });
    t.diagnostic(`screenshot after the override: ${join(dir, 'override.png')}`);

    next = await play(service, next, () => false);
    assert.equal(breaker().level, 'halt', 'the override holds while the scenario plays on');
    page.on('dialog', (dialog) => dialog.accept(dialog.message().startsWith('Why') ? 'reviewed' : ''));
    await page.getByRole('button', { name: 'Resume breaker ethereum' }).click();
    await page.locator('[data-breaker="ethereum"] .resume-button').waitFor({ state: 'detached' });
    assert.equal(breaker().override, undefined);
  });
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
