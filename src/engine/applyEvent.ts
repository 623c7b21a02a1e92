import { overrideBreaker, reduceBreaker, resumeBreaker, setExternalCondition } from '../breaker/breaker.ts';
import type { Transition } from '../breaker/levels.ts';
import { CodedError } from '../core/codedError.ts';
import type { Signal } from '../core/signal.ts';
import type { EngineEvent } from './command.ts';
import { type EngineState, step } from './step.ts';
import { toLevelRequest } from './toLevelRequest.ts';

const NONE: Signal[] = [];

/**
 * The one reducer of the engine's inputs: an observation goes through `step`; a command through
 * `overrideBreaker` / `resumeBreaker`, or `setExternalCondition` and one evaluation of the breaker,
 * each at the command's own time. Live inputs, a replay of the event log and a snapshot's tail all
 * go through here, so the same log gives the same state and transitions. Throws a
 * `CodedError` `unknown_breaker` for a command on a breaker the engine does not have (callers
 * check first: see `hasBreaker`).
 */
export function applyEvent(
  state: EngineState,
  event: EngineEvent,
): { signals: readonly Signal[]; transitions: readonly Transition[] } {
  if (event.type === 'observation') return step(state, event.observation);
  const command = event.command;
  const breaker = state.breakers.get(command.breaker);
  if (!breaker) {
    throw new CodedError({
      code: 'unknown_breaker',
      shortMessage: `unknown breaker "${command.breaker}"`,
      details: `use one of ${[...state.breakers.keys()].join(', ') || '(none yet)'}`,
    });
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
