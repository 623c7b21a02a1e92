import { TimeoutError } from 'viem';
import { getWebSocketRpcClient } from 'viem/utils';
import { toRedactedUrl } from '../../config/toRedactedUrl.ts';
import { SourceError } from '../source.ts';
import type { EvmRpcClient } from './createEvmHttpClient.ts';
import { timeRpcRequest } from './timeRpcRequest.ts';
import { toRpcResult } from './toRpcResult.ts';
import { toSourceError } from './toSourceError.ts';

export type CreateEvmWebSocketClientParameters = {
  url: string;
  timeoutMs: number;
  /** Interval of WebSocket pings that keep the connection alive and reveal a dead peer. */
  keepAliveMs?: number;
  /** Called with each `newHeads` payload, unvalidated. */
  onHead: (payload: unknown) => void;
  /** Called once when the connection fails or closes (not after `close()`). */
  onClose: (error: SourceError) => void;
};

export type CreateEvmWebSocketClientReturnType = EvmRpcClient & {
  /** The `eth_subscribe` subscription id. */
  readonly subscriptionId: string;
};

/**
 * Connects to a node over WebSocket and subscribes to `newHeads` (`eth_subscribe`). Rejects with a
 * `SourceError` when the connection or the subscription fails. Reconnection is the caller's job: the
 * client reports the first failure through `onClose` and is then dead.
 */
export async function createEvmWebSocketClient({
  url,
  timeoutMs,
  keepAliveMs = 10_000,
  onHead,
  onClose,
}: CreateEvmWebSocketClientParameters): Promise<CreateEvmWebSocketClientReturnType> {
  const redacted = toRedactedUrl(url);
  const connecting = getWebSocketRpcClient(url, { reconnect: false, keepAlive: { interval: keepAliveMs } });
  let socket: Awaited<typeof connecting>;
  try {
    socket = await withTimeout(connecting, timeoutMs, () => {
      connecting.then((late) => late.close()).catch(() => {});
    });
  } catch (error) {
    throw toSourceError(error, { operation: 'connect', url: redacted });
  }

  let closed = false;
  let nextId = 1 + Math.floor(Math.random() * 1_000_000_000);
  function fail(error: SourceError): void {
    if (closed) return;
    closed = true;
    socket.close();
    onClose(error);
  }

  const subscriptionId = await new Promise<string>((resolve, reject) => {
    let subscribed: string | undefined;
    const timer = setTimeout(() => {
      const error = toSourceError(new TimeoutError({ body: {}, url: redacted }), {
        operation: 'eth_subscribe',
        url: redacted,
      });
      reject(error);
      fail(error);
    }, timeoutMs);
    const id = 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
    socket.request({
      body: { id, method: 'eth_subscribe', params: ['newHeads'] },
      onResponse(message: unknown) {
        if (subscribed === undefined) {
          clearTimeout(timer);
          try {
            const result = toRpcResult(message, { operation: 'eth_subscribe', url: redacted, id });
            if (typeof result !== 'string' || result.length === 0 || result.length > 128) {
              throw new SourceError({
                code: 'invalid_response',
                shortMessage: `eth_subscribe to ${redacted}: subscription id is not a string`,
              });
            }
            subscribed = result;
            resolve(result);
          } catch (error) {
            const sourceError = toSourceError(error, { operation: 'eth_subscribe', url: redacted });
            reject(sourceError);
            fail(sourceError);
          }
          return;
        }
        const params =
          typeof message === 'object' && message !== null
            ? (message as { params?: unknown }).params
            : undefined;
        if (
          typeof params !== 'object' ||
          params === null ||
          (params as { subscription?: unknown }).subscription !== subscribed
        ) {
          fail(
            new SourceError({
              code: 'invalid_response',
              shortMessage: `eth_subscription from ${redacted}: malformed notification`,
            }),
          );
          return;
        }
        onHead((params as { result?: unknown }).result);
      },
      onError(error: unknown) {
        clearTimeout(timer);
        const sourceError = toSourceError(error, { operation: 'eth_subscribe', url: redacted });
        if (subscribed === undefined) reject(sourceError);
        fail(sourceError);
      },
    });
  });

  return {
    url: redacted,
    subscriptionId,
    request(method, params) {
      const id = nextId++;
      return timeRpcRequest(
        async () => {
          if (closed)
            throw new SourceError({ code: 'unreachable', shortMessage: `${method} to ${redacted}: closed` });
          return socket.requestAsync({ body: { id, method, params: [...params] }, timeout: timeoutMs });
        },
        { method, url: redacted, id },
      );
    },
    close() {
      if (closed) return;
      closed = true;
      socket.close();
    },
  };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new TimeoutError({ body: {}, url: '' }));
    }, timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
