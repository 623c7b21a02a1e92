import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Observation } from '../../src/core/observation.ts';
import { createBeaconSource } from '../../src/sources/beacon/createBeaconSource.ts';
import { toBitcoinHeader } from '../../src/sources/bitcoin/bitcoinHeader.ts';
import { createBitcoinSource } from '../../src/sources/bitcoin/createBitcoinSource.ts';
import { SOURCE_ERROR_CODES, type Source } from '../../src/sources/source.ts';

/** A bad answer: raw text (usually not JSON, or arbitrary JSON text) or a JSON value to serve. */
type Answer = { raw: string } | { json: unknown };

const toText = (answer: Answer) => ('raw' in answer ? answer.raw : JSON.stringify(answer.json));
const isJsonText = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

const rawAnswers: fc.Arbitrary<Answer> = fc.oneof(
  fc.string().map((raw) => ({ raw })),
  fc.json().map((raw) => ({ raw })),
  fc.jsonValue().map((json) => ({ json })),
);

type Server_ = { server: Server; url: string; served: Map<string, number> };

async function listen(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const served = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}`, served } satisfies Server_;
}

async function close({ server }: Server_): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * Runs a source until `done` holds for what it emitted (or the server state), then stops it.
 * Rejects, with what was emitted, when that takes longer than `timeoutMs` (a generous bound
 * against hangs: the sources poll every few tens of milliseconds here).
 */
async function runUntil(
  source: Source,
  done: (observations: Observation[]) => boolean,
  timeoutMs = 10_000,
): Promise<Observation[]> {
  const observations: Observation[] = [];
  await source.start((o) => observations.push(o));
  const deadline = performance.now() + timeoutMs;
  try {
    while (!done(observations)) {
      if (performance.now() > deadline) {
        throw new Error(
          `source never settled; emitted: ${observations.map((o) => (o.type === 'error' ? `error ${o.code} ${o.message}` : o.type)).join('; ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    await source.stop();
  }
  return observations;
}

function assertErrorsWellFormed(observations: Observation[]): void {
  for (const o of observations) {
    if (o.type !== 'error') continue;
    assert.ok((SOURCE_ERROR_CODES as readonly string[]).includes(o.code), o.code);
    assert.equal(typeof o.message, 'string');
  }
}

/** Catches what escapes a source: rejections nobody handles and uncaught exceptions. */
function captureEscapes() {
  const escaped: unknown[] = [];
  const onEscape = (error: unknown) => escaped.push(error);
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
  return {
    escaped,
    release() {
      process.off('unhandledRejection', onEscape);
      process.off('uncaughtException', onEscape);
    },
  };
}

