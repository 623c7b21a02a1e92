/**
 * Codes of {@link WebhookError}:
 * - `timeout`: no answer within the sink's `timeoutMs`.
 * - `unreachable`: connection refused or dropped, DNS failure.
 * - `http_status`: the receiver answered with a status outside 2xx (retried).
 */
export type WebhookErrorCode = 'timeout' | 'unreachable' | 'http_status';

/** A failed delivery; the outbox records its message and retries. The URL in it has no secret. */
export class WebhookError extends Error {
  override name = 'WebhookError';
  readonly code: WebhookErrorCode;
  readonly status: number | undefined;

  constructor(code: WebhookErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
  }
}
