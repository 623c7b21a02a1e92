/** Where a service is in its life. */
export type ServicePhase = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

/** Why the service is not ready (`/readyz`), or undefined when it is: running, with a store that writes. */
export function toNotReadyReason(
  phase: ServicePhase,
  failure: { sinceMs: number; message: string } | undefined,
  pendingEvents: number,
): string | undefined {
  if (phase === 'new' || phase === 'starting') return 'store or sources still starting';
  if (phase !== 'running') return 'the service is stopping';
  if (failure) {
    return `the store cannot write since ${new Date(failure.sinceMs).toISOString()} (${pendingEvents} events waiting): ${failure.message}`;
  }
  return undefined;
}
