import { toRedactedUrl } from '../../config/toRedactedUrl.ts';
import type { Observation } from '../../core/observation.ts';
import { readLimitedBody } from '../readLimitedBody.ts';
import { type Clock, type Source, SourceError, systemClock, toErrorObservation } from '../source.ts';
import { readServerSentEvents } from './readServerSentEvents.ts';
import {
  type BeaconHeader,
  toBeaconHeader,
  toFinalityCheckpoints,
  toFinalizedEvent,
  toGenesisTime,
  toHeadEvent,
  toNodeVersion,
  toReorgEvent,
  toSecondsPerSlot,
} from './toBeaconAnswer.ts';

export type CreateBeaconSourceParameters = {
  chain: string;
  node: string;
  /** Beacon API base URL, e.g. `http://127.0.0.1:5052`. */
  url: string;
  /** Interval of the REST poll of the head and the finality checkpoints (backs up the event stream), ms. Default 2000. */
  pollIntervalMs?: number;
  /** Time allowed for one request, ms. Default 5000. */
  requestTimeoutMs?: number;
  /** Most ancestors fetched to fill a gap or reach a fork point. Default 64. */
  maxBackfill?: number;
  /** Answers larger than this are refused, bytes. Default 1 MiB. */
  maxResponseBytes?: number;
  clock?: Clock;
};

const TOPICS = ['head', 'block', 'chain_reorg', 'finalized_checkpoint'];
const KNOWN_LIMIT = 4096;

/**
 * Watches an Ethereum consensus client through the Beacon API. The SSE stream
 * `/eth/v1/events?topics=head&topics=block&topics=chain_reorg&topics=finalized_checkpoint` gives
 * heads and finality as they happen; a REST poll of `headers/head` and
 * `states/head/finality_checkpoints` backs it up. Heads are beacon blocks: `number` is the slot,
 * `hash` the block root, `parentHash` the parent root, `timestamp` the slot's start
 * (genesis + slot * SECONDS_PER_SLOT). Unknown ancestors are fetched (`headers/{root}`) and emitted
 * as `block` observations first, so that reorgs show their common ancestor. A `chain_reorg` event
 * is not trusted as such: it only makes the source fetch the new head and its ancestors, and the
 * engine decides from the block tree. The client comes from `node/version`.
 */
