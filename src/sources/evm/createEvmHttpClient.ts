import { getHttpRpcClient } from 'viem/utils';
import { toRedactedUrl } from '../../config/toRedactedUrl.ts';
import { timeRpcRequest } from './timeRpcRequest.ts';

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
    request(method, params) {
      const id = nextId++;
      return timeRpcRequest(() => client.request({ body: { id, method, params: [...params] } }), {
        method,
        url: redacted,
        id,
      });
    },
    close() {},
  };
}