describe('Bitcoin source: fuzzed JSON-RPC answers', () => {
  // Block 225431 of Bitcoin mainnet (shared data: the 2013-03 fork window).
  const rawHeader =
    '0200000023c080f42d110bc73a9498520c80448b6f5533ddfc65b1505c01000000000000c859fdead5df264978a0ae68fef2fc28d274f9acb5c15c98ea31d74ed2c5460bcb5e3e514bd7031a8be4f564';
  const hash = '00000000000002d2012cc1b3fc0cceb8c156f0e698db40bf4413a210eca056c3';
  const parent = '000000000000015c50b165fcdd33556f8b44800c5298943ac70b112df480c023';
  const time = toBitcoinHeader(rawHeader)?.timestamp ?? 0;
  const verbose = { hash, height: 225431, time, previousblockhash: parent, confirmations: 1 };
  const good: Record<string, unknown> = {
    getnetworkinfo: { subversion: '/Satoshi:0.8.0/' },
    getbestblockhash: hash,
    'getblockheader:verbose': verbose,
    'getblockheader:raw': rawHeader,
    getchaintips: [{ height: 225431, hash, branchlen: 0, status: 'active' }],
  };
  const targets = Object.keys(good);

  /** The real verbose header with one field the source checks replaced or dropped. */
  const mutatedHeader: fc.Arbitrary<Answer> = fc
    .record({
      field: fc.constantFrom('hash', 'height', 'time', 'previousblockhash'),
      value: fc.oneof(fc.jsonValue(), fc.stringMatching(/^[0-9a-f]{64}$/), fc.integer()),
      drop: fc.boolean(),
    })
    .map(({ field, value, drop }) => {
      const header: Record<string, unknown> = { ...verbose };
      if (drop) delete header[field];
      else header[field] = value;
      return { json: { result: header, error: null, id: 1 } };
    })
    .filter(({ json }) => {
      const header = (json as { result: Record<string, unknown> }).result;
      // The height is not covered by the header hash: another valid height cannot be caught.
      return !(
        Number.isSafeInteger(header.height) &&
        (header.height as number) >= 0 &&
        header.height !== 225431
      );
    });

  const answers: fc.Arbitrary<Answer> = fc.oneof(
    rawAnswers,
    fc.jsonValue().map((result) => ({ json: { result, error: null, id: 1 } })),
    fc.jsonValue().map((error) => ({ json: { result: null, error, id: 1 } })),
    mutatedHeader,
  );

  let fake: Server_;
  let target = 'getbestblockhash';
  let answer: Answer = { raw: '' };
  before(async () => {
    fake = await listen((_req, res, text) => {
      let key = '';
      try {
        const request = JSON.parse(text) as { method: string; params: unknown[] };
        key =
          request.method === 'getblockheader'
            ? `getblockheader:${request.params[1] === false ? 'raw' : 'verbose'}`
            : request.method;
      } catch {}
      fake.served.set(key, (fake.served.get(key) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        key === target ? toText(answer) : JSON.stringify({ result: good[key] ?? null, error: null, id: 1 }),
      );
    });
  });
  after(() => close(fake));

  /** Whether the answer, as the target's answer, carries what the source needs. */
  function isUsable(key: string, a: Answer): boolean {
    const text = toText(a);
    if (!isJsonText(text)) return false;
    const body = JSON.parse(text) as unknown;
    if (body === null || typeof body !== 'object' || Array.isArray(body) || !('result' in body)) return false;
    const { result, error } = body as { result: unknown; error?: unknown };
    if (error !== null && error !== undefined) return false;
    if (key === 'getchaintips') return Array.isArray(result);
    return JSON.stringify(result) === JSON.stringify(good[key]);
  }

  it('behavior: no exception escapes, no head from a bad answer, every bad answer is an error observation', async () => {
    const escapes = captureEscapes();
    try {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...targets), answers, async (key, a) => {
          target = key;
          answer = a;
          fake.served.clear();
          const usable = isUsable(key, a);
          const source = createBitcoinSource({
            chain: 'btc',
            node: 'fuzzed',
            url: fake.url,
            pollIntervalMs: 10,
            requestTimeoutMs: 2_000,
            tipsEveryPolls: 1,
          });
          const observations = await runUntil(source, (os) =>
            usable ? (fake.served.get(key) ?? 0) >= 2 : os.some((o) => o.type === 'error'),
          );
          assertErrorsWellFormed(observations);
          const heads = observations.flatMap((o) => (o.type === 'head' ? [o] : []));
          // A node whose client cannot be learned is still watched; tips are asked after the head.
          const headsMayFollow = key === 'getnetworkinfo' || key === 'getchaintips';
          if (headsMayFollow || usable) {
            for (const head of heads) assert.equal(head.hash, hash);
          } else {
            assert.deepEqual(heads, [], 'no head from a bad answer');
          }
          assert.equal(
            observations.some((o) => o.type === 'block'),
            false,
          );
          if (!usable) {
            const error = observations.find((o) => o.type === 'error');
            assert.ok(error?.type === 'error');
            const text = toText(a);
            const body = isJsonText(text) ? (JSON.parse(text) as { error?: unknown } | null) : undefined;
            const rpcError =
              body !== null &&
              typeof body === 'object' &&
              !Array.isArray(body) &&
              body.error !== null &&
              body.error !== undefined;
            if (!isJsonText(text)) assert.equal(error.code, 'invalid_response');
            else if (rpcError) assert.equal(error.code, 'rpc_error');
            else assert.ok(['invalid_response', 'integrity'].includes(error.code), error.code);
          }
        }),
        { numRuns: 1000 },
      );
      assert.deepEqual(escapes.escaped, []);
    } finally {
      escapes.release();
    }
  });
});

