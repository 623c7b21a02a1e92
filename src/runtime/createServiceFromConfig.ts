import type { GuardConfig, OnchainSinkConfig } from '../config/parseConfig.ts';
import { type Logger, silentLogger } from '../log/createLogger.ts';
import { createKeeperHeartbeat, type KeeperHeartbeat } from '../sinks/onchain/createKeeperHeartbeat.ts';
import {
  type CreateOnchainGuardSinkParameters,
  createOnchainGuardSink,
} from '../sinks/onchain/createOnchainGuardSink.ts';
import type { Sink } from '../sinks/sink.ts';
import { createWebhookSink } from '../sinks/webhook/createWebhookSink.ts';
import type { Clock, Source } from '../sources/source.ts';
import { openStore } from '../store/openStore.ts';
import type { Store } from '../store/store.ts';
import { type StoreTarget, toStoreDisplay } from '../store/toStoreTarget.ts';
import {
  type ClusterOptions,
  type CreateServiceParameters,
  createService,
  type Service,
} from './createService.ts';
import { createSources } from './createSources.ts';
import { createStateProofBook, type StateProofBook } from './createStateProofBook.ts';
import { createStateProofSources } from './createStateProofSources.ts';
import type { ServiceLogEntry } from './log/serviceLogEntry.ts';
import { toServiceLog } from './log/toServiceLog.ts';

export type CreateServiceFromConfigParameters = {
  config: GuardConfig;
  /** The store; default the config's `store:` section (SQLite in `store.dataDir`, then `./.data`;
   * or PostgreSQL at the URL of `store.urlEnv`; or memory). */
  store?: StoreTarget;
  /** SQLite in this data directory (instead of `store`). */
  dataDir?: string;
  /** Sources to watch instead of the config's nodes (the demo, tests); no state proofs are run then. */
  sources?: Source[];
  /** Sinks beside the configured ones. */
  extraSinks?: Sink[];
  clock?: Clock;
  tickIntervalMs?: number;
  /** The process's logger: the service, the sources and the sinks log through children of it,
   * each with its `component`. Default: none (nothing is logged). */
  logger?: Logger;
  /** Also receives every entry of the service and of the on-chain keepers (tests). */
  log?: CreateServiceParameters['log'];
  onObservation?: CreateServiceParameters['onObservation'];
  onStoreWrite?: CreateServiceParameters['onStoreWrite'];
  /** Run as a member of a cluster on a PostgreSQL store (ignored for SQLite and memory, where the
   * one guard is always the leader). */
  cluster?: ClusterOptions;
};

export type CreateServiceFromConfigReturnType = {
  service: Service;
  store: Store;
  /** The store opened, and how to print it (a directory, a redacted URL, `memory:`). */
  target: StoreTarget;
  display: string;
  /** The last verified state of the configured accounts (`stateProofs`), for the API and the oracle. */
  stateProofs: StateProofBook;
  /** The heartbeat schedule of each on-chain keeper (`heartbeatIntervalMs` > 0), run by the service
   * while it leads (`leaderTasks`): started when it becomes the leader (at start for a lone guard),
   * stopped when it steps down, is fenced or stops. */
  heartbeats: readonly KeeperHeartbeat[];
  /** Stops the heartbeats and the service, and closes the store. */
  close(): Promise<void>;
};

/**
 * The durable guard of a configuration file: its store (SQLite, PostgreSQL or memory), the
 * configured nodes as sources and the configured sinks: webhooks (each told the chains of the
 * breaker it reports) and on-chain guard keepers, and the state-proof checks of every EVM node of
 * a chain with `stateProofs` (their values in `stateProofs`). Not started: call `service.start()`. Throws an
 * `OnchainGuardError` (`config`) when a keeper cannot be built, before the store is opened, and a
 * `StoreError` when the store cannot be opened (`store_locked` when another guard holds it).
 */
