import { Counter, collectDefaultMetrics, Gauge, Histogram, type Registry } from 'prom-client';
import { LEVELS, levelRank } from '../breaker/levels.ts';
import type { ChainState, NodeView } from '../core/chainView.ts';
import type { Observation } from '../core/observation.ts';
import type { ServiceStoreStats, ServiceView } from '../runtime/serviceView.ts';
import { registerStoreMetrics } from './registerStoreMetrics.ts';

export type CreateMetricsParameters = {
  /** The app's own registry (never prom-client's global one). */
  registry: Registry;
  view: ServiceView;
  /** Also register Node.js process metrics (`process_*`, `nodejs_*`). Default true. */
  processMetrics?: boolean;
};

/**
 * The guard's Prometheus metrics. Gauges are computed at scrape time from `view.engine()`;
 * counters and histograms follow `view.subscribe` (signals, transitions) and `observe`
 * (observations: RPC latency, node errors), which the runtime calls for every observation.
 */
export type Metrics = {
  registry: Registry;
  /** Records what an observation measured: RPC latency and node errors. */
  observe(observation: Observation): void;
  /** The last RPC latency measured at a node, ms. */
  lastLatencyMs(chain: string, node: string): number | undefined;
  /** Records the duration of one commit of the event log, ms. */
  observeStoreWrite(durationMs: number): void;
  /** Counts an answered HTTP request (route pattern, method, status). */
  countRequest(route: string, method: string, status: number): void;
  /** Stops following the view. */
  close(): void;
};

const PREFIX = 'consensus_guard_';

/** Bucket bounds of the RPC latency histogram, seconds. */
export const RPC_LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];
/** Bucket bounds of the store write (commit) latency histogram, seconds. */
export const STORE_WRITE_BUCKETS_SECONDS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
];
/** Bucket bounds of the reorg depth histogram, blocks. */
export const REORG_DEPTH_BUCKETS_BLOCKS = [1, 2, 3, 5, 7, 10, 20, 50, 100, 200];

