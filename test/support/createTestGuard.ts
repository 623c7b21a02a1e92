import type { Transition } from '../../src/breaker/levels.ts';
import type { Observation } from '../../src/core/observation.ts';
import type { Signal } from '../../src/core/signal.ts';
import type { EngineConfig } from '../../src/engine/config.ts';
import { createEngineState, type EngineState } from '../../src/engine/step.ts';
import { createService, type Service } from '../../src/runtime/createService.ts';
import type { Source } from '../../src/sources/source.ts';
import { openMemoryStore } from '../../src/store/memory/openMemoryStore.ts';
import type { Store } from '../../src/store/store.ts';

export type TestGuardParameters = {
  engine: EngineConfig;
  sources: Source[];
  /** Each observation, as the engine takes it. */
  onObservation?: (observation: Observation) => void;
  /** Each signal and transition, once committed (to the in-memory store: at once). */
  onSignal?: (signal: Signal) => void;
  onTransition?: (transition: Transition) => void;
  tickIntervalMs?: number;
};

export type TestGuard = {
  /** The committed engine state (before `start`: a fresh one). */
  readonly state: EngineState;
  readonly service: Service | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * The service on the in-memory store, as `watch` runs it, with listeners for the real-node tests:
 * sources in, signals and transitions out.
 */
export function createTestGuard(parameters: TestGuardParameters): TestGuard {
  const initial = createEngineState(parameters.engine);
  let service: Service | undefined;
  let store: Store | undefined;
  return {
    get state() {
      return service?.engine() ?? initial;
    },
    get service() {
      return service;
    },
    async start() {
      store = await openMemoryStore({ retainEvents: 10_000 });
      const created = createService({
        engine: parameters.engine,
        sources: parameters.sources,
        store,
        tickIntervalMs: parameters.tickIntervalMs ?? 1000,
        snapshots: false,
        ...(parameters.onObservation ? { onObservation: parameters.onObservation } : {}),
      });
      created.subscribe((event) => {
        if (event.type === 'signal') parameters.onSignal?.(event.signal);
        else parameters.onTransition?.(event.transition);
      });
      service = created;
      await created.start();
    },
    async stop() {
      await service?.stop();
      await store?.close();
    },
  };
}
