import type { Logger } from '../../log/createLogger.ts';
import type { Clock } from '../source.ts';

/** What `createEvmSource` watches, and how. */
export type CreateEvmSourceParameters = {
  /** Chain name put on every observation. */
  chain: string;
  /** Node name put on every observation, unique within the chain. */
  node: string;
  /**
   * JSON-RPC endpoint. `ws://` or `wss://`: a `newHeads` subscription (preferred), with HTTP polling
   * of `httpUrl` while the socket is down. `http://` or `https://`: polling. Credentials may be in the
   * URL (`https://user:pass@host`); they never appear in observations.
   */
  url: string;
  /**
   * HTTP endpoint polled while a WebSocket is down. Defaults to `url` with `ws` replaced by `http`
   * (Anvil, Hardhat, Ganache serve both on one port); `false` disables the fallback.
   */
  httpUrl?: string | false;
  /** Interval between polls of `latest`, in milliseconds. Default 1000. */
  pollIntervalMs?: number;
  /**
   * While subscribed, interval between polls of `latest` over the socket, in milliseconds: they catch
   * a missed notification and, through the request timeout, a socket that is open but dead.
   * Default 5 × `pollIntervalMs`.
   */
  subscriptionCheckMs?: number;
  /** Time allowed for one request (and for a WebSocket to open), in milliseconds. Default 5000. */
  requestTimeoutMs?: number;
  /** Sustained request rate to this node (a token bucket with a burst of the same size). Default 20. */
  maxRequestsPerSecond?: number;
  /** Most ancestors fetched by one parent-hash walk-back. Default 64. */
  maxBackfill?: number;
  /**
   * Ancestors fetched below the first head seen, so that a reorg soon after start has a known common
   * ancestor. Default `min(8, maxBackfill)`.
   */
  initialBackfill?: number;
  /** HTTP answers larger than this are refused, in bytes. Default 1 MiB. */
  maxResponseBytes?: number;
  /** First reconnect delay after a failure, in milliseconds; doubles per failure. Default 500. */
  reconnectMinMs?: number;
  /** Longest reconnect delay, in milliseconds. Default 30000. */
  reconnectMaxMs?: number;
  /** Source of `observedAtMs`. Default: the system clock. */
  clock?: Clock;
  /** Where the source logs (losing and regaining the node, reconnects); default nowhere. */
  logger?: Logger;
};
