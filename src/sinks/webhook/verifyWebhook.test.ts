import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { verifyWebhook } from './verifyWebhook.ts';

/** The example of the Standard Webhooks specification's test suite. */
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  headers: {
    'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    'webhook-timestamp': '1614265330',
    'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  },
  body: '{"test": 2432232314}',
  nowMs: 1614265330_000,
};

const KEY = '3f6c2a9e-5d1b-4c8e-9a07-2b4e6f1d8c53:ethereum:3:caution>halt';
const BODY = JSON.stringify({ type: 'breaker.transition', idempotencyKey: KEY });
const AT_MS = 1_700_000_000_000;

/** A request signed by the reference library. */
function signed(id: string, body: string, secret = SPEC.secret) {
  const signature = new Webhook(secret).sign(id, new Date(AT_MS), body);
  return { 'webhook-id': id, 'webhook-timestamp': String(AT_MS / 1000), 'webhook-signature': signature };
}

describe('verifyWebhook', () => {
  it("default: accepts the specification's example and remembers its id", () => {
    const seen = new Set<string>();
    const result = verifyWebhook({ ...SPEC, seen });
    assert.deepEqual(result, {
      ok: true,
      idempotencyKey: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestampSeconds: 1614265330,
      body: { test: 2432232314 },
    });
    assert.deepEqual([...seen], ['msg_p5jXN8AQM9LWM0D4loKWxJek']);
    assert.equal(verifyWebhook({ ...SPEC, seen }).ok, false);
  });

  it('behavior: a request signed by the reference library, header names in any case', () => {
    const headers = signed(KEY, BODY);
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    const result = verifyWebhook({
      headers: upper,
      body: BODY,
      secret: SPEC.secret,
      seen: new Set(),
      nowMs: AT_MS,
    });
    assert.equal(result.ok && result.idempotencyKey, KEY);
  });

  it('behavior: several signatures (a secret being rotated): one match is enough, v1a and others ignored', () => {
    const headers = signed(KEY, BODY);
    const other = signed(KEY, BODY, 'whsec_c2VjcmV0LW9mLXR3ZW50eS1mb3VyLWJ5dGVzISE=')['webhook-signature'];
    const list = `v1a,aGVsbG8= ${other} ${headers['webhook-signature']}`;
    const parameters = { body: BODY, secret: SPEC.secret, seen: new Set<string>(), nowMs: AT_MS };
    assert.equal(
      verifyWebhook({ ...parameters, headers: { ...headers, 'webhook-signature': list } }).ok,
      true,
    );
    const wrong = verifyWebhook({ ...parameters, headers: { ...headers, 'webhook-signature': other } });
    assert.equal(!wrong.ok && wrong.reason, 'bad_signature');
  });

  const refusals: Array<[string, Record<string, string | undefined>, string, number, string]> = [
    ['no webhook-id', { 'webhook-id': undefined }, BODY, AT_MS, 'missing_header'],
    [
      'a timestamp that is not Unix seconds',
      { 'webhook-timestamp': '1700000000.5' },
      BODY,
      AT_MS,
      'missing_header',
    ],
    ['no v1 signature', { 'webhook-signature': 'v1a,aGVsbG8=' }, BODY, AT_MS, 'missing_header'],
    ['301 s late', {}, BODY, AT_MS + 301_000, 'stale_timestamp'],
    ['301 s early', {}, BODY, AT_MS - 301_000, 'stale_timestamp'],
    ['a changed body', {}, BODY.replace('halt', 'norm'), AT_MS, 'bad_signature'],
    [
      'another id, same signature',
      { 'webhook-id': 'x:ethereum:9:normal>halt' },
      BODY,
      AT_MS,
      'bad_signature',
    ],
  ];
  for (const [what, change, body, nowMs, reason] of refusals) {
    it(`error: ${what} is refused with ${reason}`, () => {
      const headers = { ...signed(KEY, BODY), ...change };
      const seen = new Set<string>();
      const result = verifyWebhook({ headers, body, secret: SPEC.secret, seen, nowMs });
      assert.equal(!result.ok && result.reason, reason);
      assert.equal(seen.size, 0);
    });
  }

  it('error: a correctly signed body that names another key than webhook-id is refused with key_mismatch', () => {
    const headers = signed('other-id', BODY);
    const result = verifyWebhook({ headers, body: BODY, secret: SPEC.secret, seen: new Set(), nowMs: AT_MS });
    assert.equal(!result.ok && result.reason, 'key_mismatch');
  });
});
