import type { Level, Transition } from '../breaker/levels.ts';
import type { BreakerCommand } from '../engine/command.ts';
import type { Clock } from '../sources/source.ts';
import type { EventRecord } from '../store/store.ts';
import type { EngineStates } from './createCommitLoop.ts';
import type { ExternalConditionInput } from './createService.ts';
import { ServiceError } from './serviceError.ts';

export type CreateCommandsParameters = {
  engines: EngineStates;
  clock: Clock;
  /** Throws unless a command can be taken now (running, store writing). */
  assertTakes: () => void;
  /** Steps a command on the live engine and queues it for the commit. */
  take: (event: EventRecord) => readonly Transition[];
};

export type Commands = {
  override(breaker: string, level: Level, actor: string, reason: string): Transition | undefined;
  resume(breaker: string, actor: string, reason: string): void;
  setCondition(input: ExternalConditionInput): Transition[];
};

/**
 * The service's commands: each becomes a {@link BreakerCommand} at the clock's time, stepped by the
 * engine's one reducer (`applyEvent`) and stored in the event log like an observation, so that a
 * restart replays it. A command on a breaker the engine does not have throws `unknown_breaker` and
 * stores nothing.
 */
export function createCommands(parameters: CreateCommandsParameters): Commands {
  const { engines, clock, take } = parameters;
  const assertBreaker = (name: string) => {
    parameters.assertTakes();
    if (!engines.live.breakers.has(name)) {
      throw new ServiceError(
        'unknown_breaker',
        `unknown breaker "${name}": use one of ${[...engines.live.breakers.keys()].join(', ') || '(none yet)'}`,
      );
    }
  };
  return {
    override(breaker, level, actor, reason) {
      assertBreaker(breaker);
      const transitions = take({
        type: 'command',
        command: { type: 'override', breaker, level, actor, reason, atMs: clock.nowMs() },
      });
      return transitions[0];
    },
    resume(breaker, actor, reason) {
      assertBreaker(breaker);
      take({ type: 'command', command: { type: 'resume', breaker, actor, reason, atMs: clock.nowMs() } });
    },
    setCondition(input) {
      parameters.assertTakes();
      const { key, cause, level, actor, reason } = input;
      const state = engines.live;
      const targets = new Set<string>();
      if (input.chains === undefined) {
        for (const breaker of state.breakers.values())
          if (breaker.external?.has(key)) targets.add(breaker.name);
      } else {
        for (const chain of input.chains) {
          for (const breaker of state.breakersOfChain.get(chain) ?? []) targets.add(breaker.name);
        }
      }
      const out: Transition[] = [];
      for (const name of targets) {
        const current = state.breakers.get(name)?.external?.get(key);
        if (level === undefined ? current === undefined : current?.level === level) continue;
        const command: BreakerCommand = {
          type: 'condition',
          breaker: name,
          key,
          cause,
          actor,
          reason,
          atMs: clock.nowMs(),
        };
        if (level !== undefined) command.level = level;
        out.push(...take({ type: 'command', command }));
      }
      return out;
    },
  };
}
