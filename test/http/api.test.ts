import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Registry } from 'prom-client';
import type { Transition } from '../../src/breaker/levels.ts';
import { type CreateAppParameters, createApp } from '../../src/http/createApp.ts';
import { createMetrics } from '../../src/http/createMetrics.ts';
import { createStateProofBook } from '../../src/runtime/createStateProofBook.ts';
import type { ServiceView } from '../../src/runtime/serviceView.ts';
import { StoreError } from '../../src/store/storeError.ts';
import { createTestService, feedUntil, type TestService } from './createTestService.ts';
import { checkedAnswers, type OpenApiDocument, withOpenApiCheck } from './withOpenApiCheck.ts';

const TOKEN = 'test-token-0123456789';

type ChainJson = {
  name: string;
  canonicalHead: { number: number; hash: string };
  finalized: { number: number; hash: string };
  status: string;
  holds: Array<{ kind: string; severity: string; atMs: number; untilMs: number }>;
  level: string;
  secondsSinceLastHead: number;
};
type NodeJson = {
  name: string;
  chain: string;
  client: string;
  head: { number: number; hash: string };
  lagBlocks: number;
  lastLatencyMs: number;
  headMinusFinalized: number;
  lastError: string | null;
};

async function setup(options: Partial<CreateAppParameters> = {}, given?: TestService) {
  const service = given ?? (await createTestService());
  const logs: string[] = [];
  const app = withOpenApiCheck(
    createApp({
      view: service.view,
      metrics: service.metrics,
      token: TOKEN,
      limits: { rateLimit: false },
      log: (entry) => logs.push(`${entry.level} ${entry.message}`),
      ...options,
    }),
  );
  return { app, service, logs };
}

/** A service fed past the 7-block reorg of reorg-7: the breaker is at reduce_only. */
async function afterReorg(): Promise<TestService> {
  const service = await createTestService();
  const index = await feedUntil(
    service,
    0,
    () => service.guard.state.breakers.get('ethereum')?.level === 'reduce_only',
  );
  await service.feed(index, index + 5);
  return service;
}

async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string } };
  assert.deepEqual(Object.keys(body), ['error']);
  return body.error;
}

