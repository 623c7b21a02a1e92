import { createServer, type Server } from 'node:http';
import { toWebhookKey } from './toWebhookKey.ts';
import { verifyWebhook } from './verifyWebhook.ts';

/**
 * A minimal receiver of consensus-guard webhooks (Standard Webhooks: `webhook-id`,
 * `webhook-timestamp`, `webhook-signature`). It verifies each request with `verifyWebhook` and
 * answers:
 * - 200 `{"status":"accepted"}` for a new transition (and hands it to `onAccepted`);
 * - 200 `{"status":"duplicate"}` for a correctly signed repeat of an accepted key: the guard
 *   delivers at least once, so a retry after a lost answer comes back; a 2xx stops its retries;
 * - 401 for a missing or bad signature, a stale timestamp or a body whose key is not the `webhook-id`;
 * - 413 for a body over 1 MiB.
 * A `whsec_` secret that is not base64 of 24 to 64 bytes throws a `WebhookError` `config` here.
 *
 * examples/webhookReceiver.ts runs one: `WEBHOOK_SECRET=s3cret node --import tsx
 * examples/webhookReceiver.ts` (port 8787, or `PORT`), then point a sink at `http://127.0.0.1:8787/`.
 */
export function createWebhookReceiver(options: {
  /** The sink's secret, `whsec_…` (or a raw secret, see `toWebhookKey`). */
  secret: string;
  onAccepted?: (body: unknown, idempotencyKey: string) => void;
  /** Remembered keys; use durable storage in a real receiver. */
  seen?: Set<string>;
  toleranceMs?: number;
}): Server {
  toWebhookKey(options.secret); // a malformed whsec_ secret throws here, not in a request
  const seen = options.seen ?? new Set<string>();
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 1 << 20) chunks.push(chunk);
    });
    req.on('end', () => {
      const answer = (status: number, body: Record<string, unknown>) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (size > 1 << 20) return answer(413, { error: 'body too large' });
      const verifyParameters: Parameters<typeof verifyWebhook>[0] = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        secret: options.secret,
        seen,
      };
      if (options.toleranceMs !== undefined) verifyParameters.toleranceMs = options.toleranceMs;
      const result = verifyWebhook(verifyParameters);
      if (result.ok) {
        options.onAccepted?.(result.body, result.idempotencyKey);
        return answer(200, { status: 'accepted' });
      }
      if (result.reason === 'duplicate') return answer(200, { status: 'duplicate' });
      return answer(401, { error: result.reason, message: result.message });
    });
  });
}
