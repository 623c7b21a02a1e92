import { Registry } from 'prom-client';
import type { Observation } from '../../src/core/observation.ts';
import { createMetrics, type Metrics } from '../../src/http/createMetrics.ts';
import { createGuard, type Guard } from '../../src/runtime/createGuard.ts';
import {
  createMemoryServiceView,
  type MemoryServiceView,
} from '../../src/runtime/createMemoryServiceView.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { toEngineConfig } from '../../src/sim/toEngineConfig.ts';

export type TestService = {
  guard: Guard;
  view: MemoryServiceView;
  metrics: Metrics;
  observations: Observation[];
  /** Feeds observations [from, to) into the guard; returns `to`. */
  feed(from: number, to: number): number;
};

/** A bare guard over a simulated scenario, with the in-memory view and metrics wired to it. */
export function createTestService(
  scenarioName = 'reorg-7',
  options: { processMetrics?: boolean } = {},
): TestService {
  const { scenario, observations } = simulate(scenarioName);
  let view: MemoryServiceView | undefined;
  let metrics: Metrics | undefined;
  const guard = createGuard({
    engine: toEngineConfig(scenario),
    sources: [],
    onObservation: (observation) => metrics?.observe(observation),
    onSignal: (signal) => view?.onSignal(signal),
    onTransition: (transition) => view?.onTransition(transition),
  });
  view = createMemoryServiceView(guard);
  metrics = createMetrics({
    registry: new Registry(),
    view,
    processMetrics: options.processMetrics ?? false,
  });
  return {
    guard,
    view,
    metrics,
    observations,
    feed(from, to) {
      for (let i = from; i < Math.min(to, observations.length); i++) guard.push(observations[i]!);
      return Math.min(to, observations.length);
    },
  };
}

/** Index just past the first observation after which `predicate` holds. */
export function feedUntil(service: TestService, from: number, predicate: () => boolean): number {
  for (let i = from; i < service.observations.length; i++) {
    service.guard.push(service.observations[i]!);
    if (predicate()) return i + 1;
  }
  throw new Error('the scenario ended before the condition held');
}
