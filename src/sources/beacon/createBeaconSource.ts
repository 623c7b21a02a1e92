import { toRedactedUrl } from '../../config/toRedactedUrl.ts';
import type { Observation } from '../../core/observation.ts';
import { silentLogger } from '../../log/createLogger.ts';
import { type Source, SourceError, systemClock, toErrorObservation } from '../source.ts';
import { createBeaconLightClient } from './createBeaconLightClient.ts';
import type { CreateBeaconSourceParameters } from './createBeaconSourceParameters.ts';
import type { VerifiedHeader } from './createLightClientVerifier.ts';
import { fetchBeaconJson } from './fetchBeaconJson.ts';
import { readServerSentEvents } from './readServerSentEvents.ts';
import {
  type BeaconHeader,
  toBeaconHeader,
  toData,
  toFinalityCheckpoints,
  toFinalizedEvent,
  toGenesisTime,
  toGenesisValidatorsRoot,
  toHeadEvent,
  toNodeVersion,
  toReorgEvent,
  toSecondsPerSlot,
} from './toBeaconAnswer.ts';

export type { CreateBeaconSourceParameters } from './createBeaconSourceParameters.ts';

const TOPICS = ['head', 'block', 'chain_reorg', 'finalized_checkpoint'];
const LIGHT_CLIENT_TOPICS = ['light_client_optimistic_update', 'light_client_finality_update'];
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
 *
 * With `trustedCheckpointRoot`, the node is checked with the Altair light-client protocol: a head is
 * the attested header of an optimistic update the sync committee signed (events
 * `light_client_optimistic_update`, or `light_client/optimistic_update` on a head event and on each
 * poll), its ancestors are accepted only if each hashes to its child's parent root, and the finalized
 * checkpoint is the finalized header of a verified finality update. Committees of later periods come
 * from `light_client/updates`. What fails is not emitted: an `error` with code `light_client` is.
 */
