import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { CodedError } from '../core/codedError.ts';

/** Codes of the JSON errors the API answers with, and their HTTP status. */
export const HTTP_ERROR_STATUS = {
  bad_request: 400,
  bad_json: 400,
  unauthorized: 401,
  forbidden: 403,
  override_disabled: 403,
  not_found: 404,
  unknown_breaker: 404,
  unknown_chain: 404,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  not_ready: 503,
} as const;

export type HttpErrorCode = keyof typeof HTTP_ERROR_STATUS;
export type HttpErrorStatus = (typeof HTTP_ERROR_STATUS)[HttpErrorCode];

/** The API's one error type: a code (which sets the status) and a message safe to show. */
export class HttpError extends CodedError<HttpErrorCode> {
  override name = 'HttpError';
  readonly status: HttpErrorStatus;
  readonly headers: Record<string, string>;

  constructor(
    code: HttpErrorCode,
    message: string,
    options: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super({ code, shortMessage: message, cause: options.cause });
    this.status = HTTP_ERROR_STATUS[code];
    this.headers = options.headers ?? {};
  }
}

/** The JSON body of an error response: `{ "error": { "code", "message" } }`. */
export type HttpErrorBody = { error: { code: HttpErrorCode; message: string } };

/** The one place where an error becomes a response: `{ "error": { "code", "message" } }`. */
export function toErrorResponse(c: Context, error: HttpError): Response {
  const body: HttpErrorBody = { error: { code: error.code, message: error.message } };
  return c.body(JSON.stringify(body), error.status, {
    ...error.headers,
    'Content-Type': 'application/json; charset=utf-8',
  });
}

/** Codes every route may answer: a rate limit applies to all, and a bug is a 500 anywhere. */
const ANY_ROUTE: readonly HttpErrorCode[] = ['rate_limited', 'internal'];

/**
 * The OpenAPI responses of a route's errors: one per status, its body `{ error: { code, message } }`
 * with `code` limited to the codes of that status, the given `codes` and those any route answers.
 */
export function toErrorResponses(codes: readonly HttpErrorCode[]) {
  const byStatus = new Map<HttpErrorStatus, HttpErrorCode[]>();
  for (const code of [...codes, ...ANY_ROUTE]) {
    const status = HTTP_ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<
    number,
    { description: string; content: { 'application/json': { schema: z.ZodType } } }
  > = {};
  for (const [status, group] of byStatus) {
    const schema = z.strictObject({
      error: z.strictObject({
        code: z.enum(group as [HttpErrorCode, ...HttpErrorCode[]]),
        message: z.string(),
      }),
    });
    responses[status] = { description: group.join(', '), content: { 'application/json': { schema } } };
  }
  return responses;
}
