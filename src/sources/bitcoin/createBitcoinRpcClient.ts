import { toRedactedUrl } from '../../config/toRedactedUrl.ts';
import { readLimitedBody } from '../readLimitedBody.ts';
import { SourceError, sourceConfigError } from '../source.ts';

/** A JSON-RPC channel to a Bitcoin-style node (Bitcoin Core and its forks). */
export type BitcoinRpcClient = {
  /** The node URL without credentials, for messages. */
  readonly url: string;
  /** Sends one request; resolves with the unvalidated `result` and the round trip; throws `SourceError`. */
  request(method: string, params?: readonly unknown[]): Promise<{ result: unknown; latencyMs: number }>;
};

export type CreateBitcoinRpcClientParameters = {
  /** `http(s)://[user:pass@]host:port`. */
  url: string;
  /** Basic auth, when not in the URL. */
  username?: string;
  password?: string;
  timeoutMs?: number;
  /** Answers larger than this are refused. Default 1 MiB. */
  maxResponseBytes?: number;
};

/**
 * A JSON-RPC 1.0 client with basic auth, a timeout and a response size limit. Bitcoin Core
 * answers errors with an HTTP status and a JSON body: both end up as a `SourceError`
 * (`rpc_error` when the node says why, `http_status` otherwise).
 */
export function createBitcoinRpcClient(parameters: CreateBitcoinRpcClientParameters): BitcoinRpcClient {
  let parsed: URL;
  try {
    parsed = new URL(parameters.url);
  } catch {
    // The parser's own error carries the whole URL as `input`.
    throw sourceConfigError(`not a valid URL (${toRedactedUrl(parameters.url)})`);
  }
  const username = parameters.username ?? decodeURIComponent(parsed.username);
  const password = parameters.password ?? decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  const endpoint = parsed.toString();
  const redacted = toRedactedUrl(parameters.url);
  const timeoutMs = parameters.timeoutMs ?? 5_000;
  const maxResponseBytes = parameters.maxResponseBytes ?? 1 << 20;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (username || password)
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  let nextId = 1;
  return {
    url: redacted,
    async request(method, params = []) {
      const at = `${method} to ${redacted}`;
      const startedAt = performance.now();
      const elapsed = () => Math.round(performance.now() - startedAt);
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers,
          body: JSON.stringify({ jsonrpc: '1.0', id: nextId++, method, params }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (cause) {
        const timedOut = (cause as { name?: string }).name === 'TimeoutError';
        throw new SourceError({
          code: timedOut ? 'timeout' : 'unreachable',
          shortMessage: `${at}: ${timedOut ? 'no answer in time' : `unreachable (${networkCode(cause)})`}`,
          cause,
          latencyMs: elapsed(),
        });
      }
      let text: string;
      try {
        text = await readLimitedBody(response, maxResponseBytes);
      } catch (cause) {
        const tooLarge = cause instanceof RangeError;
        throw new SourceError({
          code: tooLarge
            ? 'invalid_response'
            : (cause as { name?: string }).name === 'TimeoutError'
              ? 'timeout'
              : 'unreachable',
          shortMessage: `${at}: ${tooLarge ? `answer larger than ${maxResponseBytes} bytes` : 'answer cut off'}`,
          cause,
          latencyMs: elapsed(),
        });
      }
      const latencyMs = elapsed();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (cause) {
        if (!response.ok) {
          throw new SourceError({
            code: 'http_status',
            shortMessage: `${at}: HTTP status ${response.status}`,
            latencyMs,
          });
        }
        throw new SourceError({
          code: 'invalid_response',
          shortMessage: `${at}: answer is not JSON`,
          cause,
          latencyMs,
        });
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new SourceError({
          code: 'invalid_response',
          shortMessage: `${at}: answer is not a JSON-RPC object`,
          latencyMs,
        });
      }
      const { result, error } = body as { result?: unknown; error?: unknown };
      if (error !== null && error !== undefined) {
        const message =
          typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string'
            ? (error as { message: string }).message.slice(0, 200)
            : 'error';
        throw new SourceError({ code: 'rpc_error', shortMessage: `${at}: ${message}`, latencyMs });
      }
      if (!response.ok) {
        throw new SourceError({
          code: 'http_status',
          shortMessage: `${at}: HTTP status ${response.status}`,
          latencyMs,
        });
      }
      if (!('result' in body)) {
        throw new SourceError({
          code: 'invalid_response',
          shortMessage: `${at}: answer has no result`,
          latencyMs,
        });
      }
      return { result, latencyMs };
    },
  };
}

function networkCode(cause: unknown): string {
  let current: unknown = cause;
  for (let depth = 0; depth < 6 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return 'network error';
}
