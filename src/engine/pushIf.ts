import type { Signal } from '../core/signal.ts';

/** Adds `signal` to `signals` when there is one. */
export function pushIf(signals: Signal[], signal: Signal | undefined): void {
  if (signal) signals.push(signal);
}
