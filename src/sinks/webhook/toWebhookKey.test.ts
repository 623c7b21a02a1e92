import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toWebhookKey } from './toWebhookKey.ts';
import { WebhookError } from './webhookError.ts';

describe('toWebhookKey', () => {
  const cases: Array<[string, string, string | RegExp]> = [
    [
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      '24 bytes of base64',
      '31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0',
    ],
    [`whsec_${Buffer.alloc(64, 7).toString('base64')}`, '64 bytes', '07'.repeat(64)],
    ['s3cret', 'no prefix: the UTF-8 bytes', '733363726574'],
    ['whsec_c2hvcnQ=', 'fewer than 24 bytes', /holds 24 to 64 bytes, this one 5/],
    [`whsec_${Buffer.alloc(65).toString('base64')}`, 'more than 64 bytes', /this one 65/],
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS_', 'base64url, not base64', /standard base64/],
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS', 'a cut string', /standard base64/],
    ['', 'empty', /empty/],
  ];
  for (const [secret, what, expected] of cases) {
    it(`${typeof expected === 'string' ? 'args' : 'error'}: ${what}`, () => {
      if (typeof expected === 'string') {
        assert.equal(toWebhookKey(secret).toString('hex'), expected);
        return;
      }
      assert.throws(
        () => toWebhookKey(secret),
        (error: Error) => {
          assert.ok(error instanceof WebhookError);
          assert.equal(error.code, 'config');
          assert.match(error.message, expected);
          if (secret.length > 6) assert.equal(error.message.includes(secret.slice(6)), false);
          return true;
        },
      );
    });
  }
});
