import type { BreakerState, LevelRequest } from '../breaker/breaker.ts';
import { type Level, levelRank } from '../breaker/levels.ts';
import type { Signal } from '../core/signal.ts';
import type { EngineState } from './createEngineState.ts';
import { toCappedLevel } from './toCappedLevel.ts';

/**
 * The highest level asked for: by the rules over the breaker's chains' conditions and holds, and
 * by the breaker's external conditions.
 */
export function toLevelRequest(state: EngineState, breaker: BreakerState, nowMs: number): LevelRequest {
  const best: LevelRequest = { level: 'normal', reason: 'no active condition', causes: [] };
  if (breaker.external) {
    for (const condition of breaker.external.values())
      ask(best, condition.level, condition.cause, undefined, condition.reason);
  }
  for (const name of breaker.chains) {
    const chain = state.chains.get(name);
    if (!chain) continue;
    for (const signal of chain.conditions.values())
      ask(best, toCappedLevel(state, signal), signal.kind, signal, undefined);
    if (chain.holds.length > 0) {
      if (chain.holds.some((hold) => hold.untilMs <= nowMs))
        chain.holds = chain.holds.filter((hold) => hold.untilMs > nowMs);
      for (const hold of chain.holds)
        ask(best, toCappedLevel(state, hold.signal), hold.signal.kind, hold.signal, undefined);
    }
  }
  return best;
}

/**
 * Raises the request to `level`, or adds its cause at the same level; the reason text is built
 * only for a new highest level (this runs on every tick while a breaker has demands).
 */
function ask(
  best: LevelRequest,
  level: Level,
  cause: string,
  signal: Signal | undefined,
  reason: string | undefined,
): void {
  const rank = levelRank(level);
  if (rank === 0) return;
  const bestRank = levelRank(best.level);
  if (rank > bestRank) {
    best.level = level;
    best.reason = signal ? `${signal.kind} ${signal.severity}: ${signal.message}` : (reason ?? '');
    best.causes = [cause];
  } else if (rank === bestRank && !best.causes.includes(cause)) {
    best.causes.push(cause);
  }
}
