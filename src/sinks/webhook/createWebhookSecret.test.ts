import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWebhookSecret } from './createWebhookSecret.ts';
import { WebhookError } from './webhookError.ts';

describe('createWebhookSecret', () => {
  it('default: whsec_ and the base64 of 32 bytes', () => {
    const secret = createWebhookSecret();
    assert.match(secret, /^whsec_/);
    assert.equal(Buffer.from(secret.slice('whsec_'.length), 'base64').length, 32);
  });

  for (const bytes of [23, 65, 32.5]) {
    it(`error: ${bytes} bytes is a config WebhookError`, () => {
      assert.throws(
        () => createWebhookSecret(bytes),
        (error) =>
          error instanceof WebhookError &&
          error.code === 'config' &&
          error.message === `a webhook secret holds 24 to 64 bytes, not ${bytes}`,
      );
    });
  }
});
