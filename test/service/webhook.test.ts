import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { createWebhookReceiver } from '../../examples/webhookReceiver.ts';
import { runObservations } from '../../src/engine/run.ts';
import { createService, type Service } from '../../src/runtime/createService.ts';
import { createPrng } from '../../src/sim/prng.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { toEngineConfig } from '../../src/sim/toEngineConfig.ts';
import { createWebhookSecret } from '../../src/sinks/webhook/createWebhookSecret.ts';
import { createWebhookSink } from '../../src/sinks/webhook/createWebhookSink.ts';
import { verifyWebhook } from '../../src/sinks/webhook/verifyWebhook.ts';
import { openSqliteStore } from '../../src/store/sqlite/openSqliteStore.ts';
import type { Store } from '../../src/store/store.ts';

const SECRET = createWebhookSecret();

type Captured = { headers: Record<string, string | string[] | undefined>; body: string; status: number };

/** The example receiver, with every request and its answer recorded. */
function startReceiver(seen: Set<string>) {
  const accepted: string[] = [];
  const requests: Captured[] = [];
  const server = createWebhookReceiver({
    secret: SECRET,
    seen,
    onAccepted: (_body, key) => accepted.push(key),
  });
  server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    res.on('finish', () =>
      requests.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status: res.statusCode,
      }),
    );
  });
  return { server, accepted, requests };
}

const listen = (server: ReturnType<typeof startReceiver>['server'], port = 0) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

