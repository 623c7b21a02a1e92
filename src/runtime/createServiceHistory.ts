import type { Transition } from '../breaker/levels.ts';
import type { Signal } from '../core/signal.ts';
import type { ServiceLogEntry } from './log/serviceLogEntry.ts';
import type { ServiceEvent, ServiceView } from './serviceView.ts';

export type ServiceHistory = Pick<ServiceView, 'recentSignals' | 'transitions' | 'subscribe'> & {
  /** Keeps a committed signal and hands it to every listener. */
  addSignal(signal: Signal): void;
  /** Keeps a committed transition and hands it to every listener. */
  addTransition(transition: Transition): void;
  /** Replaces what is kept with what recovery read from the store. */
  restore(signals: Signal[], transitions: Transition[]): void;
};

/**
 * The service's recent signals and transitions (the newest `historyLimit` of each, trimmed in
 * batches) and its listeners: a listener that throws is logged (`listener_failed`) and the others
 * still get the event.
 */
export function createServiceHistory(parameters: {
  historyLimit: number;
  log: (entry: ServiceLogEntry) => void;
}): ServiceHistory {
  const { historyLimit, log } = parameters;
  let signals: Signal[] = [];
  let transitions: Transition[] = [];
  const listeners = new Set<(event: ServiceEvent) => void>();
  const remember = <T>(list: T[], item: T) => {
    list.push(item);
    if (list.length > historyLimit * 2) list.splice(0, list.length - historyLimit);
  };
  const publish = (event: ServiceEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        log({ level: 'error', code: 'listener_failed', message: (error as Error).message });
      }
    }
  };
  return {
    addSignal(signal) {
      remember(signals, signal);
      publish({ type: 'signal', signal });
    },
    addTransition(transition) {
      remember(transitions, transition);
      publish({ type: 'transition', transition });
    },
    restore(restoredSignals, restoredTransitions) {
      signals = restoredSignals;
      transitions = restoredTransitions;
    },
    recentSignals: (limit) => (limit <= 0 ? [] : signals.slice(-limit)),
    transitions: (limit, breaker) => {
      if (limit <= 0) return [];
      const list = breaker === undefined ? transitions : transitions.filter((t) => t.breaker === breaker);
      return list.slice(-limit);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