function post(path: string, body: unknown, token: string | null = TOKEN): Request {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  return new Request(`http://localhost${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('http api', () => {
  test('default: /healthz answers ok', async () => {
    const { app } = await setup();
    const res = await app.request('/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      status: 'ok',
      role: 'leader',
      instance: null,
      epoch: null,
      location: null,
    });
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });

  test('behavior: /healthz and /api/cluster of a cluster member', async () => {
    const given = await createTestService();
    given.view.clusterPosition = () => ({
      role: 'follower',
      instance: 'guard-b',
      epoch: null,
      location: 'eu',
    });
    given.view.clusterStatus = async () => ({
      clustered: true,
      lease: { holder: 'guard-a', epoch: 3, valid: true, ageMs: 420, expiresInMs: 4580 },
      instances: [
        { instance: 'guard-a', role: 'leader', location: null, epoch: 3, ageMs: 300 },
        { instance: 'guard-b', role: 'follower', location: 'eu', epoch: null, ageMs: 800 },
        { instance: 'watch-1', role: 'watcher', location: 'eu', epoch: null, ageMs: 100 },
      ],
      locations: [
        {
          location: 'eu',
          instances: ['watch-1'],
          observations: 1200,
          lastObservedAtMs: 1_700_000_000_000,
          lastStoredAgeMs: 150,
        },
      ],
    });
    const { app } = await setup({}, given);
    assert.deepEqual(await (await app.request('/healthz')).json(), {
      status: 'ok',
      role: 'follower',
      instance: 'guard-b',
      epoch: null,
      location: 'eu',
    });
    const res = await app.request('/api/cluster');
    assert.equal(res.status, 200);
    const body = (await res.json()) as { lease: { holder: string; epoch: number }; instances: unknown[] };
    assert.equal(body.lease.holder, 'guard-a');
    assert.equal(body.lease.epoch, 3);
    assert.equal(body.instances.length, 3);
    given.view.clusterStatus = async () => {
      throw new StoreError('store_unreachable', 'the database server cannot be reached', {
        cause: new Error('connect ECONNREFUSED'),
      });
    };
    const failed = await app.request('/api/cluster');
    assert.equal(failed.status, 503);
    assert.deepEqual(await errorOf(failed), {
      code: 'not_ready',
      message: 'the store cannot be read: the database server cannot be reached',
    });
  });

  test('default: /api/cluster of a lone guard', async () => {
    const { app } = await setup();
    assert.deepEqual(await (await app.request('/api/cluster')).json(), {
      clustered: false,
      lease: null,
      instances: [],
      locations: [],
    });
  });

  test('behavior: /readyz follows view.ready()', async () => {
    const { app, service } = await setup();
    assert.equal((await app.request('/readyz')).status, 200);
    service.view.setReady(false);
    const res = await app.request('/readyz');
    assert.equal(res.status, 503);
    assert.equal((await errorOf(res)).code, 'not_ready');
  });

  test('behavior: /api/chains gives the canonical head, finality, status and breaker level', async () => {
    const { app } = await setup({}, await afterReorg());
    const res = await app.request('/api/chains');
    assert.equal(res.status, 200);
    const { chains } = (await res.json()) as { chains: ChainJson[] };
    assert.equal(chains.length, 1);
    const chain = chains[0]!;
    assert.equal(chain.name, 'ethereum');
    assert.equal(typeof chain.canonicalHead.number, 'number');
    assert.ok(chain.canonicalHead.number > 14_840_000);
    assert.match(chain.canonicalHead.hash, /^[0-9a-f]{64}$/);
    assert.equal(typeof chain.finalized.number, 'number');
    assert.ok(chain.finalized.number < chain.canonicalHead.number);
    assert.equal(chain.level, 'reduce_only');
    assert.equal(chain.status, 'critical', 'the reorg holds the breaker: a critical event');
    assert.deepEqual(
      chain.holds.map((h) => [h.kind, h.severity]),
      [['reorg', 'critical']],
    );
    assert.ok(chain.holds[0]!.untilMs > chain.holds[0]!.atMs);
    assert.equal(typeof chain.secondsSinceLastHead, 'number');
    assert.ok(chain.secondsSinceLastHead >= 0);
    const one = await app.request('/api/chains/ethereum');
    assert.equal(((await one.json()) as { name: string }).name, 'ethereum');
  });

  test('behavior: /api/chains/:chain/tree shows both branches of the reorg and which nodes follow them', async () => {
    const { app } = await setup({}, await afterReorg());
    const res = await app.request('/api/chains/ethereum/tree?depth=16');
    assert.equal(res.status, 200);
    const tree = (await res.json()) as {
      blocks: Array<{
        hash: string;
        parentHash: string;
        number: number;
        canonical: boolean;
        nodes: string[];
        heads: string[];
      }>;
      heads: Record<string, { number: number; hash: string }>;
      fromHeight: number;
      toHeight: number;
    };
    assert.ok(tree.toHeight - tree.fromHeight <= 16);
    const heights = new Map<number, number>();
    for (const block of tree.blocks) heights.set(block.number, (heights.get(block.number) ?? 0) + 1);
    assert.ok(
      [...heights.values()].some((n) => n >= 2),
      'a height with two blocks: a fork',
    );
    const orphaned = tree.blocks.filter((b) => !b.canonical);
    assert.ok(orphaned.length >= 7, `the 7 replaced blocks stay in view, got ${orphaned.length}`);
    assert.deepEqual(Object.keys(tree.heads).sort(), ['lighthouse-1', 'prysm-1', 'teku-1']);
    for (const [node, head] of Object.entries(tree.heads)) {
      const block = tree.blocks.find((b) => b.hash === head.hash);
      assert.ok(block?.heads.includes(node));
      assert.ok(block?.nodes.includes(node));
    }
    const unknown = await app.request('/api/chains/nope/tree');
    assert.equal(unknown.status, 404);
    assert.equal((await errorOf(unknown)).code, 'unknown_chain');
    const bad = await app.request('/api/chains/ethereum/tree?depth=0');
    assert.equal(bad.status, 400);
  });

  test('behavior: /api/chains/:chain/resolution agrees once every node is back on one branch', async () => {
    const { app } = await setup({}, await afterReorg());
    const res = await app.request('/api/chains/ethereum/resolution');
    assert.equal(res.status, 200);
    const resolution = (await res.json()) as { chain: string; status: string; drain: string[] };
    assert.equal(resolution.chain, 'ethereum');
    assert.equal(resolution.status, 'agreed');
    assert.deepEqual(resolution.drain, []);
    const unknown = await app.request('/api/chains/nope/resolution');
    assert.equal(unknown.status, 404);
    assert.equal((await errorOf(unknown)).code, 'unknown_chain');
  });

  test('behavior: /api/chains/:chain/proofs lists per account the block, values, provers and failures', async () => {
    const oracle = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
    const bridge = '0x0000000000000000000000000000000000000001';
    const slot0 = `0x${'00'.repeat(32)}` as const;
    const book = createStateProofBook({
      ethereum: {
        intervalMs: 12_000,
        accounts: [
          { name: 'oracle', address: oracle, slots: [slot0] },
          { name: 'bridge', address: bridge, slots: [] },
        ],
      },
    });
    const hash10 = 'aa'.repeat(32);
    const values = {
      nonce: 1n,
      balance: 2n ** 60n,
      codeHash: `0x${'11'.repeat(32)}`,
      storageHash: `0x${'22'.repeat(32)}`,
    } as const;
    const report = (node: string, number: bigint, hash: string, price: bigint) => ({
      chain: 'ethereum',
      node,
      block: { number, hash },
      blockTimestamp: 1_700_000_000 + Number(number),
      observedAtMs: 1_000 + Number(number),
      accounts: [
        {
          address: oracle.toLowerCase() as `0x${string}`,
          ...values,
          storage: [{ slot: slot0, value: price }],
        },
      ],
    });
    book.record(report('geth', 9n, 'bb'.repeat(32), 41n));
    book.record(report('nethermind', 10n, hash10, 42n));
    book.record(report('besu', 10n, hash10, 42n));
    book.fail({
      chain: 'ethereum',
      node: 'liar',
      code: 'state_proof',
      message: 'block 10: the node states 43, its proof proves 42',
      block: { number: 10n, hash: hash10 },
      address: oracle,
      observedAtMs: 1_011,
    });
    const { app } = await setup({ stateProofs: book }, await afterReorg());
    const res = await app.request('/api/chains/ethereum/proofs');
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(body, {
      chain: 'ethereum',
      intervalMs: 12_000,
      accounts: [
        {
          name: 'oracle',
          address: oracle,
          block: { number: 10, hash: hash10, timestamp: 1_700_000_010 },
          verifiedAtMs: 1_010,
          values: {
            ...values,
            nonce: 1,
            balance: '1152921504606846976',
            storage: [{ slot: slot0, value: 42 }],
          },
          nodes: ['besu', 'nethermind'],
          failed: [
            {
              node: 'liar',
              code: 'state_proof',
              message: 'block 10: the node states 43, its proof proves 42',
              block: { number: 10, hash: hash10 },
              atMs: 1_011,
            },
          ],
        },
        {
          name: 'bridge',
          address: bridge,
          block: null,
          verifiedAtMs: null,
          values: null,
          nodes: [],
          failed: [],
        },
      ],
    });
    const unknown = await app.request('/api/chains/nope/proofs');
    assert.equal(unknown.status, 404);
    assert.equal((await errorOf(unknown)).code, 'unknown_chain');
    const none = await (await setup({}, await afterReorg())).app.request('/api/chains/ethereum/proofs');
    assert.deepEqual(await none.json(), { chain: 'ethereum', intervalMs: null, accounts: [] });
  });

  test('behavior: /api/nodes gives client, head, lag, latency and head minus finalized', async () => {
    const { app } = await setup({}, await afterReorg());
    const { nodes } = (await (await app.request('/api/nodes')).json()) as { nodes: NodeJson[] };
    assert.deepEqual(
      nodes.map((n) => n.name),
      ['lighthouse-1', 'prysm-1', 'teku-1'],
    );
    for (const node of nodes) {
      assert.equal(node.chain, 'ethereum');
      assert.match(node.client, /^(Lighthouse|Prysm|Teku)\//);
      assert.equal(typeof node.head.number, 'number');
      assert.equal(typeof node.lagBlocks, 'number');
      assert.equal(typeof node.lastLatencyMs, 'number');
      assert.ok(node.lastLatencyMs > 0);
      assert.equal(typeof node.headMinusFinalized, 'number');
      assert.equal(node.lastError, null);
    }
  });

  test('args: /api/signals?limit= bounds the list, newest last; a bad limit is a 400', async () => {
    const { app, service } = await setup({}, await afterReorg());
    const all = service.view.recentSignals(1000);
    assert.ok(all.length >= 3);
    const { signals } = (await (await app.request('/api/signals?limit=2')).json()) as {
      signals: Array<{ kind: string; atMs: number }>;
    };
    assert.equal(signals.length, 2);
    assert.deepEqual(
      signals.map((s) => s.atMs),
      all.slice(-2).map((s) => s.atMs),
    );
    for (const limit of ['abc', '0', '-1', '1001', '1.5']) {
      const res = await app.request(`/api/signals?limit=${limit}`);
      assert.equal(res.status, 400, limit);
      assert.equal((await errorOf(res)).code, 'bad_request');
    }
  });

  test('behavior: /api/breakers gives level, override and history', async () => {
    const { app } = await setup({}, await afterReorg());
    const { breakers } = (await (await app.request('/api/breakers')).json()) as {
      breakers: Array<{ name: string; level: string; override: unknown; history: Transition[] }>;
    };
    assert.equal(breakers.length, 1);
    assert.equal(breakers[0]!.name, 'ethereum');
    assert.equal(breakers[0]!.level, 'reduce_only');
    assert.equal(breakers[0]!.override, null);
    assert.equal(breakers[0]!.history.at(-1)!.to, 'reduce_only');
    assert.match(
      breakers[0]!.history.at(-1)!.idempotencyKey,
      /^[0-9a-f-]{36}:ethereum:1:normal>reduce_only$/,
    );
    const one = await app.request('/api/breakers/ethereum?history=1');
    assert.deepEqual(await one.json(), { ...breakers[0], history: breakers[0]!.history.slice(-1) });
    const unknown = await app.request('/api/breakers/nope');
    assert.equal(unknown.status, 404);
    assert.equal((await errorOf(unknown)).code, 'unknown_breaker');
  });

  test('behavior: /metrics exposes node, chain and breaker metrics and process metrics', async () => {
    const service = await createTestService('reorg-7', { processMetrics: true });
    const index = await feedUntil(
      service,
      0,
      () => service.guard.state.breakers.get('ethereum')?.level === 'reduce_only',
    );
    await service.feed(index, index + 5);
    const { app } = await setup({}, service);
    await app.request('/healthz');
    const res = await app.request('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    const head = service.guard.state.chains.get('ethereum')!.canonical!.number;
    for (const pattern of [
      new RegExp(`^consensus_guard_chain_head_height\\{chain="ethereum"\\} ${head}$`, 'm'),
      /^consensus_guard_node_head_height\{chain="ethereum",node="prysm-1"\} \d+$/m,
      /^consensus_guard_node_lag_blocks\{chain="ethereum",node="teku-1"\} \d+$/m,
      /^consensus_guard_node_rpc_latency_seconds_count\{chain="ethereum",node="lighthouse-1"\} [1-9]\d*$/m,
      /^consensus_guard_chain_seconds_since_last_head\{chain="ethereum"\} [\d.]+$/m,
      /^consensus_guard_chain_finality_age_seconds\{chain="ethereum"\} [\d.]+$/m,
      /^consensus_guard_chain_reorg_depth_blocks_bucket\{le="5",chain="ethereum",scope="chain"\} 0$/m,
      /^consensus_guard_chain_reorg_depth_blocks_bucket\{le="7",chain="ethereum",scope="chain"\} 1$/m,
      /^consensus_guard_breaker_level\{breaker="ethereum"\} 2$/m,
      /^consensus_guard_breaker_state\{breaker="ethereum",level="reduce_only"\} 1$/m,
      /^consensus_guard_breaker_state\{breaker="ethereum",level="normal"\} 0$/m,
      /^consensus_guard_signals_total\{chain="ethereum",kind="reorg",severity="critical"\} 4$/m,
      /^consensus_guard_breaker_transitions_total\{breaker="ethereum",to="reduce_only",mode="auto"\} 1$/m,
      /^consensus_guard_http_requests_total\{route="\/healthz",method="GET",status="200"\} 1$/m,
      /^process_cpu_user_seconds_total \d/m,
      /^nodejs_heap_size_used_bytes \d/m,
    ]) {
      assert.match(text, pattern);
    }
  });

  test('behavior: observe counts node errors and RPC latency; /api/nodes shows the last latency and error', async () => {
    const { app, service } = await setup();
    await service.feed(0, 50);
    const base = {
      chain: 'ethereum',
      node: 'teku-1',
      observedAtMs: service.guard.state.chains.get('ethereum')!.nowMs,
    };
    for (const observation of [
      { ...base, type: 'error' as const, code: 'timeout', message: 'no answer in 5 s', latencyMs: 5000 },
      { ...base, type: 'error' as const, code: 'unreachable', message: 'ECONNREFUSED' },
    ]) {
      service.guard.push(observation);
    }
    await service.service.flush();
    const text = await (await app.request('/metrics')).text();
    assert.match(text, /^consensus_guard_node_errors_total\{chain="ethereum",node="teku-1"\} 2$/m);
    assert.match(
      text,
      /^consensus_guard_node_rpc_latency_seconds_bucket\{le="2",chain="ethereum",node="teku-1"\} (\d+)$/m,
    );
    const below = Number(
      /node_rpc_latency_seconds_bucket\{le="2",chain="ethereum",node="teku-1"\} (\d+)/.exec(text)![1],
    );
    const at5 = Number(
      /node_rpc_latency_seconds_bucket\{le="5",chain="ethereum",node="teku-1"\} (\d+)/.exec(text)![1],
    );
    assert.equal(at5 - below, 1, 'the 5 s timeout lands in the 5 s bucket');
    const { nodes } = (await (await app.request('/api/nodes')).json()) as { nodes: NodeJson[] };
    const teku = nodes.find((n) => n.name === 'teku-1')!;
    assert.equal(teku.lastLatencyMs, 5000);
    assert.equal(teku.lastError, 'unreachable: ECONNREFUSED');
  });

  test('behavior: each app has its own registry', async () => {
    const a = await setup();
    const b = await setup();
    assert.notEqual(a.app.metrics.registry, b.app.metrics.registry);
    await a.app.request('/healthz');
    assert.match(await a.app.metrics.registry.metrics(), /http_requests_total\{route="\/healthz"/);
    assert.doesNotMatch(await b.app.metrics.registry.metrics(), /http_requests_total\{route="\/healthz"/);
  });

  test('error: an unknown route is a JSON 404', async () => {
    const { app } = await setup();
    const res = await app.request('/api/nothing');
    assert.equal(res.status, 404);
    assert.deepEqual(await errorOf(res), { code: 'not_found', message: 'no such route: see docs/http.md' });
  });

  test('error: override without a token is 401, with a wrong token 403, and nothing changes', async () => {
    const { app, service } = await setup({}, await afterReorg());
    const body = { level: 'halt', reason: 'test', actor: 'alice' };
    const missing = await app.request(post('/api/breakers/ethereum/override', body, null));
    assert.equal(missing.status, 401);
    assert.equal((await errorOf(missing)).code, 'unauthorized');
    assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/);
    const basic = await app.request(
      new Request('http://localhost/api/breakers/ethereum/override', {
        method: 'POST',
        headers: { Authorization: `Basic ${btoa('a:b')}` },
        body: JSON.stringify(body),
      }),
    );
    assert.equal(basic.status, 401);
    for (const wrong of ['nope', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      const res = await app.request(post('/api/breakers/ethereum/override', body, wrong));
      assert.equal(res.status, 403, wrong);
      assert.equal((await errorOf(res)).code, 'forbidden');
    }
    const resume = await app.request(
      post('/api/breakers/ethereum/resume', { reason: 'x', actor: 'y' }, 'nope'),
    );
    assert.equal(resume.status, 403);
    assert.equal(service.guard.state.breakers.get('ethereum')!.level, 'reduce_only');
    assert.equal(service.guard.state.breakers.get('ethereum')!.override, undefined);
  });

  test('error: without a configured token, commands are disabled', async () => {
    const { app } = await setup({ token: undefined });
    const res = await app.request(
      post('/api/breakers/ethereum/override', { level: 'halt', reason: 'r', actor: 'a' }),
    );
    assert.equal(res.status, 403);
    assert.equal((await errorOf(res)).code, 'override_disabled');
  });

  test('error: bad JSON and bad fields are 400 with a clear message', async () => {
    const { app } = await setup();
    const badJson = await app.request(post('/api/breakers/ethereum/override', '{"level": '));
    assert.equal(badJson.status, 400);
    assert.deepEqual(await errorOf(badJson), { code: 'bad_json', message: 'request body is not valid JSON' });
    const cases: Array<[unknown, RegExp]> = [
      [{ level: 'panic', reason: 'r', actor: 'a' }, /level/],
      [{ level: 'halt', actor: 'a' }, /reason/],
      [{ level: 'halt', reason: 'r', actor: '   ' }, /actor/],
      [{ level: 'halt', reason: 'r'.repeat(501), actor: 'a' }, /reason/],
      [[1, 2], /invalid body/],
    ];
    for (const [body, message] of cases) {
      const res = await app.request(post('/api/breakers/ethereum/override', body));
      assert.equal(res.status, 400, JSON.stringify(body));
      const error = await errorOf(res);
      assert.equal(error.code, 'bad_request');
      assert.match(error.message, message);
    }
  });

  test('error: an unknown breaker is a 404', async () => {
    const { app } = await setup();
    const res = await app.request(
      post('/api/breakers/nope/override', { level: 'halt', reason: 'r', actor: 'a' }),
    );
    assert.equal(res.status, 404);
    assert.deepEqual(await errorOf(res), { code: 'unknown_breaker', message: 'unknown breaker "nope"' });
    const resume = await app.request(post('/api/breakers/nope/resume', { reason: 'r', actor: 'a' }));
    assert.equal(resume.status, 404);
  });

  test('error: a body over the limit is a 413', async () => {
    const { app } = await setup({ limits: { rateLimit: false, maxBodyBytes: 1024 } });
    const big = { level: 'halt', reason: 'r', actor: 'a', padding: 'x'.repeat(2000) };
    const res = await app.request(post('/api/breakers/ethereum/override', big));
    assert.equal(res.status, 413);
    assert.equal((await errorOf(res)).code, 'payload_too_large');
    const chunked = await app.request(
      new Request('http://localhost/api/breakers/ethereum/override', {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(JSON.stringify(big)));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit),
    );
    assert.equal(chunked.status, 413);
  });

  test('error: past the rate limit a client gets 429 with Retry-After', async () => {
    const { app } = await setup({
      limits: { rateLimit: { ratePerSecond: 0.001, burst: 3 } },
      clientKey: () => 'a',
    });
    for (let i = 0; i < 3; i++) assert.equal((await app.request('/healthz')).status, 200);
    const res = await app.request('/healthz');
    assert.equal(res.status, 429);
    assert.equal((await errorOf(res)).code, 'rate_limited');
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
  });

  test('behavior: the rate limit is per client', async () => {
    let client = 'a';
    const { app } = await setup({
      limits: { rateLimit: { ratePerSecond: 0.001, burst: 1 } },
      clientKey: () => client,
    });
    assert.equal((await app.request('/healthz')).status, 200);
    assert.equal((await app.request('/healthz')).status, 429);
    client = 'b';
    assert.equal((await app.request('/healthz')).status, 200);
  });

  test('behavior: the bucket refills with time', async () => {
    let nowMs = 0;
    const { app } = await setup({
      limits: { rateLimit: { ratePerSecond: 2, burst: 1 } },
      clientKey: () => 'a',
      nowMs: () => nowMs,
    });
    assert.equal((await app.request('/healthz')).status, 200);
    assert.equal((await app.request('/healthz')).status, 429);
    nowMs += 500;
    assert.equal((await app.request('/healthz')).status, 200);
  });

  test('behavior: a burst of wrong tokens does not lock out the valid token from the same address', async () => {
    const { app, service } = await setup(
      {
        limits: {
          rateLimit: { ratePerSecond: 1, burst: 8 },
          authFailureRateLimit: { ratePerSecond: 1, burst: 3 },
        },
        clientKey: () => '127.0.0.1',
        nowMs: () => 1_000,
      },
      await afterReorg(),
    );
    const body = { level: 'halt', reason: 'reorg under review', actor: 'alice' };
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await app.request(post('/api/breakers/ethereum/override', body, `wrong-${i}`));
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [403, 403, 403, ...Array(9).fill(429)]);
    const unauthenticated = await app.request(
      post('/api/breakers/ethereum/resume', { reason: 'r', actor: 'a' }, null),
    );
    assert.equal(unauthenticated.status, 429);
    const valid = await app.request(post('/api/breakers/ethereum/override', body));
    assert.equal(valid.status, 200);
    assert.equal(service.guard.state.breakers.get('ethereum')!.override?.actor, 'alice');
    const wrong = await app.request(post('/api/breakers/ethereum/override', body, 'wrong-again'));
    assert.equal(wrong.status, 429);
    assert.equal((await errorOf(wrong)).code, 'rate_limited');
    assert.ok(Number(wrong.headers.get('retry-after')) >= 1);
    // The address's general bucket is spent too; reads from it are limited, the token is not.
    assert.equal((await app.request('/api/chains')).status, 429);
    const resume = await app.request(
      post('/api/breakers/ethereum/resume', { reason: 'reviewed', actor: 'bob' }),
    );
    assert.equal(resume.status, 200);
  });

  test('error: a failure inside a route is a 500 that leaks nothing, and is logged', async () => {
    const service = await createTestService();
    const broken: ServiceView = {
      ...service.view,
      engine: () => {
        throw new Error('secret database path /var/lib/x');
      },
    };
    const logs: string[] = [];
    const app = withOpenApiCheck(
      createApp({
        view: broken,
        metrics: createMetrics({ registry: new Registry(), view: broken, processMetrics: false }),
        limits: { rateLimit: false },
        log: (entry) =>
          logs.push(`${entry.level} ${entry.message} ${(entry.error as Error | undefined)?.message}`),
      }),
    );
    const res = await app.request('/api/chains');
    assert.equal(res.status, 500);
    assert.deepEqual(await errorOf(res), { code: 'internal', message: 'internal error' });
    assert.deepEqual(logs, ['error request failed secret database path /var/lib/x']);
  });

  test('behavior: override is audited in the transition, then resume hands the breaker back to the rules', async () => {
    const { app, service, logs } = await setup({}, await afterReorg());
    const res = await app.request(
      post('/api/breakers/ethereum/override', {
        level: 'halt',
        reason: 'deep reorg under review',
        actor: 'alice',
      }),
    );
    assert.equal(res.status, 200);
    const { transition, breaker } = (await res.json()) as {
      transition: Transition;
      breaker: { level: string; override: { actor: string; reason: string; level: string } };
    };
    assert.equal(transition.from, 'reduce_only');
    assert.equal(transition.to, 'halt');
    assert.equal(transition.mode, 'manual');
    assert.equal(transition.actor, 'alice');
    assert.match(transition.reason, /alice: deep reorg under review/);
    assert.equal(breaker.level, 'halt');
    assert.deepEqual(
      { actor: breaker.override.actor, reason: breaker.override.reason, level: breaker.override.level },
      { actor: 'alice', reason: 'deep reorg under review', level: 'halt' },
    );
    assert.deepEqual(service.view.transitions(1, 'ethereum'), [transition]);
    assert.ok(logs.some((line) => /override ethereum to halt by alice: deep reorg under review/.test(line)));
    const { breakers } = (await (await app.request('/api/breakers')).json()) as {
      breakers: Array<{ level: string; history: Transition[] }>;
    };
    assert.equal(breakers[0]!.level, 'halt');
    assert.equal(breakers[0]!.history.at(-1)!.actor, 'alice');

    const resumed = await app.request(
      post('/api/breakers/ethereum/resume', { reason: 'reviewed', actor: 'bob' }),
    );
    assert.equal(resumed.status, 200);
    const after = (await resumed.json()) as { breaker: { override: unknown; level: string } };
    assert.equal(after.breaker.override, null);
    assert.ok(logs.some((line) => /resume ethereum by bob: reviewed/.test(line)));
    await service.feed(0, service.observations.length);
    assert.equal(service.guard.state.breakers.get('ethereum')!.level, 'normal');
    assert.equal(service.view.transitions(1, 'ethereum')[0]!.mode, 'auto');
  });

  test('behavior: /api/events streams signals and transitions as SSE with the JSON contract', async () => {
    const { app, service } = await setup();
    const res = await app.request('/api/events');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    try {
      const first = await reader.read();
      text += decoder.decode(first.value);
      assert.match(text, /^: connected\n\n/);
      await feedUntil(
        service,
        0,
        () => service.guard.state.breakers.get('ethereum')?.level === 'reduce_only',
      );
      const expected = service.view.recentSignals(1000).length + service.view.transitions(1000).length;
      const events: Array<{ event: string; data: unknown }> = [];
      while (events.length < expected) {
        const { value, done } = await reader.read();
        assert.equal(done, false);
        text += decoder.decode(value, { stream: true });
        let end = text.indexOf('\n\n');
        while (end >= 0) {
          const frame = text.slice(0, end);
          text = text.slice(end + 2);
          const event = /^event: (.+)$/m.exec(frame)?.[1];
          const data = /^data: (.+)$/m.exec(frame)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
          end = text.indexOf('\n\n');
        }
      }
      const reorg = events.find(
        (e) => e.event === 'signal' && (e.data as { kind: string; scope: string }).scope === 'chain',
      );
      assert.ok(reorg);
      const data = reorg.data as Record<string, unknown>;
      assert.equal(data.kind, 'reorg');
      assert.equal(data.depth, 7);
      assert.equal(typeof (data.commonAncestor as { number: unknown }).number, 'number');
      const transition = events.find((e) => e.event === 'transition');
      assert.deepEqual(transition?.data, service.view.transitions(1)[0]);
      assert.deepEqual(new Set(events.map((e) => e.event)), new Set(['signal', 'transition']));
    } finally {
      await reader.cancel();
    }
  });

  test('behavior: /api/events sends keep-alive comments and unsubscribes when the client leaves', async () => {
    const service = await createTestService();
    let subscribers = 0;
    const view: ServiceView = {
      ...service.view,
      subscribe(listener) {
        subscribers += 1;
        const off = service.view.subscribe(listener);
        return () => {
          subscribers -= 1;
          off();
        };
      },
    };
    const { app } = await setup({ view, limits: { rateLimit: false, sseKeepAliveMs: 5 } }, service);
    const res = await app.request('/api/events');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    try {
      while (!text.includes(': keep-alive\n\n')) text += decoder.decode((await reader.read()).value);
      assert.equal(subscribers, 1);
    } finally {
      await reader.cancel();
    }
    while (subscribers > 0) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(subscribers, 0);
  });

  test('behavior: every route of /openapi.json answered in these tests, each answer checked against it', async () => {
    const { app } = await setup();
    const document = (await (await app.request('/openapi.json')).json()) as OpenApiDocument;
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // POST /api/risk is checked by test/http/risk.test.ts.
    const unanswered = operations.filter(
      (operation) =>
        operation !== 'POST /api/risk' &&
        ![...checkedAnswers].some((answer) => answer.startsWith(`${operation} 200`)),
    );
    assert.deepEqual(unanswered, []);
    assert.ok(operations.length >= 15, operations.join(', '));
    for (const status of [400, 401, 403, 404, 413, 429, 500]) {
      assert.ok(
        [...checkedAnswers].some((answer) => answer.endsWith(` ${status}`)),
        `no ${status} answer checked`,
      );
    }
  });
});
