import { Registry } from 'prom-client';
import type { Observation } from '../../src/core/observation.ts';
import type { EngineState } from '../../src/engine/step.ts';
import { createMetrics, type Metrics } from '../../src/http/createMetrics.ts';
import { createService, type Service } from '../../src/runtime/createService.ts';
import type { ServiceView } from '../../src/runtime/serviceView.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { toEngineConfig } from '../../src/sim/toEngineConfig.ts';
import { openMemoryStore } from '../../src/store/memory/openMemoryStore.ts';

export type TestService = {
  service: Service;
  /** The service's committed engine state, and its `push`. */
  guard: { readonly state: EngineState; push(observation: Observation): void };
  /** The service, with a readiness switch for tests. */
  view: ServiceView & { setReady(ready: boolean): void };
  metrics: Metrics;
  observations: Observation[];
  /** Feeds observations [from, to) into the service and waits for their commit; returns `to`. */
  feed(from: number, to: number): Promise<number>;
};

/** The service over a simulated scenario on the in-memory store, started, with metrics wired to it. */
export async function createTestService(
  scenarioName = 'reorg-7',
  options: { processMetrics?: boolean } = {},
): Promise<TestService> {
  const { scenario, observations } = simulate(scenarioName);
  let metrics: Metrics | undefined;
  const store = await openMemoryStore();
  const service = createService({
    engine: toEngineConfig(scenario),
    sources: [],
    store,
    tickIntervalMs: 0,
    snapshots: false,
    onObservation: (observation) => metrics?.observe(observation),
  });
  await service.start();
  let ready = true;
  const view: TestService['view'] = {
    ...service,
    ready: () => ready && service.ready(),
    setReady(value) {
      ready = value;
    },
  };
  metrics = createMetrics({
    registry: new Registry(),
    view,
    processMetrics: options.processMetrics ?? false,
  });
  return {
    service,
    guard: {
      get state() {
        return service.engine();
      },
      push: service.push,
    },
    view,
    metrics,
    observations,
    async feed(from, to) {
      for (let i = from; i < Math.min(to, observations.length); i++) service.push(observations[i]!);
      await service.flush();
      return Math.min(to, observations.length);
    },
  };
}

/** Index just past the first observation after which `predicate` holds (each one committed first). */
export async function feedUntil(
  service: TestService,
  from: number,
  predicate: () => boolean,
): Promise<number> {
  for (let i = from; i < service.observations.length; i++) {
    service.service.push(service.observations[i]!);
    await service.service.flush();
    if (predicate()) return i + 1;
  }
  throw new Error('the scenario ended before the condition held');
}
