import type { CheckpointKind, Hash, Observation } from '../../core/observation.ts';
import { silentLogger } from '../../log/createLogger.ts';
import { sleepUnlessAborted } from '../sleepUnlessAborted.ts';
import {
  type Clock,
  isTransportErrorCode,
  type Source,
  SourceError,
  sourceConfigError,
  systemClock,
} from '../source.ts';
import { createEvmHttpClient, type EvmRpcClient } from './createEvmHttpClient.ts';
import type { CreateEvmSourceParameters } from './createEvmSourceParameters.ts';
import { createEvmWebSocketClient } from './createEvmWebSocketClient.ts';
import { createKnownBlocks } from './createKnownBlocks.ts';
import { createTokenBucket } from './createTokenBucket.ts';
import { fetchAncestors } from './fetchAncestors.ts';
import { parseRpcBlockHeader } from './parseRpcBlockHeader.ts';
import { toBlockObservation } from './toBlockObservation.ts';
import { toEvmSourceSettings } from './toEvmSourceSettings.ts';
import { toSourceError } from './toSourceError.ts';
import { toVerifiedBlock, type VerifiedBlock } from './toVerifiedBlock.ts';

export type { CreateEvmSourceParameters } from './createEvmSourceParameters.ts';

export type CreateEvmSourceReturnType = Source;

const checkpointKinds = ['finalized', 'safe'] as const satisfies readonly CheckpointKind[];
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
  const settings = toEvmSourceSettings(parameters);
  const { chain, node, url, redactedUrl } = settings;
  const { clock = systemClock, logger = silentLogger } = parameters;
  const monotonic: Clock = { nowMs: () => performance.now() };
  const bucket = createTokenBucket({ ratePerSecond: settings.maxRequestsPerSecond, clock: monotonic });

  let stopped = true;
  let abort = new AbortController();
  let consumer: ((observation: Observation) => void) | undefined;
  let running: Promise<void> | undefined;
  let queue: Promise<void> = Promise.resolve();
  let socket: EvmRpcClient | undefined;

  let client: string | undefined;
  let clientLearned = false;
  const known = createKnownBlocks(settings.maxBackfill);
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

  // A stopped source's signal has aborted: its sleeps end at once.
  const sleep = (ms: number) => sleepUnlessAborted(ms, abort.signal);

  function backoffMs(failures: number): number {
    return Math.min(
      settings.reconnectMaxMs,
      settings.reconnectMinMs * 2 ** Math.max(0, Math.min(failures - 1, 30)),
    );
  }

  async function request(rpc: EvmRpcClient, method: string, params: readonly unknown[]) {
    await bucket.take(abort.signal);
    return rpc.request(method, params);
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
      if (isTransportErrorCode(sourceError.code)) throw sourceError;
      clientLearned = true;
      emitError(sourceError);
    }
  }

  /** Emits a new head after its unknown ancestors; returns false when the head did not change. */
  async function processHead(rpc: EvmRpcClient, block: VerifiedBlock, latencyMs?: number): Promise<boolean> {
    if (known.head()?.hash === block.hash) return false;
    const ancestors = known.has(block.hash)
      ? []
      : await fetchAncestors({
          block,
          limit: known.size() > 0 ? settings.maxBackfill : settings.initialBackfill,
          isKnown: known.has,
          isStopped: () => stopped,
          fetchBlockByHash: async (hash) =>
            (await fetchBlock(rpc, 'eth_getBlockByHash', [`0x${hash}`, false]))?.block,
          rpcUrl: rpc.url,
          onError: emitError,
        });
    for (const ancestor of ancestors) {
      if (known.has(ancestor.hash)) continue;
      emit(toBlockObservation('block', ancestor, atNode()));
      known.remember(ancestor);
    }
    emit(toBlockObservation('head', block, atNode(), latencyMs));
    known.setHead(block);
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
        if (isTransportErrorCode(sourceError.code)) unreachable ??= sourceError.code;
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
      return isTransportErrorCode(sourceError.code) ? sourceError.code : undefined;
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
    if (known.isOnHeadChain(block)) return;
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
        timeoutMs: settings.requestTimeoutMs,
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
          await sleep(settings.subscriptionCheckMs);
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
    const http = settings.fallbackUrl
      ? createEvmHttpClient({
          url: settings.fallbackUrl,
          timeoutMs: settings.requestTimeoutMs,
          maxResponseBytes: settings.maxResponseBytes,
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
        await sleep(
          Math.min(untilRetryMs, pollFailures > 0 ? backoffMs(pollFailures) : settings.pollIntervalMs),
        );
      }
    }
  }

  async function runPolling(): Promise<void> {
    const http = createEvmHttpClient({
      url,
      timeoutMs: settings.requestTimeoutMs,
      maxResponseBytes: settings.maxResponseBytes,
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
      await sleep(failures > 0 ? backoffMs(failures) : settings.pollIntervalMs);
    }
  }

  return {
    name: node,
    async start(onObservation) {
      if (!stopped) throw sourceConfigError(`source ${node} is already started`);
      stopped = false;
      abort = new AbortController();
      consumer = onObservation;
      logger.debug(
        { code: 'source_started', url: redactedUrl },
        settings.isWebSocket ? 'subscribing' : 'polling',
      );
      running = (settings.isWebSocket ? runSocket() : runPolling()).catch((error: unknown) => {
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
