import { toRedactedUrl } from '../../config/toRedactedUrl.ts';
import { sourceConfigError } from '../source.ts';
import type { CreateEvmSourceParameters } from './createEvmSourceParameters.ts';

/** The parameters of an EVM source checked, with their defaults, and what follows from the URL. */
export type EvmSourceSettings = Required<Omit<CreateEvmSourceParameters, 'httpUrl' | 'clock' | 'logger'>> & {
  /** `ws://` or `wss://`: a `newHeads` subscription; else HTTP polling. */
  isWebSocket: boolean;
  /** HTTP endpoint polled while a WebSocket is down; undefined for none. */
  fallbackUrl: string | undefined;
  /** `url` without its credentials, for messages and logs. */
  redactedUrl: string;
};

/**
 * Checks the parameters of {@link createEvmSource} and fills in their defaults; throws a
 * `SourceError` with code `config` naming the node and the parameter that is wrong (the URL only redacted).
 */
export function toEvmSourceSettings(parameters: CreateEvmSourceParameters): EvmSourceSettings {
  const {
    chain,
    node,
    url,
    pollIntervalMs = 1000,
    requestTimeoutMs = 5000,
    maxRequestsPerSecond = 20,
    maxBackfill = 64,
    maxResponseBytes = 1024 * 1024,
    reconnectMinMs = 500,
    reconnectMaxMs = 30_000,
  } = parameters;
  const isWebSocket = /^wss?:\/\//i.test(url);
  if (!isWebSocket && !/^https?:\/\//i.test(url)) {
    throw sourceConfigError(
      `node ${node}: URL must start with http://, https://, ws:// or wss:// (${toRedactedUrl(url)})`,
    );
  }
  for (const [name, value] of Object.entries({
    pollIntervalMs,
    requestTimeoutMs,
    maxRequestsPerSecond,
    maxResponseBytes,
    reconnectMinMs,
    reconnectMaxMs,
  })) {
    if (!(value > 0) || !Number.isFinite(value))
      throw sourceConfigError(`node ${node}: ${name} must be positive`);
  }
  const { initialBackfill = Math.min(8, maxBackfill), subscriptionCheckMs = 5 * pollIntervalMs } = parameters;
  if (!(subscriptionCheckMs > 0))
    throw sourceConfigError(`node ${node}: subscriptionCheckMs must be positive`);
  for (const [name, value] of Object.entries({ maxBackfill, initialBackfill })) {
    if (!Number.isInteger(value) || value < 0) {
      throw sourceConfigError(`node ${node}: ${name} must be a non-negative integer`);
    }
  }
  const fallbackUrl =
    parameters.httpUrl === false
      ? undefined
      : (parameters.httpUrl ?? (isWebSocket ? url.replace(/^ws/i, 'http') : url));
  return {
    chain,
    node,
    url,
    pollIntervalMs,
    subscriptionCheckMs,
    requestTimeoutMs,
    maxRequestsPerSecond,
    maxBackfill,
    initialBackfill,
    maxResponseBytes,
    reconnectMinMs,
    reconnectMaxMs,
    isWebSocket,
    fallbackUrl,
    redactedUrl: toRedactedUrl(url),
  };
}
