import type { Transition } from '../breaker/levels.ts';
import type { Observation } from '../core/observation.ts';
import type { Signal } from '../core/signal.ts';
import type { EngineConfig } from '../engine/config.ts';
import { createEngineState, type EngineState, step } from '../engine/step.ts';
import { type Clock, type Source, systemClock } from '../sources/source.ts';

/**
 * The composition root of a live guard: sources feed observations into one engine, a timer
 * adds `tick`s so that silence is judged, and every observation, signal and transition goes to
 * the listeners. Observations are processed one at a time in arrival order, so a recorded log
 * (from `onObservation`) replays to exactly the same signals.
 */
export type GuardListeners = {
  onObservation?: (observation: Observation) => void;
  onSignal?: (signal: Signal) => void;
  onTransition?: (transition: Transition) => void;
};

export type CreateGuardParameters = GuardListeners & {
  engine: EngineConfig;
  sources: Source[];
  clock?: Clock;
  /** Interval of `tick` observations, ms. Default 1000. */
  tickIntervalMs?: number;
};

export type Guard = {
  readonly state: EngineState;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Feeds one observation (sources do this; exposed for tests and embedding). */
  push(observation: Observation): void;
};

export function createGuard(parameters: CreateGuardParameters): Guard {
  const clock = parameters.clock ?? systemClock;
  const state = createEngineState(parameters.engine);
  let timer: ReturnType<typeof setInterval> | undefined;
  let stopped = false;
  const push = (observation: Observation) => {
    if (stopped) return;
    parameters.onObservation?.(observation);
    const out = step(state, observation);
    for (const signal of out.signals) parameters.onSignal?.(signal);
    for (const transition of out.transitions) parameters.onTransition?.(transition);
  };
  return {
    state,
    push,
    async start() {
      await Promise.all(parameters.sources.map((source) => source.start(push)));
      timer = setInterval(
        () => push({ type: 'tick', observedAtMs: clock.nowMs() }),
        parameters.tickIntervalMs ?? 1000,
      );
      timer.unref?.();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await Promise.allSettled(parameters.sources.map((source) => source.stop()));
      stopped = true;
    },
  };
}
