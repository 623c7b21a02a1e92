import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ErrorObservation } from '../../src/core/observation.ts';
import { toHash } from '../../src/core/observation.ts';
import { createEvmSource } from '../../src/sources/evm/createEvmSource.ts';
import { answerJson, type FakeHandler, type FakeRpcServer, startFakeRpcServer } from './fakeRpcServer.ts';
import { NODE_HEADERS } from './nodeHeaders.ts';
import { observe } from './observe.ts';

const goodBlock = NODE_HEADERS.anvil;

/** Answers `web3_clientVersion` properly and every other method through `other`. */
function nodeThat(other: FakeHandler): FakeHandler {
  return (request, response) => {
    if (request.method === 'web3_clientVersion') {
      answerJson(response, { jsonrpc: '2.0', id: request.id, result: 'fake/1.0' });
      return;
    }
    other(request, response);
  };
}

const faults: Array<[string, FakeHandler, string, RegExp]> = [
  [
    'non-JSON answers',
    (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>502 Bad Gateway</html>');
    },
    'invalid_response',
    /not JSON/,
  ],
  [
    'a block with fields of the wrong types',
    nodeThat((request, response) =>
      answerJson(response, { jsonrpc: '2.0', id: request.id, result: { ...goodBlock, number: 5, hash: 12 } }),
    ),
    'invalid_response',
    /invalid block header/,
  ],
  [
    'a huge body (2 MiB)',
    nodeThat((request, response) =>
      answerJson(response, {
        jsonrpc: '2.0',
        id: request.id,
        result: { ...goodBlock, extraData: `0x${'00'.repeat(1024 * 1024)}` },
      }),
    ),
    'invalid_response',
    /too large/,
  ],
  [
    'answers slower than the timeout',
    nodeThat((request, response) => {
      setTimeout(
        () => answerJson(response, { jsonrpc: '2.0', id: request.id, result: goodBlock }),
        2_000,
      ).unref();
    }),
    'timeout',
    /no answer in time/,
  ],
  [
    'HTTP 503',
    (_request, response) => {
      response.writeHead(503, { 'content-type': 'text/plain' });
      response.end('overloaded');
    },
    'http_status',
    /HTTP status 503/,
  ],
  [
    'JSON-RPC errors',
    nodeThat((request, response) =>
      answerJson(response, {
        jsonrpc: '2.0',
        id: request.id,
        error: { code: -32000, message: 'header not found' },
      }),
    ),
    'rpc_error',
    /-32000: header not found/,
  ],
  [
    'a header that does not match its hash',
    nodeThat((request, response) =>
      answerJson(response, {
        jsonrpc: '2.0',
        id: request.id,
        result: { ...goodBlock, stateRoot: `0x${'ab'.repeat(32)}` },
      }),
    ),
    'integrity',
    new RegExp(
      `block ${BigInt(goodBlock.number)} served with hash ${goodBlock.hash} but its header hashes to 0x[0-9a-f]{64}`,
    ),
  ],
];