export async function createServiceFromConfig(
  parameters: CreateServiceFromConfigParameters,
): Promise<CreateServiceFromConfigReturnType> {
  const { config } = parameters;
  const logger = parameters.logger ?? silentLogger;
  // The keepers' entries name their sink.
  const sinkLog = toServiceLog(logger.child({ component: 'sink' }), parameters.log);
  const target = parameters.store ?? toConfigStoreTarget(config, parameters.dataDir);
  let service: Service | undefined;
  const chainsOf = (breaker: string) => service?.engine().breakers.get(breaker)?.chains ?? [breaker];
  const heartbeats: KeeperHeartbeat[] = [];
  const sinks: Sink[] = config.sinks.map((sink) => {
    if (sink.kind === 'onchain') {
      const keeper = toOnchainSink(sink, sinkLog);
      if (sink.heartbeatIntervalMs !== 0) {
        heartbeats.push(
          createKeeperHeartbeat({
            // Only an instance that may act sends: a leader back from a pause past its lease sends
            // nothing before it has learnt whether it was replaced.
            sink: {
              heartbeat: async () => {
                if (service !== undefined && !service.canAct()) return;
                await keeper.heartbeat();
              },
            },
            ...(sink.heartbeatIntervalMs === undefined ? {} : { intervalMs: sink.heartbeatIntervalMs }),
            onError: (error) =>
              sinkLog({
                level: 'warn',
                code: 'onchain_heartbeat_failed',
                message: `heartbeat to ${sink.guardAddress} failed: ${(error as Error).message}`,
                sink: sink.name,
                errorCode: (error as { code?: unknown }).code,
              }),
          }),
        );
      }
      return keeper;
    }
    const webhook: Parameters<typeof createWebhookSink>[0] = {
      name: sink.name,
      url: sink.url,
      shape: sink.shape,
      context: (transition) => ({ chains: chainsOf(transition.breaker) }),
      logger: logger.child({ component: 'sink', sink: sink.name }),
    };
    if (sink.secret !== undefined) webhook.secret = sink.secret;
    if (sink.routingKey !== undefined) webhook.routingKey = sink.routingKey;
    if (sink.timeoutMs !== undefined) webhook.timeoutMs = sink.timeoutMs;
    return createWebhookSink(webhook);
  });
  const clustered = target.kind === 'postgres' ? parameters.cluster : undefined;
  const store = await openStore(target, clustered === undefined ? {} : { instance: clustered.instance });
  const stateProofs = createStateProofBook(parameters.sources ? {} : config.stateProofs);
  const sources = parameters.sources ?? [
    ...Object.entries(config.nodes).flatMap(([chain, nodes]) => createSources(chain, nodes, logger)),
    ...Object.entries(config.stateProofs).flatMap(([chain, proofs]) =>
      createStateProofSources({
        chain,
        nodes: config.nodes[chain] ?? [],
        config: proofs,
        book: stateProofs,
        getChain: () => service?.engine().chains.get(chain),
      }),
    ),
  ];
  const serviceParameters: CreateServiceParameters = {
    engine: config.engine,
    sources,
    sinks: [...sinks, ...(parameters.extraSinks ?? [])],
    store,
    leaderTasks: heartbeats,
    logger,
  };
  if (parameters.clock !== undefined) serviceParameters.clock = parameters.clock;
  if (parameters.tickIntervalMs !== undefined) serviceParameters.tickIntervalMs = parameters.tickIntervalMs;
  if (parameters.log !== undefined) serviceParameters.log = parameters.log;
  if (parameters.onObservation !== undefined) serviceParameters.onObservation = parameters.onObservation;
  if (parameters.onStoreWrite !== undefined) serviceParameters.onStoreWrite = parameters.onStoreWrite;
  if (clustered !== undefined) serviceParameters.cluster = clustered;
  try {
    service = createService(serviceParameters);
  } catch (error) {
    await store.close();
    throw error;
  }
  const created = service;
  return {
    service: created,
    store,
    target,
    display: toStoreDisplay(target),
    stateProofs,
    heartbeats,
    async close() {
      try {
        await Promise.all(heartbeats.map((heartbeat) => heartbeat.stop()));
        await created.stop();
      } finally {
        await store.close();
      }
    },
  };
}

/** The store of a config file's `store:` section, or SQLite in `dataDir`. */
function toConfigStoreTarget(config: GuardConfig, dataDir: string | undefined): StoreTarget {
  if (dataDir !== undefined) return { kind: 'sqlite', dataDir };
  const { kind, url, displayUrl } = config.store;
  if (kind === 'memory') return { kind: 'memory' };
  if (kind === 'postgres' && url !== undefined && displayUrl !== undefined)
    return { kind: 'postgres', url, displayUrl };
  return { kind: 'sqlite', dataDir: config.store.dataDir ?? './.data' };
}

/** The keeper of a configured on-chain guard; its entries go to `log`. */
function toOnchainSink(sink: OnchainSinkConfig, log: (entry: ServiceLogEntry) => void) {
  const onchain: CreateOnchainGuardSinkParameters = {
    name: sink.name,
    rpcUrl: sink.rpcUrl,
    guardAddress: sink.guardAddress,
    privateKeyEnv: sink.privateKeyEnv,
    env: { [sink.privateKeyEnv]: sink.privateKey },
    markets: sink.markets,
  };
  if (sink.confirmations !== undefined) onchain.confirmations = sink.confirmations;
  if (sink.timeoutMs !== undefined) onchain.timeoutMs = sink.timeoutMs;
  onchain.log = (entry) => {
    switch (entry.type) {
      case 'applied':
        log({
          level: 'info',
          code: 'onchain_applied',
          message: `${entry.breaker} at level ${entry.level} on ${sink.guardAddress} (seq ${entry.seq})`,
          sink: sink.name,
          breaker: entry.breaker,
          market: entry.market,
          seq: entry.seq,
          txHash: entry.txHash,
          blockNumber: Number(entry.blockNumber),
        });
        break;
      case 'already_applied':
        log({
          level: 'info',
          code: 'onchain_already_applied',
          message: `${entry.breaker} seq ${entry.seq} or a later transition is already on ${sink.guardAddress}`,
          sink: sink.name,
          breaker: entry.breaker,
          market: entry.market,
          seq: entry.seq,
        });
        break;
      case 'heartbeat':
        log({
          level: 'info',
          code: 'onchain_heartbeat',
          message: `heartbeat on ${sink.guardAddress} at ${entry.atSeconds} (block ${entry.blockNumber}, ${entry.gasUsed} gas)`,
          sink: sink.name,
          txHash: entry.txHash,
          blockNumber: Number(entry.blockNumber),
          gasUsed: Number(entry.gasUsed),
        });
        break;
      case 'unmapped':
        log({
          level: 'warn',
          code: 'onchain_unmapped',
          message: `breaker ${entry.breaker} has no market in sink ${sink.name}: transition seq ${entry.seq} not written on chain`,
          sink: sink.name,
          breaker: entry.breaker,
          seq: entry.seq,
        });
        break;
    }
  };
  return createOnchainGuardSink(onchain);
}
