import type { Transition } from '../../breaker/levels.ts';
import { toRedactedUrl } from '../../config/toRedactedUrl.ts';
import { type Clock, systemClock } from '../../sources/source.ts';
import type { Sink } from '../sink.ts';
import { signWebhook } from './signWebhook.ts';
import { toWebhookBody, type WebhookContext, type WebhookShape } from './toWebhookBody.ts';
import { WebhookError } from './webhookError.ts';

export type CreateWebhookSinkParameters = {
  /** Sink name, unique in the service (the outbox key with the idempotency key). */
  name: string;
  /**
   * Receiver URL, http(s). May hold a secret in its path (Slack puts one there): only its origin is
   * ever printed. A user name or password in it is refused: fetch does not send them.
   */
  url: string;
  /** Shared secret of the HMAC signature; without it no signature header is sent. */
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
};

/**
 * A webhook {@link Sink}: POSTs each transition as JSON (see {@link toWebhookBody}) with
 * - `X-Consensus-Guard-Timestamp`: Unix seconds of this attempt;
 * - `X-Consensus-Guard-Signature`: `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` ({@link signWebhook});
 * - `Idempotency-Key`: the transition's key, the same at every attempt.
 * A 2xx answer is a delivery; anything else, a timeout or a network failure rejects with a
 * {@link WebhookError} and the outbox retries with backoff. A URL that is not http(s), or that
 * carries a user name or password, throws a {@link WebhookError} `config` here, at construction.
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
  assertWebhookUrl(parameters.url);
  return {
    name: parameters.name,
    async deliver(transition) {
      const context = parameters.context?.(transition) ?? { chains: [transition.breaker] };
      const bodyParameters: Parameters<typeof toWebhookBody>[0] = { shape, transition, context };
      if (parameters.routingKey !== undefined) bodyParameters.routingKey = parameters.routingKey;
      const body = JSON.stringify(toWebhookBody(bodyParameters));
      const timestamp = Math.floor(clock.nowMs() / 1000);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': 'consensus-guard',
        'idempotency-key': transition.idempotencyKey,
        'x-consensus-guard-timestamp': String(timestamp),
      };
      if (parameters.secret !== undefined) {
        headers['x-consensus-guard-signature'] = signWebhook(parameters.secret, timestamp, body);
      }
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
        throw new WebhookError(
          'http_status',
          `webhook ${where}: HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`,
          { status: response.status },
        );
      }
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
