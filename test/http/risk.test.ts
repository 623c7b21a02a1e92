import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { createApp } from '../../src/http/createApp.ts';
import { createTestService } from './createTestService.ts';
import { withOpenApiCheck } from './withOpenApiCheck.ts';

const portfolio = parse(
  readFileSync(new URL('../../examples/portfolio.yaml', import.meta.url), 'utf8'),
) as unknown;

async function app() {
  const service = await createTestService();
  return withOpenApiCheck(
    createApp({
      view: service.view,
      metrics: service.metrics,
      limits: { rateLimit: false },
      log: () => {},
    }),
  );
}

describe('POST /api/risk', () => {
  test('default: margin, exposures and cover for a portfolio, from the live chain status', async () => {
    const response = await (await app()).request('/api/risk', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(portfolio),
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as {
      margin: { totals: { initialMarginUsd: number }; exposures: unknown[] };
      cover: { premiumUsd: number };
      jumpToDefault: { bySource: Array<{ source: string; pnlUsd: number }> };
    };
    assert.ok(body.margin.totals.initialMarginUsd > 0);
    assert.ok(body.jumpToDefault.bySource.some((j) => j.source === 'ethereum' && j.pnlUsd < 0));
    assert.ok(Array.isArray(body.margin.exposures));
    assert.ok(body.cover.premiumUsd > 0);
  });

  test('error: a bad portfolio is a 400 with the path of each problem', async () => {
    const response = await (await app()).request('/api/risk', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        markets: {},
        accounts: [{ id: 'a', positions: [{ kind: 'spot', asset: 'BTC', quantity: 'lots' }] }],
      }),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'bad_request');
    assert.match(body.error.message, /accounts/);
  });

  test('error: not JSON is a 400', async () => {
    const response = await (await app()).request('/api/risk', { method: 'POST', body: '{' });
    assert.equal(response.status, 400);
  });
});
