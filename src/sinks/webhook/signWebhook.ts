import { createHmac } from 'node:crypto';
import { toWebhookKey } from './toWebhookKey.ts';

export type SignWebhookParameters = {
  /** `whsec_…` secret, or a raw secret (see {@link toWebhookKey}). */
  secret: string;
  /** The `webhook-id` header: the transition's idempotency key. */
  id: string;
  /** The `webhook-timestamp` header: Unix seconds of this attempt. */
  timestampSeconds: number;
  /** The exact request body. */
  body: string;
};

/**
 * The Standard Webhooks signature of a request: `v1,` and the base64 HMAC-SHA256, keyed by the
 * secret's bytes, of `<id>.<timestamp>.<body>`. Sent as the `webhook-signature` header.
 *
 * @example
 * signWebhook({
 *   secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
 *   id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
 *   timestampSeconds: 1614265330,
 *   body: '{"test": 2432232314}',
 * }) // 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
 */
export function signWebhook(parameters: SignWebhookParameters): string {
  const { id, timestampSeconds, body } = parameters;
  const mac = createHmac('sha256', toWebhookKey(parameters.secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}
