import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpRequestError, ResponseBodyTooLargeError, SocketClosedError, TimeoutError } from 'viem';
import { SourceError } from '../source.ts';
import { toSourceError } from './toSourceError.ts';

const at = { operation: 'eth_blockNumber', url: 'http://127.0.0.1:8545/', latencyMs: 12 };
const refused = Object.assign(new TypeError('fetch failed'), {
  cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
});

describe('toSourceError', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['a viem timeout', new TimeoutError({ body: {}, url: at.url }), 'timeout', /no answer in time/],
    [
      'a body over the limit',
      new ResponseBodyTooLargeError({ maxSize: 1, size: 2 }),
      'invalid_response',
      /too large/,
    ],
    ['an HTTP status', new HttpRequestError({ url: at.url, status: 429 }), 'http_status', /HTTP status 429/],
    [
      'a body that is not JSON',
      new HttpRequestError({ url: at.url, cause: new SyntaxError('Unexpected token <') }),
      'invalid_response',
      /not JSON/,
    ],
    [
      'a refused connection',
      new HttpRequestError({ url: at.url, cause: refused }),
      'unreachable',
      /ECONNREFUSED/,
    ],
    [
      'a closed socket',
      new SocketClosedError({ url: 'ws://127.0.0.1:8546' }),
      'unreachable',
      /socket closed/,
    ],
    ['anything else', 'boom', 'unreachable', /failed \(string\)/],
  ];
  for (const [name, error, code, message] of cases) {
    it(`args: ${name} → ${code}`, () => {
      const sourceError = toSourceError(error, at);
      assert.equal(sourceError.code, code);
      assert.match(sourceError.message, message);
      assert.ok(sourceError.message.startsWith(`eth_blockNumber to ${at.url}`));
      assert.equal(sourceError.cause, error);
      assert.equal(sourceError.latencyMs, 12);
    });
  }

  it('behavior: a SourceError passes through unchanged', () => {
    const original = new SourceError({ code: 'integrity', shortMessage: 'bad header' });
    assert.equal(toSourceError(original, at), original);
  });

  it('behavior: walk() reaches the root cause', () => {
    const sourceError = toSourceError(new HttpRequestError({ url: at.url, cause: refused }), at);
    assert.equal((sourceError.walk() as { code?: string }).code, 'ECONNREFUSED');
    assert.equal(
      sourceError.walk((e) => e instanceof TypeError),
      refused,
    );
  });
});