export function createBeaconSource(parameters: CreateBeaconSourceParameters): Source {
  const clock = parameters.clock ?? systemClock;
  const logger = parameters.logger ?? silentLogger;
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
  let spec: Record<string, unknown> | undefined;
  let genesisValidatorsRoot: string | undefined;
  const trusted = parameters.trustedCheckpointRoot?.toLowerCase();
  let lastHead: string | undefined;
  let lastHeadSlot: bigint | undefined;
  let lastFinalized: string | undefined;
  let lastJustified: string | undefined;
  let emit: (observation: Observation) => void = () => {};
  let running = false;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let streamAbort: AbortController | undefined;
  let stopAbort = new AbortController();
  let queue: Promise<void> = Promise.resolve();
  let streamBackoffMs = 500;

  const get = (path: string) =>
    fetchBeaconJson(path, { base, redacted, timeoutMs, maxResponseBytes, signal: stopAbort.signal });

  const emitError = (error: unknown) => {
    if (!running) return;
    const observation = toErrorObservation(error, {
      chain: parameters.chain,
      node: parameters.node,
      client,
      observedAtMs: clock.nowMs(),
      where: redacted,
    });
    logger.debug({ code: 'source_error', errorCode: observation.code }, observation.message);
    emit(observation);
  };

  const withClient = <T extends Observation>(obs: T): T => {
    if (client !== undefined && obs.type !== 'tick') obs.client = client;
    return obs;
  };

  const ensureBasics = async () => {
    if (client === undefined)
      client = toNodeVersion((await get('/eth/v1/node/version')).body, `node/version from ${redacted}`);
    if (genesisTime === undefined) {
      const { body } = await get('/eth/v1/beacon/genesis');
      genesisTime = toGenesisTime(body, `genesis from ${redacted}`);
      if (trusted) genesisValidatorsRoot = toGenesisValidatorsRoot(body, `genesis from ${redacted}`);
    }
    if (secondsPerSlot === undefined) {
      const { body } = await get('/eth/v1/config/spec');
      secondsPerSlot = toSecondsPerSlot(body, `config/spec from ${redacted}`);
      spec = (body as { data: Record<string, unknown> }).data;
    }
  };

  /** The slot of the clock, one ahead for clock disparity (an update may not come from the future). */
  const currentSlot = () =>
    Math.floor((clock.nowMs() / 1000 - (genesisTime ?? 0)) / (secondsPerSlot ?? 12)) + 1;

  const lightClient = createBeaconLightClient({
    trustedCheckpointRoot: trusted ?? '',
    redacted,
    get,
    basics: async () => {
      await ensureBasics();
      return { spec: spec ?? {}, genesisValidatorsRoot: genesisValidatorsRoot ?? '' };
    },
    currentSlot,
  });

  const onOptimisticUpdate = async (update: unknown, what: string) =>
    onVerifiedHead(await lightClient.verifyOptimistic(update, what));

  const onFinalityUpdate = async (update: unknown, what: string) => {
    const { finalized, slotsPerEpoch } = await lightClient.verifyFinality(update, what);
    if (finalized.root === lastFinalized || /^0x0{64}$/.test(finalized.root)) return;
    emit(
      withClient({
        type: 'checkpoint',
        chain: parameters.chain,
        node: parameters.node,
        kind: 'finalized',
        epoch: Math.ceil(Number(finalized.slot) / slotsPerEpoch),
        hash: finalized.root.slice(2),
        number: finalized.slot,
        observedAtMs: clock.nowMs(),
      }),
    );
    lastFinalized = finalized.root;
  };

  const pollVerified = async () => {
    const optimistic = await get('/eth/v1/beacon/light_client/optimistic_update');
    await onOptimisticUpdate(toData(optimistic.body), 'light_client/optimistic_update');
    const finality = await get('/eth/v1/beacon/light_client/finality_update');
    await onFinalityUpdate(toData(finality.body), 'light_client/finality_update');
  };

  const fetchHeader = async (id: string): Promise<BeaconHeader & { latencyMs: number }> => {
    const { body, latencyMs } = await get(`/eth/v1/beacon/headers/${id}`);
    const header = toBeaconHeader(body, `headers/${id.slice(0, 18)} from ${redacted}`);
    const verifier = lightClient.verifier();
    if (verifier && id.startsWith('0x')) {
      // An ancestor of a verified header is accepted only if it hashes to the root asked for.
      const message = (body as { data: { header: { message: unknown } } }).data.header.message;
      const root = verifier.toHeaderRoot(message);
      if (root !== id.toLowerCase())
        throw new SourceError({
          code: 'light_client',
          shortMessage: `headers/${id.slice(0, 18)} from ${redacted}: light-client check failed: the header hashes to ${root}, not to the root asked for`,
          latencyMs,
        });
    }
    return { ...header, latencyMs };
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
    await onHeadHeader(await fetchHeader(root));
  };

  /** A verified head older than the last one (an update that arrives late) is not a step back. */
  const onVerifiedHead = async (header: VerifiedHeader) => {
    if (header.root === lastHead || (lastHeadSlot !== undefined && header.slot < lastHeadSlot)) return;
    await onHeadHeader({ root: header.root, slot: header.slot, parentRoot: header.parentRoot, latencyMs: 0 });
  };

  const onHeadHeader = async (head: BeaconHeader & { latencyMs: number }) => {
    const root = head.root;
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
    lastHeadSlot = head.slot;
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
      // Verified: the light client proves no justified checkpoint, so none is emitted.
      if (trusted) return pollVerified();
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
        const topics = trusted ? [...TOPICS, ...LIGHT_CLIENT_TOPICS] : TOPICS;
        const query = topics.map((t) => `topics=${t}`).join('&');
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
        logger.info({ code: 'source_subscribed', url: redacted }, 'event stream open');
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
            if (event.event === 'light_client_optimistic_update') {
              if (trusted) void enqueue(() => onOptimisticUpdate(data, `${event.event} event`));
            } else if (event.event === 'light_client_finality_update') {
              if (trusted) void enqueue(() => onFinalityUpdate(data, `${event.event} event`));
            } else if (event.event === 'head' || event.event === 'block') {
              const { root } = toHeadEvent(data, where);
              // Verified: a new head is taken only from a signed update (the next one signs this head).
              if (event.event === 'head' && !trusted) void enqueue(() => onHead(root));
            } else if (event.event === 'finalized_checkpoint') {
              const cp = toFinalizedEvent(data, where);
              if (trusted)
                void enqueue(async () =>
                  onFinalityUpdate(
                    toData((await get('/eth/v1/beacon/light_client/finality_update')).body),
                    'light_client/finality_update',
                  ),
                );
              else void enqueue(() => onCheckpoint('finalized', cp.epoch, cp.root));
            } else if (event.event === 'chain_reorg') {
              const reorg = toReorgEvent(data, where);
              if (trusted)
                void enqueue(async () =>
                  onOptimisticUpdate(
                    toData((await get('/eth/v1/beacon/light_client/optimistic_update')).body),
                    'light_client/optimistic_update',
                  ),
                );
              else void enqueue(() => onHead(reorg.newHead));
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
        logger.warn(
          { code: 'source_reconnect', url: redacted, retryInMs: streamBackoffMs },
          'event stream ended; reconnecting',
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