export function createMetrics(parameters: CreateMetricsParameters): Metrics {
  const { registry, view } = parameters;
  const registers = [registry];
  const latencies = new Map<string, number>();
  const nodeKey = (chain: string, node: string) => `${chain}\u0000${node}`;

  /** A gauge read from the engine at each scrape: one series per value that `fill` sets. */
  const engineGauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    fill: (set: (labels: Record<L, string>, value: number) => void) => void,
  ) =>
    new Gauge({
      name: `${PREFIX}${name}`,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        fill((labels, value) => this.set(labels, value));
      },
    });
  const nodeGauge = (
    name: string,
    help: string,
    read: (chain: ChainState, node: NodeView) => number | undefined,
  ) =>
    engineGauge(name, help, ['chain', 'node'], (set) => {
      for (const chain of view.engine().chains.values())
        for (const node of chain.nodes.values()) {
          const value = read(chain, node);
          if (value !== undefined) set({ chain: chain.name, node: node.name }, value);
        }
    });
  const chainGauge = (name: string, help: string, read: (chain: ChainState) => number | undefined) =>
    engineGauge(name, help, ['chain'], (set) => {
      for (const chain of view.engine().chains.values()) {
        const value = read(chain);
        if (value !== undefined) set({ chain: chain.name }, value);
      }
    });

  nodeGauge('node_head_height', 'Height of the head block each node follows.', (_, node) =>
    node.head ? Number(node.head.number) : undefined,
  );
  nodeGauge(
    'node_lag_blocks',
    'Canonical head height minus the node head height (0 when on or ahead of it).',
    (chain, node) => {
      if (!chain.canonical || !node.head) return undefined;
      const lag = chain.canonical.number - node.head.number;
      return lag > 0n ? Number(lag) : 0;
    },
  );
  nodeGauge(
    'node_head_minus_finalized_blocks',
    'Node head height minus the height of the finalized checkpoint it reports.',
    (_, node) => {
      const finalized = node.checkpoints.finalized?.number;
      return node.head && finalized !== undefined ? Number(node.head.number - finalized) : undefined;
    },
  );
  nodeGauge(
    'node_up',
    '1 when the node takes part in the canonical choice (reachable, no integrity failure), else 0.',
    (chain, node) => {
      const down =
        node.integrityFailedAtMs !== undefined ||
        (node.failingSinceMs !== undefined && chain.nowMs - node.failingSinceMs >= chain.params.lag.graceMs);
      return down ? 0 : 1;
    },
  );
  const rpcLatency = new Histogram({
    name: `${PREFIX}node_rpc_latency_seconds`,
    help: 'Round trip of the requests made to each node.',
    labelNames: ['chain', 'node'] as const,
    buckets: RPC_LATENCY_BUCKETS_SECONDS,
    registers,
  });
  const nodeErrors = new Counter({
    name: `${PREFIX}node_errors_total`,
    help: 'Failed requests and invalid answers, per node.',
    labelNames: ['chain', 'node'] as const,
    registers,
  });
  chainGauge('chain_head_height', 'Height of the canonical head.', (chain) =>
    chain.canonical ? Number(chain.canonical.number) : undefined,
  );
  chainGauge('chain_finalized_height', 'Height of the finalized checkpoint.', (chain) =>
    chain.finalized?.number !== undefined ? Number(chain.finalized.number) : undefined,
  );
  chainGauge(
    'chain_seconds_since_last_head',
    'Time since the canonical head last advanced (engine time), seconds.',
    (chain) => Math.max(0, chain.nowMs - chain.canonicalAdvancedAtMs) / 1000,
  );
  chainGauge(
    'chain_finality_age_seconds',
    'Time since the finalized checkpoint last advanced (engine time), seconds.',
    (chain) => (chain.finalized ? Math.max(0, chain.nowMs - chain.finalizedAdvancedAtMs) / 1000 : undefined),
  );
  chainGauge(
    'chain_conditions_active',
    'Conditions currently raised on the chain (liveness, finality, divergence, lag).',
    (chain) => chain.conditions.size,
  );
  const reorgDepth = new Histogram({
    name: `${PREFIX}chain_reorg_depth_blocks`,
    help: 'Depth of reorganizations (blocks replaced), of the canonical chain (scope chain) or a node.',
    labelNames: ['chain', 'scope'] as const,
    buckets: REORG_DEPTH_BUCKETS_BLOCKS,
    registers,
  });
  engineGauge(
    'breaker_level',
    `Breaker level as its rank: ${LEVELS.map((level, rank) => `${rank} ${level}`).join(', ')}.`,
    ['breaker'],
    (set) => {
      for (const breaker of view.engine().breakers.values())
        set({ breaker: breaker.name }, levelRank(breaker.level));
    },
  );
  engineGauge(
    'breaker_state',
    '1 for the level each breaker is at, 0 for the other levels.',
    ['breaker', 'level'],
    (set) => {
      for (const breaker of view.engine().breakers.values())
        for (const level of LEVELS) set({ breaker: breaker.name, level }, breaker.level === level ? 1 : 0);
    },
  );
  engineGauge(
    'breaker_overridden',
    '1 while a manual override pins the breaker, else 0.',
    ['breaker'],
    (set) => {
      for (const breaker of view.engine().breakers.values())
        set({ breaker: breaker.name }, breaker.override ? 1 : 0);
    },
  );
  // The commit buffer (docs/service.md, "When the store cannot write"): computed at scrape time.
  engineGauge('store_pending_events', 'Inputs waiting for a store commit.', [], (set) => {
    const stats = view.storeStats?.();
    if (stats) set({}, stats.pendingEvents);
  });
  engineGauge(
    'store_pending_events_max',
    'Bound of the inputs waiting for a store commit (maxPendingEvents).',
    [],
    (set) => {
      const stats = view.storeStats?.();
      if (stats) set({}, stats.maxPendingEvents);
    },
  );
  engineGauge(
    'store_buffer_full',
    '1 while the commit buffer is full and observations are dropped, else 0.',
    [],
    (set) => {
      const stats = view.storeStats?.();
      if (stats) set({}, stats.pendingEvents >= stats.maxPendingEvents ? 1 : 0);
    },
  );
  // Totals the service keeps in its stats, exposed as counters at scrape time.
  const statsCounter = (name: string, help: string, pick: (stats: ServiceStoreStats) => number): void => {
    new Counter({
      name: `${PREFIX}${name}`,
      help,
      registers,
      collect() {
        const stats = view.storeStats?.();
        if (!stats) return;
        this.reset();
        this.inc(pick(stats));
      },
    });
  };
  statsCounter(
    'store_dropped_observations_total',
    'Observations dropped, not stepped, because the commit buffer was full.',
    (stats) => stats.droppedObservations,
  );
  statsCounter(
    'store_write_failures_total',
    'Store commits that failed (each is retried).',
    (stats) => stats.storeWriteFailures,
  );
  statsCounter(
    'delivery_failures_total',
    'Delivery attempts to a sink that failed (each is retried with backoff).',
    (stats) => stats.failedDeliveries,
  );
  const storeWrite = new Histogram({
    name: `${PREFIX}store_write_duration_seconds`,
    help: 'Duration of each commit of the event log (events, signals, transitions, outbox rows, fence check).',
    buckets: STORE_WRITE_BUCKETS_SECONDS,
    registers,
  });
  registerStoreMetrics({ view, registers, prefix: PREFIX });
  const signals = new Counter({
    name: `${PREFIX}signals_total`,
    help: 'Signals raised, by chain, kind and severity.',
    labelNames: ['chain', 'kind', 'severity'] as const,
    registers,
  });
  const transitions = new Counter({
    name: `${PREFIX}breaker_transitions_total`,
    help: 'Breaker transitions, by breaker, level reached and mode (auto or manual).',
    labelNames: ['breaker', 'to', 'mode'] as const,
    registers,
  });
  const requests = new Counter({
    name: `${PREFIX}http_requests_total`,
    help: 'HTTP requests answered, by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers,
  });
  if (parameters.processMetrics !== false) collectDefaultMetrics({ register: registry });

  const unsubscribe = view.subscribe((event) => {
    if (event.type === 'signal') {
      const signal = event.signal;
      signals.inc({ chain: signal.chain, kind: signal.kind, severity: signal.severity });
      if (signal.kind === 'reorg')
        reorgDepth.observe({ chain: signal.chain, scope: signal.scope }, signal.depth);
    } else {
      const t = event.transition;
      transitions.inc({ breaker: t.breaker, to: t.to, mode: t.mode });
    }
  });

  return {
    registry,
    observe(observation) {
      if (observation.type === 'tick') return;
      const labels = { chain: observation.chain, node: observation.node };
      if (observation.type === 'error') nodeErrors.inc(labels);
      if ('latencyMs' in observation && observation.latencyMs !== undefined) {
        rpcLatency.observe(labels, observation.latencyMs / 1000);
        latencies.set(nodeKey(observation.chain, observation.node), observation.latencyMs);
      }
    },
    lastLatencyMs: (chain, node) => latencies.get(nodeKey(chain, node)),
    observeStoreWrite(durationMs) {
      storeWrite.observe(durationMs / 1000);
    },
    countRequest(route, method, status) {
      requests.inc({ route, method, status: String(status) });
    },
    close: unsubscribe,
  };
}
