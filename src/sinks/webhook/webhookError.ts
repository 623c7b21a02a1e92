import { CodedError } from '../../core/codedError.ts';

/**
 * Codes of {@link WebhookError}:
 * - `config`: the sink cannot be built: its URL is not an http(s) URL, or carries a user name or
 *   password (fetch refuses such a URL: nothing would ever be delivered); or a secret of a size the
 *   specification does not allow was asked of `createWebhookSecret`.
 * - `timeout`: no answer within the sink's `timeoutMs`.
 * - `unreachable`: connection refused or dropped, DNS failure.
 * - `http_status`: the receiver answered with a status outside 2xx (retried).
 */
export type WebhookErrorCode = 'config' | 'timeout' | 'unreachable' | 'http_status';

/**
 * A failed delivery (the outbox records its message and retries), or a sink that cannot be built
 * (`config`). The URL in its message has no secret.
 */
export class WebhookError extends CodedError<WebhookErrorCode> {
  override name = 'WebhookError';
  readonly status: number | undefined;

  constructor(code: WebhookErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super({ code, shortMessage: message, cause: options.cause });
    this.status = options.status;
  }
}