export function createBeaconSource(parameters: CreateBeaconSourceParameters): Source {
  const clock = parameters.clock ?? systemClock;
  const base = parameters.url.replace(/\/+$/, '');
  const redacted = toRedactedUrl(base);
  const pollIntervalMs = parameters.pollIntervalMs ?? 2000;
  const timeoutMs = parameters.requestTimeoutMs ?? 5000;
  const maxBackfill = parameters.maxBackfill ?? 64;
  const maxResponseBytes = parameters.maxResponseBytes ?? 1 << 20;
  const known = new Map<string, bigint>();
  let lowestKnown: bigint | undefined;
  let client: string | undefined;
  let genesisTime: number | undefined;
  let secondsPerSlot: number | undefined;
  let lastHead: string | undefined;
  let lastFinalized: string | undefined;
  let lastJustified: string | undefined;
  let emit: (observation: Observation) => void = () => {};
  let running = false;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let streamAbort: AbortController | undefined;
  let stopAbort = new AbortController();
  let queue: Promise<void> = Promise.resolve();
  let streamBackoffMs = 500;

  const get = async (path: string): Promise<{ body: unknown; latencyMs: number }> => {
    const started = performance.now();
    const at = `GET ${path} from ${redacted}`;
    const latency = () => Math.round(performance.now() - started);
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stopAbort.signal]),
      });
    } catch (cause) {
      const timedOut = (cause as { name?: string }).name === 'TimeoutError';
      throw new SourceError({
        code: timedOut ? 'timeout' : 'unreachable',
        shortMessage: `${at}: ${timedOut ? 'no answer in time' : 'unreachable'}`,
        cause,
        latencyMs: latency(),
      });
    }
    const text = await readLimitedBody(response, maxResponseBytes).catch((cause: unknown) => {
      throw new SourceError({
        code: cause instanceof RangeError ? 'invalid_response' : 'unreachable',
        shortMessage: `${at}: ${cause instanceof RangeError ? 'answer too large' : 'answer cut off'}`,
        cause,
        latencyMs: latency(),
      });
    });
    if (!response.ok) {
      throw new SourceError({
        code: 'http_status',
        shortMessage: `${at}: HTTP status ${response.status}`,
        latencyMs: latency(),
      });
    }
    try {
      return { body: JSON.parse(text), latencyMs: latency() };
    } catch (cause) {
      throw new SourceError({
        code: 'invalid_response',
        shortMessage: `${at}: answer is not JSON`,
        cause,
        latencyMs: latency(),
      });
    }
  };

  const emitError = (error: unknown) => {
    if (!running) return;
    emit(
      toErrorObservation(error, {
        chain: parameters.chain,
        node: parameters.node,
        client,
        observedAtMs: clock.nowMs(),
        where: redacted,
      }),
    );
  };

  const withClient = <T extends Observation>(obs: T): T => {
    if (client !== undefined && obs.type !== 'tick') obs.client = client;
    return obs;
  };

  const ensureBasics = async () => {
    if (client === undefined)
      client = toNodeVersion((await get('/eth/v1/node/version')).body, `node/version from ${redacted}`);
    if (genesisTime === undefined)
      genesisTime = toGenesisTime((await get('/eth/v1/beacon/genesis')).body, `genesis from ${redacted}`);
    if (secondsPerSlot === undefined)
      secondsPerSlot = toSecondsPerSlot(
        (await get('/eth/v1/config/spec')).body,
        `config/spec from ${redacted}`,
      );
  };

  const fetchHeader = async (id: string): Promise<BeaconHeader & { latencyMs: number }> => {
    const { body, latencyMs } = await get(`/eth/v1/beacon/headers/${id}`);
    return { ...toBeaconHeader(body, `headers/${id.slice(0, 18)} from ${redacted}`), latencyMs };
  };

  const toBlock = (type: 'head' | 'block', header: BeaconHeader & { latencyMs: number }): Observation =>
    withClient({
      type,
      chain: parameters.chain,
      node: parameters.node,
      number: header.slot,
      hash: header.root.slice(2),
      parentHash: header.parentRoot.slice(2),
      timestamp: (genesisTime ?? 0) + Number(header.slot) * (secondsPerSlot ?? 12),
      observedAtMs: clock.nowMs(),
      latencyMs: header.latencyMs,
    });

  const remember = (root: string, slot: bigint) => {
    known.set(root, slot);
    if (lowestKnown === undefined || slot < lowestKnown) lowestKnown = slot;
    if (known.size > KNOWN_LIMIT) known.delete(known.keys().next().value as string);
  };

  const onHead = async (root: string) => {
    await ensureBasics();
    if (root === lastHead) return;
    const head = await fetchHeader(root);
    const missing: Array<BeaconHeader & { latencyMs: number }> = [];
    let cursor = head;
    while (
      known.size > 0 &&
      !known.has(cursor.parentRoot) &&
      lowestKnown !== undefined &&
      cursor.slot > lowestKnown &&
      missing.length < maxBackfill &&
      cursor.slot > 0n
    ) {
      cursor = await fetchHeader(cursor.parentRoot);
      missing.push(cursor);
    }
    for (const ancestor of missing.reverse()) {
      emit(toBlock('block', ancestor));
      remember(ancestor.root, ancestor.slot);
    }
    emit(toBlock('head', head));
    remember(head.root, head.slot);
    lastHead = root;
  };

  const onCheckpoint = async (kind: 'finalized' | 'justified', epoch: number, root: string) => {
    if (kind === 'finalized' ? root === lastFinalized : root === lastJustified) return;
    await ensureBasics();
    const obs: Observation = withClient({
      type: 'checkpoint',
      chain: parameters.chain,
      node: parameters.node,
      kind,
      epoch,
      hash: root.slice(2),
      observedAtMs: clock.nowMs(),
    });
    if (!/^0x0{64}$/.test(root)) {
      // The checkpoint stands without its slot; the bad answer is reported.
      const header = await fetchHeader(root).catch((error: unknown) => {
        emitError(error);
        return undefined;
      });
      if (header) obs.number = header.slot;
    }
    emit(obs);
    if (kind === 'finalized') lastFinalized = root;
    else lastJustified = root;
  };

  /** Runs one task at a time, in order, so observations keep the node's order. */
  const enqueue = (task: () => Promise<void>) => {
    queue = queue.then(() => (running ? task().catch(emitError) : undefined));
    return queue;
  };

  const poll = async () => {
    await enqueue(async () => {
      const head = await fetchHeader('head');
      await onHead(head.root);
      const cps = toFinalityCheckpoints(
        (await get('/eth/v1/beacon/states/head/finality_checkpoints')).body,
        `finality_checkpoints from ${redacted}`,
      );
      await onCheckpoint('justified', cps.justified.epoch, cps.justified.root);
      await onCheckpoint('finalized', cps.finalized.epoch, cps.finalized.root);
    });
    if (running) pollTimer = setTimeout(poll, pollIntervalMs);
  };

  const stream = async () => {
    while (running) {
      streamAbort = new AbortController();
      try {
        const query = TOPICS.map((t) => `topics=${t}`).join('&');
        const response = await fetch(`${base}/eth/v1/events?${query}`, {
          headers: { accept: 'text/event-stream' },
          signal: AbortSignal.any([streamAbort.signal, stopAbort.signal]),
        });
        if (!response.ok || !response.body) {
          throw new SourceError({
            code: 'http_status',
            shortMessage: `event stream from ${redacted}: HTTP status ${response.status}`,
          });
        }
        streamBackoffMs = 500;
        for await (const event of readServerSentEvents(
          response.body as unknown as AsyncIterable<Uint8Array>,
        )) {
          const where = `${event.event} event from ${redacted}`;
          let data: unknown;
          try {
            data = JSON.parse(event.data);
          } catch (cause) {
            emitError(
              new SourceError({
                code: 'invalid_response',
                shortMessage: `${where}: data is not JSON`,
                cause,
              }),
            );
            continue;
          }
          try {
            if (event.event === 'head' || event.event === 'block') {
              const { root } = toHeadEvent(data, where);
              if (event.event === 'head') void enqueue(() => onHead(root));
            } else if (event.event === 'finalized_checkpoint') {
              const cp = toFinalizedEvent(data, where);
              void enqueue(() => onCheckpoint('finalized', cp.epoch, cp.root));
            } else if (event.event === 'chain_reorg') {
              const reorg = toReorgEvent(data, where);
              void enqueue(() => onHead(reorg.newHead));
            }
          } catch (error) {
            emitError(error);
          }
        }
        if (running)
          throw new SourceError({
            code: 'unreachable',
            shortMessage: `event stream from ${redacted}: closed by the node`,
          });
      } catch (error) {
        if (!running) return;
        emitError(
          error instanceof SourceError
            ? error
            : new SourceError({
                code: error instanceof RangeError ? 'invalid_response' : 'unreachable',
                shortMessage: `event stream from ${redacted}: ${error instanceof RangeError ? 'line too long' : 'unreachable'}`,
                cause: error,
              }),
        );
        await new Promise((resolve) => setTimeout(resolve, streamBackoffMs));
        streamBackoffMs = Math.min(streamBackoffMs * 2, 30_000);
      }
    }
  };

  return {
    name: parameters.node,
    async start(onObservation) {
      emit = onObservation;
      running = true;
      stopAbort = new AbortController();
      void stream();
      pollTimer = setTimeout(poll, 0);
    },
    async stop() {
      running = false;
      if (pollTimer) clearTimeout(pollTimer);
      stopAbort.abort();
      streamAbort?.abort();
      await queue.catch(() => undefined);
      emit = () => {};
    },
  };
}
