import { toRedactedUrl } from '../../config/toRedactedUrl.ts';
import type { CheckpointKind, Hash, Observation } from '../../core/observation.ts';
import { toHash } from '../../core/observation.ts';
import { type Logger, silentLogger } from '../../log/createLogger.ts';
import { type Clock, type Source, SourceError, systemClock } from '../source.ts';
import { blockHash } from './blockHash.ts';
import { createEvmHttpClient, type EvmRpcClient } from './createEvmHttpClient.ts';
import { createEvmWebSocketClient } from './createEvmWebSocketClient.ts';
import { createTokenBucket } from './createTokenBucket.ts';
import { parseRpcBlockHeader } from './parseRpcBlockHeader.ts';
import { toSourceError } from './toSourceError.ts';

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

export type CreateEvmSourceReturnType = Source;

type VerifiedBlock = {
  hash: Hash;
  parentHash: Hash;
  number: bigint;
  timestamp: number;
};

const checkpointKinds = ['finalized', 'safe'] as const satisfies readonly CheckpointKind[];
/** Error codes that mean the node could not be talked to (they slow polling down). */
const transportCodes = new Set(['timeout', 'unreachable', 'http_status']);
const maxClientVersionLength = 256;

/**
 * Watches one EVM node over JSON-RPC and emits what it sees as observations:
 * - `head` for each new head (`latencyMs`: round trip of the request that fetched it, when polled),
 *   preceded by `block` observations for its unknown ancestors, lowest first (parent-hash walk-back
 *   bounded by `maxBackfill`, `initialBackfill` below the first head), so that gaps are filled and,
 *   after a reorg, the common ancestor is known;
 * - `checkpoint` (`finalized`, `safe`) whenever the node's block for that tag changes;
 * - `error` for every failure: `timeout`, `unreachable`, `http_status`, `invalid_response`,
 *   `rpc_error`, and `integrity` when a header does not hash to the hash the node gives it (that
 *   header is then not emitted).
 *
 * The client implementation (`web3_clientVersion`) is put in `client` on every observation. After a
 * dropped socket or a dead node the source reconnects with exponential backoff and backfills through
 * the walk-back. Requests go through a token bucket of `maxRequestsPerSecond`.
 *
 * JSON-RPC methods: `web3_clientVersion`, `eth_subscribe` (`newHeads`), `eth_getBlockByNumber`
 * (`latest`, `finalized`, `safe`), `eth_getBlockByHash`.
 *
 * @example
 * const source = createEvmSource({ chain: 'ethereum', node: 'geth-1', url: 'ws://127.0.0.1:8546' })
 * await source.start((observation) => engine.push(observation))
 * // ...
 * await source.stop()
 */
