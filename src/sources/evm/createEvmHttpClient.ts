import { getHttpRpcClient } from 'viem/utils';
import { toRedactedUrl } from './toRedactedUrl.ts';
import { toRpcResult } from './toRpcResult.ts';
import { toSourceError } from './toSourceError.ts';

/** A JSON-RPC channel to one node; every failure is thrown as a `SourceError`. */
export type EvmRpcClient = {
  /** The node URL without credentials, for messages. */
  readonly url: string;
  /** Sends one request; resolves with the unvalidated `result` and the round trip in milliseconds. */
  request(method: string, params: readonly unknown[]): Promise<{ result: unknown; latencyMs: number }>;
  close(): void;
};

export type CreateEvmHttpClientParameters = {
  url: string;
  timeoutMs: number;
  /** Answers larger than this many bytes are refused (read as a stream, cut at the limit). */
  maxResponseBytes: number;
  /** Aborts requests in flight (used on stop). */
  signal?: AbortSignal;
};

export type CreateEvmHttpClientReturnType = EvmRpcClient;

/**
 * A JSON-RPC client over HTTP(S) with a timeout, a response size limit and basic auth taken from the
 * URL (`https://user:pass@host`), built on viem's HTTP RPC client.
 */
export function createEvmHttpClient({
  url,
  timeoutMs,
  maxResponseBytes,
  signal,
}: CreateEvmHttpClientParameters): CreateEvmHttpClientReturnType {
  const redacted = toRedactedUrl(url);
  const client = getHttpRpcClient(url, {
    timeout: timeoutMs,
    maxResponseBodySize: maxResponseBytes,
    ...(signal ? { fetchOptions: { signal } } : {}),
  });
  let nextId = 1;
  return {
    url: redacted,
    async request(method, params) {
      const id = nextId++;
      const startedAt = performance.now();
      try {
        const answer: unknown = await client.request({ body: { id, method, params: [...params] } });
        const latencyMs = Math.round(performance.now() - startedAt);
        return {
          result: toRpcResult(answer, { operation: method, url: redacted, id, latencyMs }),
          latencyMs,
        };
      } catch (error) {
        const latencyMs = Math.round(performance.now() - startedAt);
        throw toSourceError(error, { operation: method, url: redacted, latencyMs });
      }
    },
    close() {},
  };
}
