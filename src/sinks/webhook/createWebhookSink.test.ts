import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import type { Transition } from '../../breaker/levels.ts';
import { createWebhookSink } from './createWebhookSink.ts';
import { signWebhook } from './signWebhook.ts';
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
  it('default: POSTs the JSON body with timestamp, signature and idempotency key', async () => {
    let seen: { headers: IncomingMessage['headers']; body: string; method?: string | undefined } | undefined;
    const url = await serve((req, body) => {
      seen = { headers: req.headers, body, method: req.method };
      return { status: 204 };
    });
    const sink = createWebhookSink({
      name: 'ops',
      url,
      secret: 'k',
      clock: { nowMs: () => 1_700_000_123_456 },
    });
    await sink.deliver(transition);
    assert.equal(seen?.method, 'POST');
    assert.equal(seen?.headers['content-type'], 'application/json');
    assert.equal(seen?.headers['idempotency-key'], transition.idempotencyKey);
    assert.equal(seen?.headers['x-consensus-guard-timestamp'], '1700000123');
    assert.equal(
      seen?.headers['x-consensus-guard-signature'],
      signWebhook('k', 1_700_000_123, seen?.body ?? ''),
    );
    assert.deepEqual(JSON.parse(seen?.body ?? '{}').transition, transition);
  });

  it('behavior: no secret, no signature header', async () => {
    let signature: unknown = 'unset';
    const url = await serve((req) => {
      signature = req.headers['x-consensus-guard-signature'];
      return { status: 200 };
    });
    await createWebhookSink({ name: 'slack', url, shape: 'slack' }).deliver(transition);
    assert.equal(signature, undefined);
  });

  it('error: a non-2xx answer rejects with http_status, its status and an excerpt, without the URL secret', async () => {
    const url = await serve(() => ({ status: 503 }));
    await assert.rejects(
      createWebhookSink({ name: 'ops', url, secret: 'k' }).deliver(transition),
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
      createWebhookSink({ name: 'ops', url, secret: 'k', timeoutMs: 200 }).deliver(transition),
      {
        code: 'timeout',
      },
    );
  });

  it('error: a URL with a user name or password is refused at construction with config', () => {
    assert.throws(
      () => createWebhookSink({ name: 'ops', url: 'https://user:Sup3rSecret@127.0.0.1:9/hook', secret: 'k' }),
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
        () => createWebhookSink({ name: 'ops', url, secret: 'k' }),
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
      createWebhookSink({ name: 'ops', url, secret: 'k' }).deliver(transition),
      (error: Error) => {
        assert.equal((error as { code?: string }).code, 'unreachable');
        assert.match(error.message, /ECONNREFUSED/);
        return true;
      },
    );
  });
});
