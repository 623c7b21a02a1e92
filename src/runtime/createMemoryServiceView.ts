import { overrideBreaker, resumeBreaker } from '../breaker/breaker.ts';
import type { Level, Transition } from '../breaker/levels.ts';
import type { Signal } from '../core/signal.ts';
import type { Guard } from './createGuard.ts';
import type { ServiceEvent, ServiceView } from './serviceView.ts';

export type CreateMemoryServiceViewParameters = {
  /** Signals kept for `recentSignals`. Default 1000. */
  maxSignals?: number;
  /** Transitions kept for `transitions`. Default 1000. */
  maxTransitions?: number;
  /** Time of a manual override when no observation has given the breaker's chains a time yet, ms. */
  nowMs?: () => number;
  /** Called with every audited command (override and resume), for a log line. */
  onAudit?: (entry: AuditEntry) => void;
};

export type AuditEntry = {
  action: 'override' | 'resume';
  breaker: string;
  actor: string;
  reason: string;
  level?: Level;
  atMs: number;
};

/**
 * A {@link ServiceView} kept in memory over a bare guard: ring buffers of recent signals and
 * transitions, live subscribers, and override and resume on the guard's breakers. It learns of
 * signals and transitions through `onSignal` and `onTransition`, which the guard's listeners call.
 */
export type MemoryServiceView = ServiceView & {
  onSignal(signal: Signal): void;
  onTransition(transition: Transition): void;
  setReady(ready: boolean): void;
};

export type UnknownBreakerError = Error & { code: 'unknown_breaker'; breaker: string };

/**
 * Creates the in-memory view. Wire it to the guard's listeners:
 *
 * @example
 * let view: MemoryServiceView | undefined;
 * const guard = createGuard({ engine, sources, onSignal: (s) => view?.onSignal(s), onTransition: (t) => view?.onTransition(t) });
 * view = createMemoryServiceView(guard);
 */
export function createMemoryServiceView(
  guard: Pick<Guard, 'state'>,
  parameters: CreateMemoryServiceViewParameters = {},
): MemoryServiceView {
  const signals = createRing<Signal>(parameters.maxSignals ?? 1000);
  const transitions = createRing<Transition>(parameters.maxTransitions ?? 1000);
  const listeners = new Set<(event: ServiceEvent) => void>();
  let isReady = true;
  const emit = (event: ServiceEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        listeners.delete(listener);
      }
    }
  };
  const getBreaker = (name: string) => {
    const breaker = guard.state.breakers.get(name);
    if (!breaker) {
      const error = new Error(`unknown breaker "${name}"`) as UnknownBreakerError;
      error.code = 'unknown_breaker';
      error.breaker = name;
      throw error;
    }
    return breaker;
  };
  const timeOf = (chains: readonly string[]) => {
    let nowMs: number | undefined;
    for (const name of chains) {
      const chain = guard.state.chains.get(name);
      if (chain && (nowMs === undefined || chain.nowMs > nowMs)) nowMs = chain.nowMs;
    }
    return nowMs ?? parameters.nowMs?.() ?? Date.now();
  };
  const recordTransition = (transition: Transition) => {
    transitions.push(transition);
    emit({ type: 'transition', transition });
  };
  return {
    engine: () => guard.state,
    ready: () => isReady,
    setReady(ready) {
      isReady = ready;
    },
    recentSignals: (limit) => signals.last(limit),
    transitions: (limit, breaker) =>
      transitions.last(limit, breaker === undefined ? undefined : (t) => t.breaker === breaker),
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    override(name, level, actor, reason) {
      const breaker = getBreaker(name);
      const atMs = timeOf(breaker.chains);
      const transition = overrideBreaker(breaker, level, actor, reason, atMs);
      parameters.onAudit?.({ action: 'override', breaker: name, actor, reason, level, atMs });
      if (transition) recordTransition(transition);
      return transition;
    },
    resume(name, actor, reason) {
      const breaker = getBreaker(name);
      resumeBreaker(breaker);
      parameters.onAudit?.({ action: 'resume', breaker: name, actor, reason, atMs: timeOf(breaker.chains) });
    },
    onSignal(signal) {
      signals.push(signal);
      emit({ type: 'signal', signal });
    },
    onTransition: recordTransition,
  };
}

type Ring<T> = {
  push(item: T): void;
  /** The newest `limit` items matching `filter`, oldest first. */
  last(limit: number, filter?: (item: T) => boolean): T[];
};

function createRing<T>(capacity: number): Ring<T> {
  const items: T[] = [];
  let start = 0;
  return {
    push(item) {
      if (items.length < capacity) items.push(item);
      else {
        items[start] = item;
        start = (start + 1) % capacity;
      }
    },
    last(limit, filter) {
      const out: T[] = [];
      for (let i = items.length - 1; i >= 0 && out.length < limit; i--) {
        const item = items[(start + i) % items.length]!;
        if (!filter || filter(item)) out.push(item);
      }
      return out.reverse();
    },
  };
}
