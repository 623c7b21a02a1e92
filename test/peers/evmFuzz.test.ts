import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { toHash } from '../../src/core/observation.ts';
import { createEvmSource } from '../../src/sources/evm/createEvmSource.ts';
import { parseRpcBlockHeader } from '../../src/sources/evm/parseRpcBlockHeader.ts';
import { toRpcResult } from '../../src/sources/evm/toRpcResult.ts';
import { SOURCE_ERROR_CODES, SourceError } from '../../src/sources/source.ts';
import { answerJson, type FakeRpcServer, startFakeRpcServer } from './fakeRpcServer.ts';
import { NODE_HEADERS } from './nodeHeaders.ts';
import { observe } from './observe.ts';
import { isSameHeader } from './sameHeader.ts';

const goodBlock: Record<string, unknown> = { ...NODE_HEADERS.anvil, transactions: [], uncles: [] };
const fields = Object.keys(goodBlock);

const hexish = fc.oneof(
  fc.stringMatching(/^0x[0-9a-fA-F]{0,80}$/),
  fc.stringMatching(/^0x[0-9a-zA-Z]{0,70}$/),
  fc.stringMatching(/^[0-9a-f]{64}$/),
);

/** A real block with one field replaced by something else, or dropped. */
const mutatedBlock = fc
  .record({
    field: fc.constantFrom(...fields),
    value: fc.oneof(fc.jsonValue(), hexish),
    drop: fc.boolean(),
  })
  .map(({ field, value, drop }) => {
    const block = { ...goodBlock };
    if (drop) delete block[field];
    else block[field] = value;
    return block;
  });

type Answer = { raw: string } | { envelope: unknown };

/** The answer carries the real header, up to hex case and leading zeros of quantities. */
function carriesGoodHeader(answer: Answer): boolean {
  if (!('envelope' in answer)) return false;
  const result = (answer.envelope as { result?: unknown } | null)?.result;
  return isSameHeader(result, NODE_HEADERS.anvil);
}

/** Malformed JSON-RPC answers: raw non-JSON, arbitrary JSON, bad results, bad error objects, bad blocks. */
const answers: fc.Arbitrary<Answer> = fc.oneof(
  fc.string().map((raw) => ({ raw })),
  fc.json().map((raw) => ({ raw })),
  fc.jsonValue().map((result) => ({ envelope: { jsonrpc: '2.0', id: 'ID', result } })),
  fc.jsonValue().map((error) => ({ envelope: { jsonrpc: '2.0', id: 'ID', error } })),
  fc.jsonValue().map((envelope) => ({ envelope })),
  mutatedBlock.map((result) => ({ envelope: { jsonrpc: '2.0', id: 'ID', result } })),
);

describe('EVM source: fuzzed node answers', () => {
  it('behavior: answer validation throws nothing but SourceError, on any JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), mutatedBlock), (value) => {
        try {
          const result = toRpcResult(value, {
            operation: 'eth_getBlockByNumber',
            url: 'http://fuzz/',
            id: 1,
          });
          parseRpcBlockHeader(result);
        } catch (error) {
          assert.ok(error instanceof SourceError, String(error));
          assert.ok(SOURCE_ERROR_CODES.includes(error.code));
        }
        const parsed = parseRpcBlockHeader(value);
        assert.equal(typeof parsed.ok, 'boolean');
      }),
      { numRuns: 2_000 },
    );
  });

  describe('over HTTP', () => {
    let fake: FakeRpcServer;
    let answer: Answer = { raw: '' };
    const escaped: unknown[] = [];
    const onEscape = (error: unknown) => escaped.push(error);
    before(async () => {
      process.on('uncaughtException', onEscape);
      process.on('unhandledRejection', onEscape);
      fake = await startFakeRpcServer((request, response) => {
        if (request.method === 'web3_clientVersion') {
          answerJson(response, { jsonrpc: '2.0', id: request.id, result: 'fuzz/1.0' });
        } else if (request.method === 'eth_getBlockByNumber' && request.params[0] === 'latest') {
          if ('raw' in answer) answerJson(response, answer.raw);
          else
            answerJson(
              response,
              JSON.stringify(answer.envelope).replaceAll('"ID"', JSON.stringify(request.id)),
            );
        } else {
          answerJson(response, { jsonrpc: '2.0', id: request.id, result: null });
        }
      });
    });
    after(async () => {
      process.off('uncaughtException', onEscape);
      process.off('unhandledRejection', onEscape);
      await fake?.close();
    });

    it('behavior: every malformed answer becomes an error observation; only a header that hashes right becomes a head', async () => {
      await fc.assert(
        fc.asyncProperty(answers, async (next) => {
          answer = next;
          const observed = await observe(
            createEvmSource({
              chain: 'fuzz',
              node: 'fake',
              url: fake.url,
              pollIntervalMs: 1_000,
              requestTimeoutMs: 2_000,
            }),
          );
          try {
            const outcome = await observed.waitFor((o) => o.type === 'head' || o.type === 'error');
            if (outcome.type === 'head') {
              assert.equal(outcome.hash, toHash(NODE_HEADERS.anvil.hash));
              assert.ok(carriesGoodHeader(next), 'a head only from the real header');
            } else if (outcome.type === 'error') {
              assert.equal(carriesGoodHeader(next), false, outcome.message);
              assert.ok((SOURCE_ERROR_CODES as readonly string[]).includes(outcome.code), outcome.code);
              assert.ok(outcome.message.length > 0);
            }
          } finally {
            await observed.stop();
          }
          assert.deepEqual(escaped, []);
        }),
        { numRuns: 150 },
      );
    });
  });
});
