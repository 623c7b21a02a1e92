import type { ChainState } from '../core/chainView.ts';
import { type Signal, severityRank } from '../core/signal.ts';

/**
 * Raises the condition `key` with `signal`. Returns the signal when the condition is new, its
 * severity rose, its corroboration changed, or `worsened` says it got worse at the same severity (that is when it is
 * emitted and stored); `undefined` otherwise. The stored signal is the last one emitted.
 */
export function raiseCondition(
  chain: ChainState,
  key: string,
  signal: Signal,
  worsened?: (active: Signal) => boolean,
): Signal | undefined {
  const active = chain.conditions.get(key);
  if (active && severityRank(active.severity) > severityRank(signal.severity)) return undefined;
  if (
    active &&
    active.severity === signal.severity &&
    active.uncorroborated === signal.uncorroborated &&
    !worsened?.(active)
  ) {
    return undefined;
  }
  chain.conditions.set(key, signal);
  return signal;
}

/** Clears the condition `key`. Returns true when it was raised. */
export function clearCondition(chain: ChainState, key: string): boolean {
  return chain.conditions.size > 0 && chain.conditions.delete(key);
}
