import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createWebhookReceiver } from '../../src/sinks/webhook/createWebhookReceiver.ts';
import { createWebhookSecret } from '../../src/sinks/webhook/createWebhookSecret.ts';
import { listenOnLoopback } from '../support/listenOnLoopback.ts';
import { type StartServeReturnType, startServe } from '../support/startServe.ts';
import { waitFor } from '../support/waitFor.ts';

type LogEntry = { level: string; time: string; component: string; code: string; msg: string } & Record<
  string,
  unknown
>;

const TOKEN = 'logs-test-bearer-token-5a1d9c0e';
const NODE_PASSWORD = 'node-password-7f3b2e91';
/** The receiver's path holds a secret too, as Slack's do. */
const HOOK_PATH_SECRET = 'hookpathsecret0123456789abcdef';
const WEBHOOK_SECRET = createWebhookSecret();

/** The JSON lines of a run's stderr (the others are the command's own announcements). */
function toEntries(stderr: string): LogEntry[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogEntry);
}

describe('serve: the log', () => {
  let dir: string;
  let serve: StartServeReturnType;
  let receiver: ReturnType<typeof createServer>;
  let closeReceiver: () => void;
  let refusals = 0;
  let accepted = 0;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cg-logs-'));
    // The receiver answers 503 twice, then verifies signatures as a real one does.
    const verifying = createWebhookReceiver({ secret: WEBHOOK_SECRET, onAccepted: () => (accepted += 1) });
    receiver = createServer((req, res) => {
      if (refusals < 2) {
        refusals += 1;
        req.resume();
        res.writeHead(503).end('not yet');
        return;
      }
      verifying.emit('request', req, res);
    });
    const listening = await listenOnLoopback(receiver);
    closeReceiver = listening.destroySockets;
    serve = await startServe({
      configPath: join(dir, 'guard.yaml'),
      dataDir: join(dir, 'data'),
      tickMs: 100,
      // Port 9 (discard) refuses: the source logs that it cannot reach its node.
      config: `chains:
  devnet:
    preset: devnet
    nodes:
      - { name: gone, url: "http://guard:${NODE_PASSWORD}@127.0.0.1:9", pollIntervalMs: 50, requestTimeoutMs: 1000 }
sinks:
  - { name: ops, url: "http://127.0.0.1:${listening.port}/hooks/${HOOK_PATH_SECRET}", secretEnv: LOGS_TEST_WEBHOOK_SECRET, timeoutMs: 1000 }
`,
      env: { LOGS_TEST_WEBHOOK_SECRET: WEBHOOK_SECRET, LOGS_TEST_TOKEN: TOKEN },
      args: ['--token-env', 'LOGS_TEST_TOKEN', '--log-level', 'debug'],
    });
  });

  after(async () => {
    await serve?.stop('SIGKILL');
    closeReceiver?.();
    receiver?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('behavior: JSON lines of every component, each with its code, and no secret anywhere', async () => {
    await serve.get('/api/chains');
    const override = await fetch(`${serve.url}/api/breakers/devnet/override`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ level: 'halt', actor: 'carol', reason: 'maintenance' }),
    });
    assert.equal(override.status, 200);
    const refused = await fetch(`${serve.url}/api/breakers/devnet/resume`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-token-0123456789' },
      body: JSON.stringify({ actor: 'mallory', reason: 'no' }),
    });
    assert.equal(refused.status, 403);
    await waitFor('the webhook delivered after two refusals', () =>
      toEntries(serve.stderr()).some((e) => e.code === 'webhook_delivered') ? true : undefined,
    );
    const stopped = await serve.stop();
    assert.equal(stopped.code, 0, serve.stderr());
    assert.equal(refusals, 2);
    assert.ok(accepted >= 1);

    const entries = toEntries(serve.stderr());
    for (const entry of entries) {
      assert.equal(typeof entry.code, 'string', JSON.stringify(entry));
      assert.match(entry.code, /^[a-z]+(_[a-z]+)*$/, JSON.stringify(entry));
      assert.ok(['service', 'source', 'sink', 'http'].includes(entry.component), JSON.stringify(entry));
      assert.ok(['trace', 'debug', 'info', 'warn', 'error', 'fatal'].includes(entry.level));
      assert.ok(!Number.isNaN(Date.parse(entry.time)));
    }
    const find = (component: string, code: string) =>
      entries.find((e) => e.component === component && e.code === code);
    assert.ok(find('service', 'started'), 'service: started');
    assert.ok(find('service', 'replayed'), 'service: replayed');
    const failed = find('service', 'delivery_failed');
    assert.equal(failed?.level, 'warn');
    assert.equal(failed?.sink, 'ops');
    const unreachable = find('source', 'source_unreachable');
    assert.equal(unreachable?.level, 'warn');
    assert.equal(unreachable?.chain, 'devnet');
    assert.equal(unreachable?.node, 'gone');
    assert.equal(unreachable?.url, 'http://***@127.0.0.1:9');
    assert.ok(find('source', 'source_error'), 'source: source_error at debug');
    const delivered = find('sink', 'webhook_delivered');
    assert.equal(delivered?.sink, 'ops');
    assert.equal(delivered?.status, 200);
    assert.ok(find('http', 'command_audited')?.msg.includes('override devnet to halt by carol'));
    const requests = entries.filter((e) => e.component === 'http' && e.code === 'http_request');
    assert.ok(
      requests.some(
        (e) => e.method === 'POST' && e.path === '/api/breakers/devnet/override' && e.status === 200,
      ),
    );
    assert.ok(requests.some((e) => e.path === '/api/breakers/devnet/resume' && e.status === 403));

    const printed = `${serve.stderr()}\n${serve.stdout()}`;
    for (const secret of [TOKEN, NODE_PASSWORD, HOOK_PATH_SECRET, WEBHOOK_SECRET, WEBHOOK_SECRET.slice(6)])
      assert.equal(printed.includes(secret), false, `${secret} was printed`);
  });
});
