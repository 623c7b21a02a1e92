import type { Transition } from '../breaker/levels.ts';

/**
 * The engine's transitions as a store keeps them: each idempotency key prefixed with the store's
 * id, `<storeId>:<breaker>:<seq>:<from>><to>`. The engine's key (`breaker:seq:from>to`) repeats
 * across data directories (every fresh store starts at seq 1); the store's id makes it unique to
 * one store, and stays the same at every restart on it, so a redelivery keeps its key.
 *
 * @example
 * toStoreTransitions('5f0c…', [t]) // [{ ...t, idempotencyKey: '5f0c…:devnet:1:normal>caution' }]
 */
export function toStoreTransitions(storeId: string, transitions: readonly Transition[]): Transition[] {
  return transitions.map((t) => ({ ...t, idempotencyKey: `${storeId}:${t.idempotencyKey}` }));
}
