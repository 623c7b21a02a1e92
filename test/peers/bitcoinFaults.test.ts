import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Observation } from '../../src/core/observation.ts';
import { createBitcoinSource } from '../../src/sources/bitcoin/createBitcoinSource.ts';
import { waitFor } from './litecoind.ts';

/** Answers of a misbehaving Bitcoin RPC server, by name: status and body. */
const answers: Record<string, (method: string) => { status: number; body: string; delayMs?: number }> = {
  'not JSON': () => ({ status: 200, body: '<html>oops</html>' }),
  'JSON array': () => ({ status: 200, body: '[1,2,3]' }),
  'wrong type': () => ({ status: 200, body: '{"result": 42, "error": null, "id": 1}' }),
  'short hash': () => ({ status: 200, body: '{"result": "abc", "error": null, "id": 1}' }),
  'rpc error': () => ({
    status: 500,
    body: '{"result": null, "error": {"code": -28, "message": "Loading block index"}, "id": 1}',
  }),
  'http 401': () => ({ status: 401, body: '' }),
  'huge body': () => ({ status: 200, body: `{"result": "${'a'.repeat(2 * 1024 * 1024)}"}` }),
  slow: () => ({ status: 200, body: '{"result": null}', delayMs: 3_000 }),
  'bad header': (method) =>
    method === 'getbestblockhash'
      ? { status: 200, body: `{"result": "${'11'.repeat(32)}", "error": null}` }
      : { status: 200, body: '{"result": {"hash": "zz", "height": -1}, "error": null}' },
  'network info without subversion': (method) =>
    method === 'getnetworkinfo'
      ? { status: 200, body: '{"result": {"version": 250000}, "error": null, "id": 1}' }
      : {
          status: 500,
          body: '{"result": null, "error": {"code": -28, "message": "Loading block index"}, "id": 1}',
        },
  'lying header': (method) =>
    method === 'getbestblockhash'
      ? { status: 200, body: `{"result": "${'11'.repeat(32)}", "error": null}` }
      : method === 'getblockheader'
        ? {
            status: 200,
            body: lastParams.includes(false)
              ? `{"result": "${'00'.repeat(80)}", "error": null}`
              : `{"result": {"hash": "${'11'.repeat(32)}", "height": 7, "time": 0, "previousblockhash": "${'00'.repeat(32)}"}, "error": null}`,
          }
        : { status: 200, body: '{"result": {"subversion": "/Fake:1/"}, "error": null}' },
};
let lastParams: unknown[] = [];

const expectedCode: Record<string, string> = {
  'not JSON': 'invalid_response',
  'JSON array': 'invalid_response',
  'wrong type': 'invalid_response',
  'short hash': 'invalid_response',
  'rpc error': 'rpc_error',
  'http 401': 'http_status',
  'huge body': 'invalid_response',
  slow: 'timeout',
  'bad header': 'invalid_response',
  'lying header': 'integrity',
  'network info without subversion': 'invalid_response',
};

describe('bitcoin source against a misbehaving server', () => {
  let server: Server;
  let port = 0;
  let mode = 'not JSON';
  before(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => {
        text += c.toString();
      });
      req.on('end', () => {
        let method = '';
        try {
          const body = JSON.parse(text) as { method: string; params: unknown[] };
          method = body.method;
          lastParams = body.params;
        } catch {}
        const answer = answers[mode]!(method);
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(answer.body);
        }, answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  for (const name of Object.keys(answers)) {
    it(`error: ${name} becomes an error observation with code ${expectedCode[name]}`, async () => {
      mode = name;
      const observations: Observation[] = [];
      const source = createBitcoinSource({
        chain: 'btc',
        node: 'liar',
        url: `http://u:secret@127.0.0.1:${port}`,
        pollIntervalMs: 20,
        requestTimeoutMs: 500,
      });
      await source.start((o) => observations.push(o));
      const error = await waitFor('an error observation of the expected code', () =>
        observations.find((o) => o.type === 'error' && o.code === expectedCode[name]),
      );
      await source.stop();
      assert.ok(error.type === 'error');
      assert.equal(error.code, expectedCode[name]);
      assert.equal(error.message.includes('secret'), false);
      assert.equal(
        observations.some((o) => o.type === 'head'),
        false,
      );
    });
  }
});
