import { type Level, levelRank } from '../breaker/levels.ts';
import { toRequestedLevel } from '../breaker/rules.ts';
import type { Signal } from '../core/signal.ts';
import type { EngineState } from './createEngineState.ts';

/**
 * The level a signal asks for: none when it is the guard's own partition (seen from too few
 * locations), no higher than the uncorroborated level when it is uncorroborated.
 */
export function toCappedLevel(state: EngineState, signal: Signal): Level {
  if (signal.monitorPartition) return 'normal';
  const level = toRequestedLevel(state.rules, signal).level;
  return signal.uncorroborated && levelRank(level) > levelRank(state.uncorroboratedLevel)
    ? state.uncorroboratedLevel
    : level;
}