describe('EVM source: a misbehaving node on loopback', () => {
  let fake: FakeRpcServer;
  before(async () => {
    fake = await startFakeRpcServer(() => {});
  });
  after(async () => {
    await fake?.close();
  });

  for (const [name, handler, code, message] of faults) {
    it(`error: ${name} become ${code} observations, no head, no crash`, async () => {
      fake.handler = handler;
      const observed = await observe(
        createEvmSource({
          chain: 'devnet',
          node: 'fake',
          url: fake.url,
          pollIntervalMs: 20,
          requestTimeoutMs: 200,
          reconnectMinMs: 20,
          reconnectMaxMs: 50,
        }),
      );
      try {
        const first = (await observed.waitFor((o) => o.type === 'error')) as ErrorObservation;
        await observed.waitFor((o) => o.type === 'error', { from: observed.observations.indexOf(first) + 1 });
        assert.equal(first.code, code);
        assert.match(first.message, message);
        assert.equal(first.chain, 'devnet');
        assert.equal(first.node, 'fake');
        assert.equal(
          observed.observations.some((o) => o.type === 'head' || o.type === 'block'),
          false,
        );
      } finally {
        await observed.stop();
      }
    });
  }

  it('behavior: after the faults stop, the same source emits the head', async () => {
    fake.handler = (_request, response) => {
      response.writeHead(500);
      response.end();
    };
    const observed = await observe(
      createEvmSource({
        chain: 'devnet',
        node: 'fake',
        url: fake.url,
        pollIntervalMs: 20,
        reconnectMinMs: 20,
        reconnectMaxMs: 50,
      }),
    );
    try {
      await observed.waitFor((o) => o.type === 'error' && o.code === 'http_status');
      fake.handler = nodeThat((request, response) =>
        answerJson(response, {
          jsonrpc: '2.0',
          id: request.id,
          result: request.params[0] === 'latest' ? goodBlock : null,
        }),
      );
      const head = await observed.waitFor((o) => o.type === 'head');
      assert.equal(head.type === 'head' && head.hash, toHash(goodBlock.hash));
      assert.equal(head.type === 'head' && head.client, 'fake/1.0');
    } finally {
      await observed.stop();
    }
  });

  it('behavior: credentials in the URL are sent as basic auth and never appear in observations', async () => {
    fake.handler = (_request, response) => {
      response.writeHead(401);
      response.end();
    };
    const url = `http://watcher:s3cret-pass@127.0.0.1:${fake.port}/?apikey=s3cret-key`;
    const observed = await observe(
      createEvmSource({
        chain: 'devnet',
        node: 'fake',
        url,
        pollIntervalMs: 20,
        reconnectMinMs: 20,
        reconnectMaxMs: 50,
      }),
    );
    try {
      const error = (await observed.waitFor((o) => o.type === 'error')) as ErrorObservation;
      assert.equal(error.code, 'http_status');
      assert.equal(
        JSON.stringify(observed.observations, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)).includes(
          's3cret',
        ),
        false,
      );
      assert.match(error.message, /http:\/\/\*\*\*@127\.0\.0\.1:\d+\?\*\*\*/);
      assert.equal(
        fake.requests.at(-1)?.authorization,
        `Basic ${Buffer.from('watcher:s3cret-pass').toString('base64')}`,
      );
    } finally {
      await observed.stop();
    }
  });

  it('behavior: a WebSocket URL on a server without WebSocket falls back to polling and reports unreachable', async () => {
    fake.handler = nodeThat((request, response) =>
      answerJson(response, {
        jsonrpc: '2.0',
        id: request.id,
        result: request.params[0] === 'latest' ? goodBlock : null,
      }),
    );
    const observed = await observe(
      createEvmSource({
        chain: 'devnet',
        node: 'fake',
        url: `ws://127.0.0.1:${fake.port}`,
        pollIntervalMs: 20,
        requestTimeoutMs: 500,
        reconnectMinMs: 200,
        reconnectMaxMs: 400,
      }),
    );
    try {
      const error = (await observed.waitFor((o) => o.type === 'error')) as ErrorObservation;
      assert.equal(error.code, 'unreachable');
      await observed.waitFor((o) => o.type === 'head' && o.hash === toHash(goodBlock.hash));
    } finally {
      await observed.stop();
    }
  });

  it('behavior: requests to a node stay within maxRequestsPerSecond', async () => {
    fake.requests.length = 0;
    fake.handler = nodeThat((request, response) =>
      answerJson(response, { jsonrpc: '2.0', id: request.id, error: { code: -32000, message: 'busy' } }),
    );
    const startedAt = performance.now();
    const observed = await observe(
      createEvmSource({
        chain: 'devnet',
        node: 'fake',
        url: fake.url,
        pollIntervalMs: 1,
        reconnectMinMs: 1,
        reconnectMaxMs: 1,
        maxRequestsPerSecond: 10,
      }),
    );
    try {
      let errors = 0;
      for (let i = 0; i < 30; i += 1) {
        const next = await observed.waitFor((o) => o.type === 'error', { from: errors });
        errors = observed.observations.indexOf(next) + 1;
      }
    } finally {
      await observed.stop();
    }
    const elapsedS = (performance.now() - startedAt) / 1000;
    assert.ok(fake.requests.length >= 31);
    assert.ok(
      fake.requests.length <= 10 + Math.ceil(10 * elapsedS) + 1,
      `${fake.requests.length} requests in ${elapsedS.toFixed(2)} s`,
    );
  });

  it('behavior: observedAtMs comes from the injected clock', async () => {
    fake.handler = nodeThat((request, response) =>
      answerJson(response, {
        jsonrpc: '2.0',
        id: request.id,
        result: request.params[0] === 'latest' ? goodBlock : null,
      }),
    );
    let nowMs = 1_700_000_000_000;
    const observed = await observe(
      createEvmSource({ chain: 'devnet', node: 'fake', url: fake.url, clock: { nowMs: () => (nowMs += 1) } }),
    );
    try {
      const head = await observed.waitFor((o) => o.type === 'head');
      assert.ok(head.observedAtMs > 1_700_000_000_000 && head.observedAtMs <= nowMs);
    } finally {
      await observed.stop();
    }
  });
});
