import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import type { ErrorObservation } from '../../src/core/observation.ts';
import { toHash } from '../../src/core/observation.ts';
import { createEvmSource } from '../../src/sources/evm/createEvmSource.ts';
import { SOURCE_ERROR_CODES } from '../../src/sources/source.ts';
import {
  type FakeWsConnection,
  type FakeWsHandler,
  type FakeWsServer,
  startFakeWsServer,
} from './fakeWsServer.ts';
import { NODE_HEADERS } from './nodeHeaders.ts';
import { type Observed, observe } from './observe.ts';
import { isSameHeader } from './sameHeader.ts';

const subscription = '0x5ub';
const first = NODE_HEADERS.anvil;
const tampered = { ...NODE_HEADERS.ganache, stateRoot: `0x${'cd'.repeat(32)}` };

function notify(connection: FakeWsConnection | undefined, result: unknown, id = subscription): void {
  connection?.send(
    JSON.stringify({ jsonrpc: '2.0', method: 'eth_subscription', params: { subscription: id, result } }),
  );
}

/** A node that subscribes, serves `latest` (default `first`) and nothing else. */
function node(subscribeResult: unknown = subscription, latest: unknown = first): FakeWsHandler {
  return (connection, request) => {
    const answer = (result: unknown) =>
      connection.send(JSON.stringify({ jsonrpc: '2.0', id: request.id, result }));
    if (request.method === 'web3_clientVersion') answer('fakews/1.0');
    else if (request.method === 'eth_subscribe') answer(subscribeResult);
    else if (
      request.method === 'eth_getBlockByNumber' &&
      Array.isArray(request.params) &&
      request.params[0] === 'latest'
    )
      answer(latest);
    else answer(null);
  };
}

