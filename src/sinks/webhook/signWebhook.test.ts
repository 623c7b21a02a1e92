import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { signWebhook } from './signWebhook.ts';

/** The example of the Standard Webhooks specification's test suite
 * (libraries/javascript/src/webhook.test.ts, "sign function works"). */
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestampSeconds: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('signWebhook', () => {
  it("default: the specification's example secret and payload give its signature exactly", () => {
    const { signature, ...parameters } = SPEC;
    assert.equal(signWebhook(parameters), signature);
  });

  it('behavior: the same as the reference library for a transition body', () => {
    const parameters = {
      secret: 'whsec_c2VjcmV0LW9mLXR3ZW50eS1mb3VyLWJ5dGVzISE=',
      id: '3f6c2a9e-5d1b-4c8e-9a07-2b4e6f1d8c53:ethereum:3:caution>halt',
      timestampSeconds: 1_700_000_000,
      body: '{"type":"breaker.transition","reason":"héllo → ✓"}',
    };
    const reference = new Webhook(parameters.secret).sign(
      parameters.id,
      new Date(parameters.timestampSeconds * 1000),
      parameters.body,
    );
    assert.equal(signWebhook(parameters), reference);
  });

  it('args: a secret without whsec_ is keyed by its UTF-8 bytes (value from openssl dgst -sha256 -hmac)', () => {
    assert.equal(
      signWebhook({
        secret: 's3cret',
        id: 'ethereum:1:normal>reduce_only',
        timestampSeconds: 1_700_000_000,
        body: '{"type":"breaker.transition"}',
      }),
      'v1,f4/c/PU29tOEwqeHrKPJB5MgafdM/zdcOsx7re4mbYg=',
    );
  });
});
