import { overrideBreaker, reduceBreaker, resumeBreaker, setExternalCondition } from '../breaker/breaker.ts';
import type { Transition } from '../breaker/levels.ts';
import type { Signal } from '../core/signal.ts';
import { type EngineState, step, toLevelRequest } from '../engine/step.ts';
import type { EventRecord } from '../store/store.ts';
import { ServiceError } from './serviceError.ts';

const NONE: Signal[] = [];

/**
 * One entry of the event log applied to the engine: an observation goes through `step`, a manual
 * command through `overrideBreaker` / `resumeBreaker`, an external condition through
 * `setExternalCondition` and one evaluation of the breaker, each at the command's own time. Live and replay
 * both go through here, so the same log gives the same transitions. Throws a
 * {@link ServiceError} `unknown_breaker` for a command on a breaker the engine does not have.
 */
export function applyEvent(
  state: EngineState,
  event: EventRecord,
): { signals: readonly Signal[]; transitions: readonly Transition[] } {
  if (event.type === 'observation') return step(state, event.observation);
  const command = event.command;
  const breaker = state.breakers.get(command.breaker);
  if (!breaker) {
    throw new ServiceError(
      'unknown_breaker',
      `unknown breaker "${command.breaker}": use one of ${[...state.breakers.keys()].join(', ') || '(none yet)'}`,
    );
  }
  if (command.type === 'resume') {
    resumeBreaker(breaker);
    return { signals: NONE, transitions: [] };
  }
  if (command.type === 'condition') {
    setExternalCondition(
      breaker,
      command.key,
      command.level === undefined
        ? undefined
        : { level: command.level, reason: command.reason, cause: command.cause, atMs: command.atMs },
    );
    // Raising escalates at once; clearing lets the breaker recover through the usual hysteresis
    // (this evaluation does not count as a healthy one).
    const request = toLevelRequest(state, breaker, command.atMs);
    const transition = reduceBreaker(breaker, request, command.atMs, state.recovery, false);
    return { signals: NONE, transitions: transition ? [transition] : [] };
  }
  const transition = overrideBreaker(breaker, command.level, command.actor, command.reason, command.atMs);
  return { signals: NONE, transitions: transition ? [transition] : [] };
}
