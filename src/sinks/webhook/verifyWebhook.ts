import { timingSafeEqual } from 'node:crypto';
import { signWebhook } from './signWebhook.ts';

export type VerifyWebhookParameters = {
  /** Request headers; names in any case (node's `req.headers` is fine). */
  headers: Record<string, string | readonly string[] | undefined>;
  /** The raw request body, exactly as received. */
  body: string;
  secret: string;
  /** Idempotency keys already accepted; a key found here is refused as `duplicate`, and an
   * accepted key is added. Keep it in durable storage in a real receiver. */
  seen: { has(key: string): boolean; add(key: string): unknown };
  /** Receiver's time, ms since the epoch. Default `Date.now()`. */
  nowMs?: number;
  /** Largest allowed distance between the timestamp header and `nowMs`, ms. Default 300000. */
  toleranceMs?: number;
};

export type VerifyWebhookReturnType =
  | { ok: true; idempotencyKey: string; timestampSeconds: number; body: unknown }
  | {
      ok: false;
      /**
       * - `missing_header`: a signature, timestamp or idempotency key header is absent or malformed;
       * - `stale_timestamp`: the timestamp is outside the tolerance window (a replayed capture);
       * - `bad_signature`: the signature does not match the timestamp and body;
       * - `key_mismatch`: the body names another idempotency key than the header;
       * - `duplicate`: this idempotency key was accepted before (a retry or a replay). Answer it
       *   with a 2xx without acting again, so that the sender stops retrying.
       */
      reason: 'missing_header' | 'stale_timestamp' | 'bad_signature' | 'key_mismatch' | 'duplicate';
      message: string;
    };

/**
 * Checks a consensus-guard webhook request (docs/service.md): the timestamp is within the
 * tolerance window, the HMAC-SHA256 signature of `<timestamp>.<body>` matches (compared in constant
 * time), the idempotency key agrees with the signed body, and the key was not accepted before.
 * Only a request that passes every check is accepted, and its key is then remembered in `seen`.
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
  const signature = header('x-consensus-guard-signature');
  const timestampText = header('x-consensus-guard-timestamp');
  const idempotencyKey = header('idempotency-key');
  if (signature === undefined || !/^sha256=[0-9a-f]{64}$/.test(signature)) {
    return refuse('missing_header', 'no valid X-Consensus-Guard-Signature header');
  }
  if (timestampText === undefined || !/^\d{1,12}$/.test(timestampText)) {
    return refuse('missing_header', 'no valid X-Consensus-Guard-Timestamp header');
  }
  if (idempotencyKey === undefined || idempotencyKey === '') {
    return refuse('missing_header', 'no Idempotency-Key header');
  }
  const timestampSeconds = Number(timestampText);
  const nowMs = parameters.nowMs ?? Date.now();
  const toleranceMs = parameters.toleranceMs ?? 300_000;
  if (Math.abs(nowMs - timestampSeconds * 1000) > toleranceMs) {
    return refuse('stale_timestamp', `timestamp ${timestampSeconds} is outside the ${toleranceMs} ms window`);
  }
  const expected = Buffer.from(signWebhook(parameters.secret, timestampSeconds, parameters.body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return refuse('bad_signature', 'the signature does not match the timestamp and body');
  }
  let body: unknown;
  try {
    body = JSON.parse(parameters.body);
  } catch {
    return refuse('bad_signature', 'the signed body is not JSON');
  }
  const bodyKey = (body as { idempotencyKey?: unknown } | null)?.idempotencyKey;
  if (bodyKey !== undefined && bodyKey !== idempotencyKey) {
    return refuse('key_mismatch', 'the Idempotency-Key header differs from the signed body');
  }
  if (parameters.seen.has(idempotencyKey)) {
    return refuse('duplicate', `idempotency key ${idempotencyKey} was already accepted`);
  }
  parameters.seen.add(idempotencyKey);
  return { ok: true, idempotencyKey, timestampSeconds, body };
}

function refuse(
  reason: Extract<VerifyWebhookReturnType, { ok: false }>['reason'],
  message: string,
): VerifyWebhookReturnType {
  return { ok: false, reason, message };
}