const close = (server: ReturnType<typeof startReceiver>['server']) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 6000; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('webhook delivery through the outbox', () => {
  const seen = new Set<string>();
  const receiver = startReceiver(seen);
  const { scenario, observations } = simulate('finality-loss-4', { seed: 1 });
  const engine = toEngineConfig(scenario);
  const engineKeys = runObservations(engine, observations).transitions.map((t) => t.idempotencyKey);
  let expected: string[] = [];
  let dataDir: string;
  let store: Store;
  let service: Service;
  let failedWhileDown = 0;
  let recoveryMs = 0;

  before(async () => {
    const port = await listen(receiver.server);
    await close(receiver.server);
    dataDir = await mkdtemp(join(tmpdir(), 'cg-webhook-'));
    store = await openSqliteStore({ dataDir, synchronous: 'normal' });
    expected = engineKeys.map((key) => `${store.id}:${key}`);
    const prng = createPrng(7, 'retry');
    service = createService({
      engine,
      sources: [],
      store,
      tickIntervalMs: 0,
      sinks: [
        createWebhookSink({
          name: 'ops',
          url: `http://127.0.0.1:${port}/hooks/guard`,
          secret: SECRET,
          timeoutMs: 30_000,
          context: (t) => ({ chains: [t.breaker] }),
        }),
      ],
      retry: { baseMs: 20, maxMs: 200, random: () => prng.next() },
      log: () => undefined,
    });
    await service.start();
    for (const observation of observations) service.push(observation);
    await service.flush();
    await until(() => service.stats().failedAttempts >= 5, 'failed attempts while the receiver is down');
    failedWhileDown = service.stats().failedAttempts;
    assert.equal(receiver.accepted.length, 0);
    const backAtMs = performance.now();
    await listen(receiver.server, port);
    await service.drained();
    recoveryMs = performance.now() - backAtMs;
  });

  after(async () => {
    await service?.stop();
    await store?.close();
    if (receiver.server.listening) await close(receiver.server);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('behavior: a receiver that was down gets every transition, in order, once, when it comes back', async (t) => {
    t.diagnostic(
      `${expected.length} transitions delivered ${Math.round(recoveryMs)} ms after the receiver came back`,
    );
    assert.ok(expected.length >= 4, `scenario yields ${expected.length} transitions`);
    assert.ok(failedWhileDown >= 5);
    assert.deepEqual(receiver.accepted, expected);
    assert.deepEqual(
      receiver.requests.map((r) => r.status),
      expected.map(() => 200),
    );
    assert.deepEqual(await store.countActions('ops'), { pending: 0, delivered: expected.length, failed: 0 });
    const actions = await store.listActions({ sink: 'ops' });
    assert.ok(actions[0]!.attempts >= 1, 'the first action was attempted while the receiver was down');
  });

  it('behavior: each request is signed (Standard Webhooks), its webhook-id the idempotency key, the generic body', () => {
    const first = receiver.requests[0]!;
    assert.match(String(first.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]{43}=$/);
    assert.match(String(first.headers['webhook-timestamp']), /^\d+$/);
    assert.equal(first.headers['webhook-id'], expected[0]);
    const body = JSON.parse(first.body) as Record<string, unknown>;
    assert.equal(body.type, 'breaker.transition');
    assert.equal(body.idempotencyKey, expected[0]);
    assert.deepEqual(body.breaker, { name: scenario.chain, chains: [scenario.chain] });
    assert.equal((body.transition as { seq: number }).seq, 1);
  });

  it('behavior: the reference library (standardwebhooks) verifies every delivered request', () => {
    const reference = new Webhook(SECRET);
    const ids = receiver.requests.map((request) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers))
        if (typeof value === 'string') headers[name] = value;
      const body = reference.verify(request.body, headers) as { idempotencyKey: string };
      assert.equal(body.idempotencyKey, headers['webhook-id']);
      return body.idempotencyKey;
    });
    assert.deepEqual(ids, expected);
  });

  it('error: a replayed request (same body and signature) is refused by the verifier and not accepted again', async () => {
    const first = receiver.requests[0]!;
    const again = verifyWebhook({ headers: first.headers, body: first.body, secret: SECRET, seen });
    assert.equal(again.ok, false);
    assert.equal(!again.ok && again.reason, 'duplicate');
    const port = (receiver.server.address() as AddressInfo).port;
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      headers[name] = String(first.headers[name]);
    }
    const response = await fetch(`http://127.0.0.1:${port}/hooks/guard`, {
      method: 'POST',
      headers,
      body: first.body,
    });
    assert.deepEqual(await response.json(), { status: 'duplicate' });
    assert.deepEqual(receiver.accepted, expected);
  });

  it('error: a stale timestamp is refused even with a valid signature and a new key', () => {
    const first = receiver.requests[0]!;
    const timestampMs = Number(first.headers['webhook-timestamp']) * 1000;
    const stale = verifyWebhook({
      headers: first.headers,
      body: first.body,
      secret: SECRET,
      seen: new Set(),
      nowMs: timestampMs + 301_000,
    });
    assert.equal(!stale.ok && stale.reason, 'stale_timestamp');
    const early = verifyWebhook({
      headers: first.headers,
      body: first.body,
      secret: SECRET,
      seen: new Set(),
      nowMs: timestampMs - 301_000,
    });
    assert.equal(!early.ok && early.reason, 'stale_timestamp');
    const fresh = verifyWebhook({
      headers: first.headers,
      body: first.body,
      secret: SECRET,
      seen: new Set(),
      nowMs: timestampMs + 299_000,
    });
    assert.equal(fresh.ok, true);
  });

  it('error: a changed body, a wrong secret or a changed webhook-id are refused', () => {
    const first = receiver.requests[0]!;
    const at = { nowMs: Number(first.headers['webhook-timestamp']) * 1000 };
    const tampered = verifyWebhook({
      headers: first.headers,
      body: first.body.replace('"seq":1', '"seq":2'),
      secret: SECRET,
      seen: new Set(),
      ...at,
    });
    assert.equal(!tampered.ok && tampered.reason, 'bad_signature');
    const wrongSecret = verifyWebhook({
      headers: first.headers,
      body: first.body,
      secret: createWebhookSecret(),
      seen: new Set(),
      ...at,
    });
    assert.equal(!wrongSecret.ok && wrongSecret.reason, 'bad_signature');
    const otherKey = verifyWebhook({
      headers: { ...first.headers, 'webhook-id': 'x:9:normal>halt' },
      body: first.body,
      secret: SECRET,
      seen: new Set(),
      ...at,
    });
    assert.equal(!otherKey.ok && otherKey.reason, 'bad_signature');
    const unsigned = verifyWebhook({
      headers: { ...first.headers, 'webhook-signature': undefined },
      body: first.body,
      secret: SECRET,
      seen: new Set(),
      ...at,
    });
    assert.equal(!unsigned.ok && unsigned.reason, 'missing_header');
  });
});
