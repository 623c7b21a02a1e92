import { createHmac } from 'node:crypto';

/**
 * The webhook signature: hex HMAC-SHA256, keyed by the shared secret, of `<timestamp>.<body>`,
 * where `timestamp` is the `X-Consensus-Guard-Timestamp` header (Unix seconds) and `body` the exact
 * bytes of the request body. Sent as `X-Consensus-Guard-Signature: sha256=<hex>`.
 *
 * @example
 * signWebhook('s3cret', 1700000000, '{"type":"breaker.transition"}') // 'sha256=…'
 */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}
