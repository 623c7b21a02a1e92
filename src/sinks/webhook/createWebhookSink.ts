import type { Transition } from '../../breaker/levels.ts';
import { toRedactedUrl } from '../../config/toRedactedUrl.ts';
import { type Logger, silentLogger } from '../../log/createLogger.ts';
import { type Clock, systemClock } from '../../sources/source.ts';
import type { Sink } from '../sink.ts';
import { signWebhook } from './signWebhook.ts';
import { toWebhookBody, type WebhookContext, type WebhookShape } from './toWebhookBody.ts';
import { toWebhookKey } from './toWebhookKey.ts';
import { WebhookError } from './webhookError.ts';

export type CreateWebhookSinkParameters = {
  /** Sink name, unique in the service (the outbox key with the idempotency key). */
  name: string;
  /**
   * Receiver URL, http(s). May hold a secret in its path (Slack puts one there): only its origin is
   * ever printed. A user name or password in it is refused: fetch does not send them.
   */
  url: string;
  /**
   * Shared secret of the signature: `whsec_` and the base64 of 24 to 64 bytes (Standard Webhooks,
   * {@link createWebhookSecret}); a secret without the prefix is used as its UTF-8 bytes. Without
   * one no `webhook-signature` header is sent (Slack and PagerDuty check no signature).
   */
  secret?: string;
  /** Body shape. Default `generic`. */
  shape?: WebhookShape;
  /** PagerDuty integration key (`pagerduty` shape). */
  routingKey?: string;
  /** Time allowed for the receiver's answer, ms. Default 10000. */
  timeoutMs?: number;
  /** The breaker's context (its chains); default: the breaker's name as its only chain. */
  context?: (transition: Transition) => WebhookContext;
  clock?: Clock;
  /** `fetch` to use (tests); default the global one. */
  fetch?: typeof fetch;
  /** Where each delivery is logged (the receiver's origin only, never its path or the secret);
   * default nowhere. A failure is thrown to the outbox, which logs and retries it. */
  logger?: Logger;
};

/**
 * A webhook {@link Sink}: POSTs each transition as JSON (see {@link toWebhookBody}) with the
 * Standard Webhooks headers
 * - `webhook-id`: the transition's idempotency key, the same at every attempt;
 * - `webhook-timestamp`: Unix seconds of this attempt;
 * - `webhook-signature`: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` ({@link signWebhook}),
 *   only with a secret.
 * A 2xx answer is a delivery; anything else, a timeout or a network failure rejects with a
 * {@link WebhookError} and the outbox retries with backoff. A URL that is not http(s), or that
 * carries a user name or password, or a malformed `whsec_` secret, throws a {@link WebhookError}
 * `config` here, at construction.
 *
 * @example
 * const sink = createWebhookSink({ name: 'ops', url: 'https://ops.example/hooks/guard', secret });
 */
export function createWebhookSink(parameters: CreateWebhookSinkParameters): Sink {
  const clock = parameters.clock ?? systemClock;
  const doFetch = parameters.fetch ?? fetch;
  const timeoutMs = parameters.timeoutMs ?? 10_000;
  const shape = parameters.shape ?? 'generic';
  const where = toRedactedUrl(parameters.url, { originOnly: true });
  const logger = parameters.logger ?? silentLogger;
  assertWebhookUrl(parameters.url);
  if (parameters.secret !== undefined) toWebhookKey(parameters.secret);
  return {
    name: parameters.name,
    async deliver(transition, delivery) {
      const context: WebhookContext = {
        ...(parameters.context?.(transition) ?? { chains: [transition.breaker] }),
      };
      if (delivery !== undefined) context.leader = { instance: delivery.instance, epoch: delivery.epoch };
      const bodyParameters: Parameters<typeof toWebhookBody>[0] = { shape, transition, context };
      if (parameters.routingKey !== undefined) bodyParameters.routingKey = parameters.routingKey;
      const body = JSON.stringify(toWebhookBody(bodyParameters));
      const timestamp = Math.floor(clock.nowMs() / 1000);
      const id = transition.idempotencyKey;
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': 'consensus-guard',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
      };
      if (parameters.secret !== undefined) {
        headers['webhook-signature'] = signWebhook({
          secret: parameters.secret,
          id,
          timestampSeconds: timestamp,
          body,
        });
      }
      const startedMs = performance.now();
      let response: Response;
      try {
        response = await doFetch(parameters.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (cause) {
        const name = (cause as { name?: string }).name;
        if (name === 'TimeoutError' || name === 'AbortError') {
          throw new WebhookError('timeout', `webhook ${where}: no answer within ${timeoutMs} ms`, { cause });
        }
        const code = toSocketCode(cause);
        throw new WebhookError(
          'unreachable',
          `webhook ${where}: connection failed${code ? ` (${code})` : ''}`,
          {
            cause,
          },
        );
      }
      const answer = await response
        .text()
        .catch((error: unknown) => `(answer unreadable: ${(error as Error).message})`);
      if (response.status < 200 || response.status > 299) {
        const excerpt = answer.trim().slice(0, 200);
        logger.debug(
          { code: 'webhook_refused', url: where, status: response.status, idempotencyKey: id },
          `HTTP ${response.status}`,
        );
        throw new WebhookError(
          'http_status',
          `webhook ${where}: HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`,
          { status: response.status },
        );
      }
      logger.info(
        {
          code: 'webhook_delivered',
          url: where,
          status: response.status,
          idempotencyKey: id,
          durationMs: Math.round(performance.now() - startedMs),
        },
        `${transition.breaker} ${transition.from} -> ${transition.to} delivered`,
      );
    },
  };
}

/** Throws a {@link WebhookError} `config` unless `url` is an http(s) URL without user name or password. */
function assertWebhookUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const where = toRedactedUrl(url, { originOnly: true });
  if (parsed?.username || parsed?.password || (parsed === undefined && url.includes('@'))) {
    throw new WebhookError(
      'config',
      `webhook ${where}: a user name or password in the URL is refused (fetch does not send them): sign with a secret, or keep a token in the path`,
    );
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new WebhookError('config', `webhook ${where}: not an http:// or https:// URL`);
  }
}

function toSocketCode(cause: unknown): string | undefined {
  let current: unknown = cause;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