export function createEvmSource(parameters: CreateEvmSourceParameters): CreateEvmSourceReturnType {
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
    clock = systemClock,
    logger = silentLogger,
  } = parameters;
  const isWebSocket = /^wss?:\/\//i.test(url);
  if (!isWebSocket && !/^https?:\/\//i.test(url)) {
    throw new RangeError(
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
      throw new RangeError(`node ${node}: ${name} must be positive`);
  }
  const { initialBackfill = Math.min(8, maxBackfill), subscriptionCheckMs = 5 * pollIntervalMs } = parameters;
  if (!(subscriptionCheckMs > 0)) throw new RangeError(`node ${node}: subscriptionCheckMs must be positive`);
  for (const [name, value] of Object.entries({ maxBackfill, initialBackfill })) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`node ${node}: ${name} must be a non-negative integer`);
    }
  }
  const fallbackUrl =
    parameters.httpUrl === false
      ? undefined
      : (parameters.httpUrl ?? (isWebSocket ? url.replace(/^ws/i, 'http') : url));
  const redactedUrl = toRedactedUrl(url);
  const monotonic: Clock = { nowMs: () => performance.now() };
  const bucket = createTokenBucket({ ratePerSecond: maxRequestsPerSecond, clock: monotonic });
  const keepDepth = BigInt(Math.max(256, maxBackfill * 2));

  let stopped = true;
  let abort = new AbortController();
  let consumer: ((observation: Observation) => void) | undefined;
  let running: Promise<void> | undefined;
  let queue: Promise<void> = Promise.resolve();
  let socket: EvmRpcClient | undefined;

  let client: string | undefined;
  let clientLearned = false;
  let head: VerifiedBlock | undefined;
  const known = new Map<Hash, VerifiedBlock>();
  const lastCheckpoint: Partial<Record<CheckpointKind, Hash>> = {};
  const unsupportedTags = new Set<CheckpointKind>();

  function atNode() {
    return { chain, node, ...(client === undefined ? {} : { client }), observedAtMs: clock.nowMs() };
  }

  function emit(observation: Observation): void {
    if (stopped || !consumer) return;
    try {
      consumer(observation);
    } catch (error) {
      logger.error({ code: 'source_consumer_failed', err: error }, `the consumer of source ${node} threw`);
    }
  }

  function emitError(error: unknown): SourceError {
    const sourceError = toSourceError(error, { operation: 'watch', url: redactedUrl });
    logger.debug({ code: 'source_error', errorCode: sourceError.code }, sourceError.message);
    emit({
      type: 'error',
      ...atNode(),
      code: sourceError.code,
      message: sourceError.message,
      ...(sourceError.latencyMs === undefined ? {} : { latencyMs: sourceError.latencyMs }),
    });
    return sourceError;
  }

  function enqueue<T>(task: () => Promise<T>): Promise<T | undefined> {
    const result = queue.then(task).catch((error: unknown) => {
      if (!stopped) emitError(error);
      return undefined;
    });
    queue = result.then(() => undefined);
    return result;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (stopped) return resolve();
      const timer = setTimeout(done, Math.max(0, ms));
      abort.signal.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        abort.signal.removeEventListener('abort', done);
        resolve();
      }
    });
  }

  function backoffMs(failures: number): number {
    return Math.min(reconnectMaxMs, reconnectMinMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  }

  async function request(rpc: EvmRpcClient, method: string, params: readonly unknown[]) {
    await bucket.take(abort.signal);
    return rpc.request(method, params);
  }

  /** Validates a header answer and checks its hash; throws `invalid_response` or `integrity`. */
  function toVerifiedBlock(payload: unknown, operation: string, rpcUrl: string): VerifiedBlock {
    const parsed = parseRpcBlockHeader(payload);
    if (!parsed.ok) {
      throw new SourceError({
        code: 'invalid_response',
        shortMessage: `${operation} to ${rpcUrl}: invalid block header: ${parsed.reason}`,
      });
    }
    const served = toHash(parsed.header.hash);
    const computed = toHash(blockHash(parsed.header));
    if (served !== computed) {
      throw new SourceError({
        code: 'integrity',
        shortMessage: `${operation} to ${rpcUrl}: block ${parsed.number} served with hash 0x${served} but its header hashes to 0x${computed}`,
      });
    }
    return {
      hash: served,
      parentHash: toHash(parsed.header.parentHash),
      number: parsed.number,
      timestamp: parsed.timestamp,
    };
  }

  async function fetchBlock(rpc: EvmRpcClient, method: string, params: readonly unknown[]) {
    const { result, latencyMs } = await request(rpc, method, params);
    if (result === null) return undefined;
    return { block: toVerifiedBlock(result, method, rpc.url), latencyMs };
  }

  async function learnClient(rpc: EvmRpcClient): Promise<void> {
    try {
      const { result } = await request(rpc, 'web3_clientVersion', []);
      if (typeof result !== 'string' || result.length === 0 || result.length > maxClientVersionLength) {
        throw new SourceError({
          code: 'invalid_response',
          shortMessage: `web3_clientVersion to ${rpc.url}: not a client version string`,
        });
      }
      client = result.replace(/[^\x20-\x7e]/g, '?');
      clientLearned = true;
    } catch (error) {
      const sourceError = toSourceError(error, { operation: 'web3_clientVersion', url: rpc.url });
      if (transportCodes.has(sourceError.code)) throw sourceError;
      clientLearned = true;
      emitError(sourceError);
    }
  }

  function remember(block: VerifiedBlock): void {
    known.set(block.hash, block);
  }

  function prune(): void {
    if (!head || known.size <= Number(keepDepth) * 2) return;
    for (const [hash, block] of known) {
      if (block.number + keepDepth < head.number) known.delete(hash);
    }
  }

  function toBlockObservation(type: 'head' | 'block', block: VerifiedBlock, latencyMs?: number): Observation {
    return {
      type,
      ...atNode(),
      number: block.number,
      hash: block.hash,
      parentHash: block.parentHash,
      timestamp: block.timestamp,
      ...(latencyMs === undefined ? {} : { latencyMs }),
    };
  }

  /** True when `block` is the current head or one of its known ancestors. */
  function isOnHeadChain(block: VerifiedBlock): boolean {
    let cursor = head;
    while (cursor && cursor.number >= block.number) {
      if (cursor.hash === block.hash) return true;
      cursor = known.get(cursor.parentHash);
    }
    return false;
  }

  /** Emits a new head after its unknown ancestors; returns false when the head did not change. */
  async function processHead(rpc: EvmRpcClient, block: VerifiedBlock, latencyMs?: number): Promise<boolean> {
    if (head && head.hash === block.hash) return false;
    const ancestors: VerifiedBlock[] = [];
    if (!known.has(block.hash)) {
      const limit = known.size > 0 ? maxBackfill : initialBackfill;
      let cursor = block;
      while (!known.has(cursor.parentHash) && cursor.number > 0n && ancestors.length < limit && !stopped) {
        let parent: VerifiedBlock | undefined;
        try {
          parent = (await fetchBlock(rpc, 'eth_getBlockByHash', [`0x${cursor.parentHash}`, false]))?.block;
        } catch (error) {
          emitError(error);
          break;
        }
        if (!parent) break;
        if (parent.hash !== cursor.parentHash || parent.number !== cursor.number - 1n) {
          emitError(
            new SourceError({
              code: 'integrity',
              shortMessage: `eth_getBlockByHash to ${rpc.url}: asked for 0x${cursor.parentHash} (parent of block ${cursor.number}), got block ${parent.number} 0x${parent.hash}`,
            }),
          );
          break;
        }
        ancestors.unshift(parent);
        cursor = parent;
      }
    }
    for (const ancestor of ancestors) {
      if (known.has(ancestor.hash)) continue;
      emit(toBlockObservation('block', ancestor));
      remember(ancestor);
    }
    emit(toBlockObservation('head', block, latencyMs));
    remember(block);
    head = block;
    prune();
    return true;
  }

  /** Polls the checkpoint tags; returns the code of the first failure that means the node is not reachable. */
  async function pollCheckpoints(rpc: EvmRpcClient): Promise<string | undefined> {
    let unreachable: string | undefined;
    for (const kind of checkpointKinds) {
      if (unsupportedTags.has(kind) || stopped) continue;
      try {
        const fetched = await fetchBlock(rpc, 'eth_getBlockByNumber', [kind, false]);
        if (!fetched || lastCheckpoint[kind] === fetched.block.hash) continue;
        lastCheckpoint[kind] = fetched.block.hash;
        emit({
          type: 'checkpoint',
          ...atNode(),
          kind,
          number: fetched.block.number,
          hash: fetched.block.hash,
        });
      } catch (error) {
        const sourceError = emitError(error);
        if (sourceError.code === 'rpc_error') unsupportedTags.add(kind);
        if (transportCodes.has(sourceError.code)) unreachable ??= sourceError.code;
      }
    }
    return unreachable;
  }

  /** Polls `latest` once; returns the error code of a failure that means the node is not reachable. */
  async function poll(rpc: EvmRpcClient): Promise<string | undefined> {
    try {
      if (!clientLearned) await learnClient(rpc);
      const fetched = await fetchBlock(rpc, 'eth_getBlockByNumber', ['latest', false]);
      if (!fetched) {
        throw new SourceError({
          code: 'invalid_response',
          shortMessage: `eth_getBlockByNumber to ${rpc.url}: no latest block (null)`,
        });
      }
      if (await processHead(rpc, fetched.block, fetched.latencyMs)) return await pollCheckpoints(rpc);
      return undefined;
    } catch (error) {
      const sourceError = emitError(error);
      return transportCodes.has(sourceError.code) ? sourceError.code : undefined;
    }
  }

  /**
   * A `newHeads` payload. A payload without every header field (some clients trim it) is fetched by
   * its hash. A block already on the head's chain is a late notification and is skipped.
   */
  async function onSocketHead(rpc: EvmRpcClient, payload: unknown): Promise<void> {
    let block: VerifiedBlock;
    let latencyMs: number | undefined;
    const parsed = parseRpcBlockHeader(payload);
    const hash =
      typeof payload === 'object' && payload !== null ? (payload as { hash?: unknown }).hash : undefined;
    if (!parsed.ok && typeof hash === 'string' && /^0x[0-9a-fA-F]{64}$/.test(hash)) {
      const fetched = await fetchBlock(rpc, 'eth_getBlockByHash', [hash, false]);
      if (!fetched) return;
      block = fetched.block;
      latencyMs = fetched.latencyMs;
    } else {
      block = toVerifiedBlock(payload, 'newHeads', rpc.url);
    }
    if (isOnHeadChain(block)) return;
    if (await processHead(rpc, block, latencyMs)) await pollCheckpoints(rpc);
  }

  /**
   * One WebSocket session: resolves with the error that ended it, or undefined on stop or when a
   * check poll failed (that failure was already emitted). The socket carries the subscription;
   * the requests that follow a notification go over `requests` (HTTP on the same node) when given,
   * which answers faster than some nodes' sockets and keeps the HTTP size limit.
   */
  async function runSocketSession(
    onOpen: () => void,
    requests?: EvmRpcClient,
  ): Promise<SourceError | undefined> {
    let endSession: (error: SourceError | undefined) => void = () => {};
    const ended = new Promise<SourceError | undefined>((resolve) => {
      endSession = resolve;
    });
    const onStop = () => endSession(undefined);
    abort.signal.addEventListener('abort', onStop, { once: true });
    try {
      let current: EvmRpcClient | undefined;
      const opened = await createEvmWebSocketClient({
        url,
        timeoutMs: requestTimeoutMs,
        onHead: (payload) => {
          void enqueue(async () => {
            if (current) await onSocketHead(requests ?? current, payload);
          });
        },
        onClose: (error) => endSession(error),
      });
      current = opened;
      if (stopped) {
        opened.close();
        return undefined;
      }
      socket = opened;
      logger.info({ code: 'source_subscribed', url: redactedUrl }, 'subscribed to newHeads');
      onOpen();
      clientLearned = false;
      unsupportedTags.clear();
      let sessionEnded = false;
      void (async () => {
        while (!stopped && !sessionEnded) {
          const failed = await enqueue(() => poll(opened));
          if (failed && !sessionEnded) {
            endSession(undefined);
            break;
          }
          await sleep(subscriptionCheckMs);
        }
      })();
      const error = await ended;
      sessionEnded = true;
      opened.close();
      return error;
    } catch (error) {
      return toSourceError(error, { operation: 'connect', url: redactedUrl });
    } finally {
      socket = undefined;
      abort.signal.removeEventListener('abort', onStop);
    }
  }

  async function runSocket(): Promise<void> {
    const http = fallbackUrl
      ? createEvmHttpClient({
          url: fallbackUrl,
          timeoutMs: requestTimeoutMs,
          maxResponseBytes,
          signal: abort.signal,
        })
      : undefined;
    let failures = 0;
    while (!stopped) {
      const error = await runSocketSession(() => {
        failures = 0;
      }, http);
      if (stopped) break;
      if (error) emitError(error);
      failures += 1;
      logger.warn(
        {
          code: 'source_reconnect',
          url: redactedUrl,
          retryInMs: backoffMs(failures),
          errorCode: error?.code,
        },
        `socket session ended${error ? `: ${error.message}` : ''}; polling until it reconnects`,
      );
      const retryAtMs = performance.now() + backoffMs(failures);
      let pollFailures = 0;
      while (!stopped && performance.now() < retryAtMs) {
        if (http) {
          const failed = await enqueue(() => poll(http));
          pollFailures = failed ? pollFailures + 1 : 0;
        }
        const untilRetryMs = retryAtMs - performance.now();
        await sleep(Math.min(untilRetryMs, pollFailures > 0 ? backoffMs(pollFailures) : pollIntervalMs));
      }
    }
  }

  async function runPolling(): Promise<void> {
    const http = createEvmHttpClient({
      url,
      timeoutMs: requestTimeoutMs,
      maxResponseBytes,
      signal: abort.signal,
    });
    let failures = 0;
    while (!stopped) {
      const failed = await enqueue(() => poll(http));
      if (failed) {
        if (failures === 0 && !stopped) {
          logger.warn(
            { code: 'source_unreachable', url: redactedUrl, errorCode: failed },
            'node unreachable',
          );
        }
        failures += 1;
        clientLearned = false;
      } else {
        if (failures > 0) logger.info({ code: 'source_recovered', url: redactedUrl }, 'node reachable again');
        failures = 0;
      }
      await sleep(failures > 0 ? backoffMs(failures) : pollIntervalMs);
    }
  }

  return {
    name: node,
    async start(onObservation) {
      if (!stopped) throw new Error(`source ${node} is already started`);
      stopped = false;
      abort = new AbortController();
      consumer = onObservation;
      logger.debug({ code: 'source_started', url: redactedUrl }, isWebSocket ? 'subscribing' : 'polling');
      running = (isWebSocket ? runSocket() : runPolling()).catch((error: unknown) => {
        emitError(error);
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      abort.abort(new SourceError({ code: 'unreachable', shortMessage: `source ${node} stopped` }));
      socket?.close();
      await running;
      await queue;
      consumer = undefined;
    },
  };
}