describe('EVM source: a misbehaving node over WebSocket', () => {
  let fake: FakeWsServer;
  let observed: Observed | undefined;
  before(async () => {
    fake = await startFakeWsServer(node());
  });
  beforeEach(async () => {
    await observed?.stop();
    fake.handler = node();
    fake.connections.length = 0;
  });
  after(async () => {
    await observed?.stop();
    await fake?.close();
  });

  async function watch(): Promise<Observed> {
    observed = await observe(
      createEvmSource({
        chain: 'devnet',
        node: 'fakews',
        url: fake.url,
        httpUrl: false,
        requestTimeoutMs: 3_000,
        reconnectMinMs: 20,
        reconnectMaxMs: 100,
      }),
    );
    await observed.waitFor((o) => o.type === 'head' && o.hash === toHash(first.hash));
    return observed;
  }

  it('error: a notification that is not JSON ends the session with invalid_response, then it reconnects', async () => {
    const watching = await watch();
    const from = watching.observations.length;
    fake.connections[0]?.send('{"jsonrpc": "2.0", "method": "eth_subscription", "params": {');
    const error = (await watching.waitFor((o) => o.type === 'error', { from })) as ErrorObservation;
    assert.equal(error.code, 'invalid_response');
    assert.match(error.message, /not JSON/);
    while (fake.connections.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const next = watching.observations.length;
    notify(fake.connections[1], NODE_HEADERS.hardhat);
    await watching.waitFor((o) => o.type === 'head' && o.hash === toHash(NODE_HEADERS.hardhat.hash), {
      from: next,
    });
  });

  it('error: a pushed header that does not match its hash is an integrity error, not a head; the session goes on', async () => {
    const watching = await watch();
    const from = watching.observations.length;
    notify(fake.connections[0], tampered);
    const error = (await watching.waitFor((o) => o.type === 'error', { from })) as ErrorObservation;
    assert.equal(error.code, 'integrity');
    assert.match(
      error.message,
      new RegExp(`block ${BigInt(tampered.number)} served with hash ${tampered.hash}`),
    );
    notify(fake.connections[0], NODE_HEADERS.hardhat);
    await watching.waitFor((o) => o.type === 'head' && o.hash === toHash(NODE_HEADERS.hardhat.hash), {
      from,
    });
    assert.equal(fake.connections.length, 1);
    assert.equal(
      watching.observations.slice(from).some((o) => o.type === 'head' && o.hash === toHash(tampered.hash)),
      false,
    );
  });

  it('behavior: a notification for another subscription is ignored', async () => {
    const watching = await watch();
    const from = watching.observations.length;
    notify(fake.connections[0], NODE_HEADERS.ganache, '0xother');
    notify(fake.connections[0], NODE_HEADERS.hardhat);
    await watching.waitFor((o) => o.type === 'head' && o.hash === toHash(NODE_HEADERS.hardhat.hash), {
      from,
    });
    assert.deepEqual(
      watching.observations.slice(from).map((o) => o.type),
      ['head'],
    );
  });

  it('error: a dropped connection is unreachable, then it reconnects and subscribes again', async () => {
    const watching = await watch();
    const from = watching.observations.length;
    fake.connections[0]?.destroy();
    const error = (await watching.waitFor((o) => o.type === 'error', { from })) as ErrorObservation;
    assert.equal(error.code, 'unreachable');
    while (fake.connections.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    notify(fake.connections[1], NODE_HEADERS.hardhat);
    await watching.waitFor((o) => o.type === 'head' && o.hash === toHash(NODE_HEADERS.hardhat.hash), {
      from,
    });
  });

  it('error: a socket that stays open but stops answering is a timeout, then it reconnects', async () => {
    observed = await observe(
      createEvmSource({
        chain: 'devnet',
        node: 'fakews',
        url: fake.url,
        httpUrl: false,
        requestTimeoutMs: 300,
        subscriptionCheckMs: 50,
        reconnectMinMs: 20,
        reconnectMaxMs: 100,
      }),
    );
    await observed.waitFor((o) => o.type === 'head' && o.hash === toHash(first.hash));
    const from = observed.observations.length;
    fake.handler = () => {};
    const error = (await observed.waitFor((o) => o.type === 'error', { from })) as ErrorObservation;
    assert.equal(error.code, 'timeout');
    fake.handler = node(subscription, NODE_HEADERS.hardhat);
    await observed.waitFor((o) => o.type === 'head' && o.hash === toHash(NODE_HEADERS.hardhat.hash), {
      from,
    });
    assert.ok(fake.connections.length >= 2);
  });

  it('error: a subscription id that is not a string is invalid_response', async () => {
    fake.handler = node(42);
    observed = await observe(
      createEvmSource({ chain: 'devnet', node: 'fakews', url: fake.url, httpUrl: false, reconnectMinMs: 20 }),
    );
    const error = (await observed.waitFor((o) => o.type === 'error')) as ErrorObservation;
    assert.equal(error.code, 'invalid_response');
    assert.match(error.message, /subscription id/);
  });

  it('behavior: fuzzed pushed headers each give an error or, when they are the real header, a head; never a crash', async () => {
    const watching = await watch();
    const base: Record<string, unknown> = { ...NODE_HEADERS.hardhat };
    const keys = Object.keys(base);
    const payloads = fc.oneof(
      fc.jsonValue(),
      fc
        .record({
          key: fc.constantFrom(...keys),
          value: fc.oneof(fc.jsonValue(), fc.stringMatching(/^0x[0-9a-f]{0,70}$/)),
        })
        .map(({ key, value }) => ({ ...base, [key]: value })),
    );
    await fc.assert(
      fc.asyncProperty(payloads, async (payload) => {
        const from = watching.observations.length;
        notify(fake.connections.at(-1), payload);
        notify(fake.connections.at(-1), tampered);
        await watching.waitFor(
          (o) => o.type === 'error' && o.code === 'integrity' && o.message.includes(tampered.hash),
          {
            from,
          },
        );
        const outcomes = watching.observations.slice(from, -1);
        assert.ok(outcomes.length <= 1, JSON.stringify(outcomes.map((o) => o.type)));
        for (const outcome of outcomes) {
          if (outcome.type === 'head') {
            assert.equal(outcome.hash, toHash(NODE_HEADERS.hardhat.hash));
            assert.ok(isSameHeader(payload, NODE_HEADERS.hardhat), 'a head only from the real header');
          } else if (outcome.type === 'error')
            assert.ok((SOURCE_ERROR_CODES as readonly string[]).includes(outcome.code));
          else assert.fail(`unexpected ${outcome.type}`);
        }
      }),
      { numRuns: 200 },
    );
    assert.equal(fake.connections.length, 1, 'bad payloads do not end the session');
  });
});
