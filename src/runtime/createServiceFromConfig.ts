import type { GuardConfig } from '../config/parseConfig.ts';
import type { Sink } from '../sinks/sink.ts';
import { createWebhookSink } from '../sinks/webhook/createWebhookSink.ts';
import type { Clock, Source } from '../sources/source.ts';
import { openSqliteStore } from '../store/sqlite/openSqliteStore.ts';
import type { Store } from '../store/store.ts';
import { type CreateServiceParameters, createService, type Service } from './createService.ts';
import { createSources } from './createSources.ts';

export type CreateServiceFromConfigParameters = {
  config: GuardConfig;
  /** Data directory of the store; default the config's `store.dataDir`, then `./.data`. */
  dataDir?: string;
  /** Sources to watch instead of the config's nodes (the demo, tests). */
  sources?: Source[];
  /** Sinks beside the configured webhooks (e.g. the on-chain guard). */
  extraSinks?: Sink[];
  clock?: Clock;
  tickIntervalMs?: number;
  log?: CreateServiceParameters['log'];
  onObservation?: CreateServiceParameters['onObservation'];
};

export type CreateServiceFromConfigReturnType = {
  service: Service;
  store: Store;
  dataDir: string;
  /** Stops the service and closes the store. */
  close(): Promise<void>;
};

/**
 * The durable guard of a configuration file: the SQLite store in the data directory, the
 * configured nodes as sources and the configured webhooks as sinks (each told the chains of the
 * breaker it reports). Not started: call `service.start()`. Throws a `StoreError` when the store
 * cannot be opened (`store_locked` when another guard holds it).
 */
export async function createServiceFromConfig(
  parameters: CreateServiceFromConfigParameters,
): Promise<CreateServiceFromConfigReturnType> {
  const { config } = parameters;
  const dataDir = parameters.dataDir ?? config.store.dataDir ?? './.data';
  const store = await openSqliteStore({ dataDir });
  const sources =
    parameters.sources ??
    Object.entries(config.nodes).flatMap(([chain, nodes]) => createSources(chain, nodes));
  let service: Service | undefined;
  const chainsOf = (breaker: string) => service?.engine().breakers.get(breaker)?.chains ?? [breaker];
  const sinks: Sink[] = config.sinks.map((sink) => {
    const webhook: Parameters<typeof createWebhookSink>[0] = {
      name: sink.name,
      url: sink.url,
      shape: sink.shape,
      context: (transition) => ({ chains: chainsOf(transition.breaker) }),
    };
    if (sink.secret !== undefined) webhook.secret = sink.secret;
    if (sink.routingKey !== undefined) webhook.routingKey = sink.routingKey;
    if (sink.timeoutMs !== undefined) webhook.timeoutMs = sink.timeoutMs;
    return createWebhookSink(webhook);
  });
  const serviceParameters: CreateServiceParameters = {
    engine: config.engine,
    sources,
    sinks: [...sinks, ...(parameters.extraSinks ?? [])],
    store,
  };
  if (parameters.clock !== undefined) serviceParameters.clock = parameters.clock;
  if (parameters.tickIntervalMs !== undefined) serviceParameters.tickIntervalMs = parameters.tickIntervalMs;
  if (parameters.log !== undefined) serviceParameters.log = parameters.log;
  if (parameters.onObservation !== undefined) serviceParameters.onObservation = parameters.onObservation;
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
    dataDir,
    async close() {
      try {
        await created.stop();
      } finally {
        await store.close();
      }
    },
  };
}
