import type { ChainState } from '../core/chainView.ts';
import { type Signal, severityRank } from '../core/signal.ts';

/**
 * Raises the condition `key` with `signal`. Returns the signal when the condition is new or its
 * severity rose (that is when it is emitted); `undefined` when it was already raised at that
 * severity or higher (the stored signal is refreshed with the new facts).
 */
export function raiseCondition(chain: ChainState, key: string, signal: Signal): Signal | undefined {
  const active = chain.conditions.get(key);
  if (active && severityRank(active.severity) >= severityRank(signal.severity)) {
    chain.conditions.set(key, { ...signal, severity: active.severity, atMs: active.atMs });
    return undefined;
  }
  chain.conditions.set(key, signal);
  return signal;
}

/** Clears the condition `key`. Returns true when it was raised. */
export function clearCondition(chain: ChainState, key: string): boolean {
  return chain.conditions.size > 0 && chain.conditions.delete(key);
}