describe('Beacon source: fuzzed REST answers and event data', () => {
  const root = `0x${'ab'.repeat(32)}`;
  const parentRoot = `0x${'cd'.repeat(32)}`;
  const checkpointRoot = `0x${'ef'.repeat(32)}`;
  const header = { data: { root, header: { message: { slot: '100', parent_root: parentRoot } } } };
  const checkpointHeader = {
    data: { root: checkpointRoot, header: { message: { slot: '64', parent_root: parentRoot } } },
  };
  const good: Record<string, unknown> = {
    '/eth/v1/node/version': { data: { version: 'Fake/v1.0.0' } },
    '/eth/v1/beacon/genesis': { data: { genesis_time: '1700000000' } },
    '/eth/v1/config/spec': { data: { SECONDS_PER_SLOT: '12' } },
    '/eth/v1/beacon/headers/head': header,
    [`/eth/v1/beacon/headers/${root}`]: header,
    [`/eth/v1/beacon/headers/${checkpointRoot}`]: checkpointHeader,
    '/eth/v1/beacon/states/head/finality_checkpoints': {
      data: {
        current_justified: { epoch: '3', root: checkpointRoot },
        finalized: { epoch: '2', root: checkpointRoot },
      },
    },
  };
  const restTargets = [
    '/eth/v1/node/version',
    '/eth/v1/beacon/genesis',
    '/eth/v1/config/spec',
    '/eth/v1/beacon/headers/head',
    '/eth/v1/beacon/states/head/finality_checkpoints',
    `/eth/v1/beacon/headers/${root}`,
    `/eth/v1/beacon/headers/${checkpointRoot}`,
  ];
  const eventTargets = ['head', 'block', 'chain_reorg', 'finalized_checkpoint'];

  type Case = { kind: 'rest'; path: string; answer: Answer } | { kind: 'event'; event: string; data: string };
  const cases: fc.Arbitrary<Case> = fc.oneof(
    fc.record({
      kind: fc.constant('rest' as const),
      path: fc.constantFrom(...restTargets),
      answer: fc.oneof(
        rawAnswers,
        fc.jsonValue().map((data) => ({ json: { data } })),
      ),
    }),
    fc.record({
      kind: fc.constant('event' as const),
      event: fc.constantFrom(...eventTargets),
      // One `data:` line: any text without a line break.
      data: fc
        .oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((value) => JSON.stringify(value)),
        )
        .map((text) => text.replace(/[\r\n]/g, ' ')),
    }),
  );

  let fake: Server_;
  let current: Case = { kind: 'event', event: 'head', data: '' };
  before(async () => {
    fake = await listen((req, res) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      fake.served.set(path, (fake.served.get(path) ?? 0) + 1);
      if (path === '/eth/v1/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(
          current.kind === 'event' ? `event: ${current.event}\ndata: ${current.data}\n\n` : ': quiet\n\n',
        );
        return;
      }
      if (current.kind === 'rest' && path === current.path) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(toText(current.answer));
        return;
      }
      // While an event is fuzzed, the REST head is refused so that no head comes from it.
      if (current.kind === 'event' && path === '/eth/v1/beacon/headers/head') {
        res.writeHead(503);
        res.end();
        return;
      }
      const body = good[path];
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { message: 'not found' }));
    });
  });
  after(() => close(fake));

  it('behavior: no exception escapes, no head from a bad answer, every bad answer is an error observation', async () => {
    const escapes = captureEscapes();
    try {
      await fc.assert(
        fc.asyncProperty(cases, async (c) => {
          current = c;
          fake.served.clear();
          const where =
            c.kind === 'event'
              ? `${c.event} event from`
              : c.path.startsWith('/eth/v1/beacon/headers/0x')
                ? `headers/0x${c.path.slice(-64, -48)}`
                : `${c.path.replace('/eth/v1/', '').replace('beacon/', '').replace('states/head/', '')} from`;
          const source = createBeaconSource({
            chain: 'eth',
            node: 'fuzzed',
            url: fake.url,
            pollIntervalMs: 10,
            requestTimeoutMs: 2_000,
          });
          const isBadAnswerError = (o: Observation) => o.type === 'error' && o.message.includes(where);
          const observations = await runUntil(source, (os) => os.some(isBadAnswerError));
          assertErrorsWellFormed(observations);
          const error = observations.find(isBadAnswerError);
          assert.ok(error?.type === 'error');
          assert.equal(error.code, 'invalid_response');
          const heads = observations.flatMap((o) => (o.type === 'head' ? [o] : []));
          // The head comes from `headers/head`; the checkpoints and their blocks are asked after it.
          if (
            c.kind === 'rest' &&
            (c.path.endsWith('finality_checkpoints') || c.path.endsWith(checkpointRoot))
          ) {
            for (const head of heads) assert.equal(head.hash, root.slice(2));
          } else {
            assert.deepEqual(heads, [], 'no head from a bad answer');
          }
          assert.equal(
            observations.some((o) => o.type === 'checkpoint' && o.hash !== checkpointRoot.slice(2)),
            false,
          );
        }),
        { numRuns: 1000 },
      );
      assert.deepEqual(escapes.escaped, []);
    } finally {
      escapes.release();
    }
  });
});
