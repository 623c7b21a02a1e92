import { WebhookError } from './webhookError.ts';

const PREFIX = 'whsec_';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The HMAC key of a webhook secret. A Standard Webhooks secret, `whsec_` followed by the standard
 * base64 of 24 to 64 random bytes, is those bytes (what the specification's libraries use: a
 * receiver passes the same string to `new Webhook(secret)`). A secret without the prefix is taken
 * as its UTF-8 bytes: configurations written before the Standard Webhooks scheme keep working, and
 * the libraries verify them with their raw-key option (`new Webhook(secret, { format: 'raw' })`).
 * Throws a {@link WebhookError} `config` for an empty secret or a `whsec_` secret that is not
 * base64 of 24 to 64 bytes; the message never holds the secret.
 *
 * @example
 * toWebhookKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw') // 24 bytes
 */
export function toWebhookKey(secret: string): Buffer {
  if (!secret.startsWith(PREFIX)) {
    if (secret === '') throw new WebhookError('config', 'webhook secret: empty');
    return Buffer.from(secret, 'utf8');
  }
  const encoded = secret.slice(PREFIX.length);
  if (!BASE64.test(encoded)) {
    throw new WebhookError(
      'config',
      'webhook secret: after whsec_ comes standard base64 (A-Z a-z 0-9 + / =)',
    );
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 24 || key.length > 64) {
    throw new WebhookError(
      'config',
      `webhook secret: a whsec_ secret holds 24 to 64 bytes, this one ${key.length}: make one with createWebhookSecret()`,
    );
  }
  return key;
}
