import { randomBytes } from 'node:crypto';
import { WebhookError } from './webhookError.ts';

/**
 * A new Standard Webhooks secret: `whsec_` and the base64 of `bytes` random bytes (default 32; the
 * specification asks for 24 to 64; another size is a `config` {@link WebhookError}). Give the same string to the sink (`secretEnv`) and to the
 * receiver, which verifies with `verifyWebhook` or the specification's library in its language.
 * From a shell: `echo "whsec_$(openssl rand -base64 32)"`.
 *
 * @example
 * createWebhookSecret() // 'whsec_3q2+7w…='
 */
export function createWebhookSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 24 || bytes > 64) {
    throw new WebhookError('config', `a webhook secret holds 24 to 64 bytes, not ${bytes}`);
  }
  return `whsec_${randomBytes(bytes).toString('base64')}`;
}
