import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Observation } from '../../src/core/observation.ts';
import { createBeaconSource } from '../../src/sources/beacon/createBeaconSource.ts';
import { waitFor } from './litecoind.ts';

const ROOT = `0x${'ab'.repeat(32)}`;
const good: Record<string, unknown> = {
  '/eth/v1/node/version': { data: { version: 'Fake/v1' } },
  '/eth/v1/beacon/genesis': { data: { genesis_time: '1700000000' } },
  '/eth/v1/config/spec': { data: { SECONDS_PER_SLOT: '12' } },
  '/eth/v1/beacon/states/head/finality_checkpoints': {
    data: { current_justified: { epoch: '1', root: ROOT }, finalized: { epoch: '0', root: ROOT } },
  },
};

/** How the fake node answers `headers/head` (everything else answers well, except where noted). */
const modes: Record<string, { status: number; body: string; delayMs?: number; stream?: string }> = {
  'not JSON': { status: 200, body: 'nope' },
  'wrong shape': { status: 200, body: '{"data": {"root": 5}}' },
  'bad root': {
    status: 200,
    body: '{"data": {"root": "0x12", "header": {"message": {"slot": "1", "parent_root": "0x12"}}}}',
  },
  'slot not a string': {
    status: 200,
    body: `{"data": {"root": "${ROOT}", "header": {"message": {"slot": 1, "parent_root": "${ROOT}"}}}}`,
  },
  'HTTP 503': { status: 503, body: '' },
  'huge body': { status: 200, body: `{"data": "${'a'.repeat(2 << 20)}"}` },
  slow: { status: 200, body: '{}', delayMs: 2_000 },
  'garbage events': {
    status: 503,
    body: '',
    stream: 'event: head\ndata: {not json\n\nevent: head\ndata: {"slot": "x"}\n\n',
  },
  'bad checkpoint header': {
    status: 200,
    body: '{"data": {}}',
    stream: `event: finalized_checkpoint\ndata: {"block": "0x${'ef'.repeat(32)}", "epoch": "2", "state": "${ROOT}"}\n\n`,
  },
};
const expected: Record<string, string> = {
  'not JSON': 'invalid_response',
  'wrong shape': 'invalid_response',
  'bad root': 'invalid_response',
  'slot not a string': 'invalid_response',
  'HTTP 503': 'http_status',
  'huge body': 'invalid_response',
  slow: 'timeout',
  'garbage events': 'invalid_response',
  'bad checkpoint header': 'invalid_response',
};
/** Where the error must come from, when other requests of the mode fail too. */
const expectedIn: Record<string, string> = {
  'bad checkpoint header': `headers/0x${'ef'.repeat(8)}`,
};

describe('Beacon API source against a misbehaving server', () => {
  let server: Server;
  let port = 0;
  let mode = 'not JSON';
  before(async () => {
    server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const m = modes[mode]!;
      if (path === '/eth/v1/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(m.stream ?? ': nothing\n\n');
        return;
      }
      if (path in good && mode !== 'garbage events') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(good[path]));
        return;
      }
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(m.status, { 'content-type': 'application/json' });
        res.end(m.body);
      }, m.delayMs ?? 0);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  for (const name of Object.keys(modes)) {
    it(`error: ${name} becomes an error observation with code ${expected[name]}`, async () => {
      mode = name;
      const observations: Observation[] = [];
      const source = createBeaconSource({
        chain: 'eth',
        node: 'liar',
        url: `http://127.0.0.1:${port}`,
        pollIntervalMs: 50,
        requestTimeoutMs: 500,
      });
      await source.start((o) => observations.push(o));
      const error = await waitFor('an error observation', () =>
        observations.find(
          (o) =>
            o.type === 'error' && o.code === expected[name] && o.message.includes(expectedIn[name] ?? ''),
        ),
      );
      await source.stop();
      assert.ok(error.type === 'error');
      assert.equal(
        observations.some((o) => o.type === 'head'),
        false,
      );
    });
  }
});
