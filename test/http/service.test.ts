import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Transition } from '../../src/breaker/levels.ts';
import { createApp } from '../../src/http/createApp.ts';
import { createService } from '../../src/runtime/createService.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { toEngineConfig } from '../../src/sim/toEngineConfig.ts';
import { openSqliteStore } from '../../src/store/sqlite/openSqliteStore.ts';

const TOKEN = 'service-test-token-0123';

function override(level: string, token = TOKEN): Request {
  return new Request('http://localhost/api/breakers/ethereum/override', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ level, actor: 'dana', reason: 'drill' }),
  });
}

test('behavior: the API over the durable service: readiness, reads, and an override stored with who and why', async () => {
  const store = await openSqliteStore({ path: ':memory:' });
  const { scenario, observations } = simulate('reorg-7');
  const service = createService({
    engine: toEngineConfig(scenario),
    sources: [],
    store,
    tickIntervalMs: 0,
    log: () => undefined,
  });
  const app = createApp({ view: service, token: TOKEN, limits: { rateLimit: false }, log: () => undefined });
  try {
    assert.equal((await app.request('/readyz')).status, 503);
    const early = await app.request(override('halt'));
    assert.equal(early.status, 503);
    assert.equal(((await early.json()) as { error: { code: string } }).error.code, 'not_ready');

    await service.start();
    assert.equal((await app.request('/readyz')).status, 200);
    for (const observation of observations.slice(0, 420)) service.push(observation);
    await service.flush(); // the API shows what is committed
    const { chains } = (await (await app.request('/api/chains')).json()) as {
      chains: Array<{ name: string; level: string }>;
    };
    assert.deepEqual(
      chains.map((c) => [c.name, c.level]),
      [['ethereum', 'reduce_only']],
    );
    const res = await app.request(override('halt'));
    assert.equal(res.status, 200);
    const { transition } = (await res.json()) as { transition: Transition };
    assert.equal(transition.mode, 'manual');
    assert.equal(transition.actor, 'dana');
    await service.flush();
    const stored = await store.listTransitions({ breaker: 'ethereum' });
    assert.deepEqual(stored.at(-1), transition);
    const audit = await store.listAudit({ breaker: 'ethereum' });
    assert.ok(audit.length >= 1);
    assert.match(JSON.stringify(audit.at(-1)), /dana/);
    assert.match(JSON.stringify(audit.at(-1)), /drill/);
    const unknown = await app.request(
      new Request('http://localhost/api/breakers/nope/resume', {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ actor: 'dana', reason: 'drill' }),
      }),
    );
    assert.equal(unknown.status, 404);
  } finally {
    await service.stop();
    await store.close();
  }
});
