import { timingSafeEqual } from 'node:crypto';
import { signWebhook } from './signWebhook.ts';

export type VerifyWebhookParameters = {
  /** Request headers; names in any case (node's `req.headers` is fine). */
  headers: Record<string, string | readonly string[] | undefined>;
  /** The raw request body, exactly as received. */
  body: string;
  /** The sink's secret: `whsec_…`, or a raw secret (see `toWebhookKey`). */
  secret: string;
  /** Idempotency keys (`webhook-id`s) already accepted; a key found here is refused as
   * `duplicate`, and an accepted key is added. Keep it in durable storage in a real receiver. */
  seen: { has(key: string): boolean; add(key: string): unknown };
  /** Receiver's time, ms since the epoch. Default `Date.now()`. */
  nowMs?: number;
  /** Largest allowed distance between `webhook-timestamp` and `nowMs`, ms. Default 300000. */
  toleranceMs?: number;
};

export type VerifyWebhookReturnType =
  | {
      ok: true;
      /** The `webhook-id`: the transition's idempotency key. */
      idempotencyKey: string;
      timestampSeconds: number;
      body: unknown;
    }
  | {
      ok: false;
      /**
       * - `missing_header`: `webhook-id`, `webhook-timestamp` or `webhook-signature` is absent or malformed;
       * - `stale_timestamp`: the timestamp is outside the tolerance window (a replayed capture);
       * - `bad_signature`: no `v1` signature matches the id, timestamp and body;
       * - `key_mismatch`: the signed body names another idempotency key than `webhook-id`;
       * - `duplicate`: this `webhook-id` was accepted before (a retry or a replay). Answer it
       *   with a 2xx without acting again, so that the sender stops retrying.
       */
      reason: 'missing_header' | 'stale_timestamp' | 'bad_signature' | 'key_mismatch' | 'duplicate';
      message: string;
    };

/**
 * Checks a consensus-guard webhook request as the Standard Webhooks specification says
 * (docs/service.md): `webhook-timestamp` is within the tolerance window, one of the space-separated
 * `v1,<base64>` entries of `webhook-signature` is the HMAC-SHA256 of `<webhook-id>.<timestamp>.<body>`
 * (compared in constant time), the body's `idempotencyKey` (generic shape) is the `webhook-id`, and
 * the id was not accepted before. Only a request that passes every check is accepted, and its id is
 * then remembered in `seen`. Requests it accepts are those the specification's libraries accept
 * (`new Webhook(secret).verify(body, headers)`), plus the key and duplicate checks.
 *
 * @example
 * const result = verifyWebhook({ headers: req.headers, body, secret, seen });
 * if (!result.ok && result.reason !== 'duplicate') res.writeHead(401);
 */
export function verifyWebhook(parameters: VerifyWebhookParameters): VerifyWebhookReturnType {
  const header = (name: string): string | undefined => {
    for (const [key, value] of Object.entries(parameters.headers)) {
      if (key.toLowerCase() !== name) continue;
      return typeof value === 'string' ? value : value?.[0];
    }
    return undefined;
  };
  const id = header('webhook-id');
  const timestampText = header('webhook-timestamp');
  const signatures = (header('webhook-signature') ?? '').split(' ').filter((s) => s.startsWith('v1,'));
  if (id === undefined || id === '') return refuse('missing_header', 'no webhook-id header');
  if (timestampText === undefined || !/^\d{1,12}$/.test(timestampText)) {
    return refuse('missing_header', 'no valid webhook-timestamp header');
  }
  if (signatures.length === 0)
    return refuse('missing_header', 'no v1 signature in a webhook-signature header');
  const timestampSeconds = Number(timestampText);
  const nowMs = parameters.nowMs ?? Date.now();
  const toleranceMs = parameters.toleranceMs ?? 300_000;
  if (Math.abs(nowMs - timestampSeconds * 1000) > toleranceMs) {
    return refuse('stale_timestamp', `timestamp ${timestampSeconds} is outside the ${toleranceMs} ms window`);
  }
  const expected = Buffer.from(
    signWebhook({ secret: parameters.secret, id, timestampSeconds, body: parameters.body }),
  );
  const matches = signatures.some((signature) => {
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) return refuse('bad_signature', 'no signature matches the id, timestamp and body');
  let body: unknown;
  try {
    body = JSON.parse(parameters.body);
  } catch {
    return refuse('bad_signature', 'the signed body is not JSON');
  }
  const bodyKey = (body as { idempotencyKey?: unknown } | null)?.idempotencyKey;
  if (bodyKey !== undefined && bodyKey !== id) {
    return refuse('key_mismatch', 'the webhook-id header differs from the signed body');
  }
  if (parameters.seen.has(id)) return refuse('duplicate', `webhook-id ${id} was already accepted`);
  parameters.seen.add(id);
  return { ok: true, idempotencyKey: id, timestampSeconds, body };
}

function refuse(
  reason: Extract<VerifyWebhookReturnType, { ok: false }>['reason'],
  message: string,
): VerifyWebhookReturnType {
  return { ok: false, reason, message };
}
