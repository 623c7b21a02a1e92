import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { Transition } from '../../breaker/levels.ts';
import { createWebhookSink } from './createWebhookSink.ts';
import { WebhookError } from './webhookError.ts';

const transition: Transition = {
  breaker: 'ethereum',
  from: 'normal',
  to: 'reduce_only',
  atMs: 1_700_000_000_000,
  reason: 'reorg',
  causes: ['reorg'],
  mode: 'auto',
  seq: 1,
  idempotencyKey: 'ethereum:1:normal>reduce_only',
};

/** A Standard Webhooks secret (whsec_ and the base64 of 32 bytes). */
const SECRET = 'whsec_Zmlyc3QtYWxlcnQtc2VjcmV0LXRoaXJ0eS10d28tYnl0ZXM=';

/** node's request headers as the reference library takes them: one string per name. */
function toHeaderRecord(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const servers: Server[] = [];
after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: (req: IncomingMessage, body: string) => { status: number } | 'hang') {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = handler(req, Buffer.concat(chunks).toString('utf8'));
      if (answer === 'hang') return;
      res
        .writeHead(answer.status, { 'content-type': 'text/plain' })
        .end(answer.status >= 300 ? 'busy, try later' : 'ok');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=abc`;
}

describe('createWebhookSink', () => {
  it('default: POSTs the JSON body with the Standard Webhooks headers: id, timestamp, signature', async () => {
    let seen: { headers: IncomingMessage['headers']; body: string; method?: string | undefined } | undefined;
    const url = await serve((req, body) => {
      seen = { headers: req.headers, body, method: req.method };
      return { status: 204 };
    });
    const sink = createWebhookSink({
      name: 'ops',
      url,
      secret: SECRET,
      clock: { nowMs: () => 1_700_000_123_456 },
    });
    await sink.deliver(transition);
    assert.equal(seen?.method, 'POST');
    assert.equal(seen?.headers['content-type'], 'application/json');
    assert.equal(seen?.headers['webhook-id'], transition.idempotencyKey);
    assert.equal(seen?.headers['webhook-timestamp'], '1700000123');
    assert.equal(
      seen?.headers['webhook-signature'],
      new Webhook(SECRET).sign(transition.idempotencyKey, new Date(1_700_000_123_000), seen?.body ?? ''),
    );
    for (const old of ['x-consensus-guard-signature', 'x-consensus-guard-timestamp', 'idempotency-key']) {
      assert.equal(seen?.headers[old], undefined, old);
    }
    assert.deepEqual(JSON.parse(seen?.body ?? '{}').transition, transition);
  });

  it("behavior: the reference library (standardwebhooks) verifies the sink's requests as received", async () => {
    const verified: unknown[] = [];
    const refused: string[] = [];
    const url = await serve((req, body) => {
      try {
        verified.push(new Webhook(SECRET).verify(body, toHeaderRecord(req.headers)));
        return { status: 200 };
      } catch (error) {
        refused.push((error as Error).message);
        return { status: 401 };
      }
    });
    const sink = createWebhookSink({
      name: 'ops',
      url,
      secret: SECRET,
      context: () => ({ chains: ['eth'] }),
    });
    const dotted: Transition = {
      ...transition,
      breaker: 'eth.main',
      reason: 'reorg of depth 7 « ✓ »',
      idempotencyKey: '3f6c2a9e-5d1b-4c8e-9a07-2b4e6f1d8c53:eth.main:1:normal>reduce_only',
    };
    await sink.deliver(transition);
    await sink.deliver(dotted);
    assert.deepEqual(refused, []);
    assert.deepEqual(
      verified.map((body) => (body as { transition: Transition }).transition),
      [transition, dotted],
    );
    const other = createWebhookSink({
      name: 'ops',
      url,
      secret: 'whsec_c2VjcmV0LW9mLXR3ZW50eS1mb3VyLWJ5dGVzISE=',
    });
    await assert.rejects(other.deliver(transition), { code: 'http_status', status: 401 });
    assert.deepEqual(refused, ['No matching signature found']);
  });

  it("args: a secret without whsec_ verifies with the reference library's raw-key option", async () => {
    let verified: unknown;
    const url = await serve((req, body) => {
      verified = new Webhook('legacy-secret', { format: 'raw' }).verify(body, toHeaderRecord(req.headers));
      return { status: 200 };
    });
    await createWebhookSink({ name: 'ops', url, secret: 'legacy-secret' }).deliver(transition);
    assert.deepEqual((verified as { transition: Transition }).transition, transition);
  });

  it('behavior: no secret, no signature header; the id and timestamp are still sent', async () => {
    let headers: IncomingMessage['headers'] = {};
    const url = await serve((req) => {
      headers = req.headers;
      return { status: 200 };
    });
    await createWebhookSink({ name: 'slack', url, shape: 'slack' }).deliver(transition);
    assert.equal(headers['webhook-signature'], undefined);
    assert.equal(headers['webhook-id'], transition.idempotencyKey);
    assert.match(String(headers['webhook-timestamp']), /^\d+$/);
  });

  it('error: a whsec_ secret that is not base64 of 24 to 64 bytes is refused at construction with config', () => {
    assert.throws(
      () => createWebhookSink({ name: 'ops', url: 'http://127.0.0.1:9/', secret: 'whsec_c2hvcnQ=' }),
      {
        name: 'WebhookError',
        code: 'config',
        message:
          'webhook secret: a whsec_ secret holds 24 to 64 bytes, this one 5: make one with createWebhookSecret()',
      },
    );
  });

  it('error: a non-2xx answer rejects with http_status, its status and an excerpt, without the URL secret', async () => {
    const url = await serve(() => ({ status: 503 }));
    await assert.rejects(
      createWebhookSink({ name: 'ops', url, secret: SECRET }).deliver(transition),
      (error: Error) => {
        assert.equal((error as { code?: string }).code, 'http_status');
        assert.equal((error as { status?: number }).status, 503);
        assert.match(error.message, /HTTP 503: busy, try later/);
        assert.doesNotMatch(error.message, /token|abc/);
        return true;
      },
    );
  });

  it('error: no answer within timeoutMs rejects with timeout', async () => {
    const url = await serve(() => 'hang');
    await assert.rejects(
      createWebhookSink({ name: 'ops', url, secret: SECRET, timeoutMs: 200 }).deliver(transition),
      {
        code: 'timeout',
      },
    );
  });

  it('error: a URL with a user name or password is refused at construction with config', () => {
    assert.throws(
      () =>
        createWebhookSink({ name: 'ops', url: 'https://user:Sup3rSecret@127.0.0.1:9/hook', secret: SECRET }),
      (error: Error) => {
        assert.ok(error instanceof WebhookError);
        assert.equal(error.code, 'config');
        assert.equal(
          error.message,
          'webhook https://***@127.0.0.1:9: a user name or password in the URL is refused (fetch does not send them): sign with a secret, or keep a token in the path',
        );
        return true;
      },
    );
  });

  const hostile = [
    'https://admin:Sup3r@Secret@127.0.0.1:9/hook',
    'https://admin:Sup3r/Secret@127.0.0.1:9/hook',
    'https://admin:Sup3r?Secret@127.0.0.1:9/hook',
    'https://admin:Sup3r#Secret@127.0.0.1:9/hook',
    'admin:Sup3rSecret@127.0.0.1:9/hook',
    'https://admin:Sup3rSecret@[::1]:9/hook',
    'https://admin:Sup3r/Secret@[::1]:9/hook',
  ];
  for (const url of hostile) {
    it(`error: ${JSON.stringify(url)} is refused with config, no part of its credentials in the error`, () => {
      assert.throws(
        () => createWebhookSink({ name: 'ops', url, secret: SECRET }),
        (error: Error) => {
          assert.ok(error instanceof WebhookError);
          assert.equal(error.code, 'config');
          const all = `${error.message}\n${error.stack}\n${JSON.stringify(error)}`;
          for (const part of ['admin', 'Sup3r', 'Secret']) assert.equal(all.includes(part), false, all);
          return true;
        },
      );
    });
  }

  it('error: a URL that is not http(s) is refused at construction with config', () => {
    assert.throws(() => createWebhookSink({ name: 'ops', url: 'ftp://127.0.0.1/hook' }), {
      name: 'WebhookError',
      code: 'config',
      message: 'webhook ftp://127.0.0.1: not an http:// or https:// URL',
    });
  });

  it('error: a refused connection rejects with unreachable and the socket code', async () => {
    const url = await serve(() => ({ status: 200 }));
    const server = servers.pop()!;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await assert.rejects(
      createWebhookSink({ name: 'ops', url, secret: SECRET }).deliver(transition),
      (error: Error) => {
        assert.equal((error as { code?: string }).code, 'unreachable');
        assert.match(error.message, /ECONNREFUSED/);
        return true;
      },
    );
  });
});
