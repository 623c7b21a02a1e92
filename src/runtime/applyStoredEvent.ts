import { applyEvent } from '../engine/applyEvent.ts';
import type { EngineState } from '../engine/step.ts';
import type { StoredEvent } from '../store/store.ts';
import type { ServiceLogEntry } from './createService.ts';

/**
 * Applies one stored event to each engine, in order, and returns what the first one gave. An event
 * that throws is logged with its seq (`replay_event_skipped`) and skipped: a restart never stops
 * on a stored event.
 */
export function applyStoredEvent(
  engines: readonly EngineState[],
  stored: StoredEvent,
  log: (entry: ServiceLogEntry) => void,
): ReturnType<typeof applyEvent> | undefined {
  try {
    let first: ReturnType<typeof applyEvent> | undefined;
    for (const engine of engines) {
      const out = applyEvent(engine, stored);
      first ??= out;
    }
    return first;
  } catch (error) {
    log({ level: 'warn', code: 'replay_event_skipped', message: (error as Error).message, seq: stored.seq });
    return undefined;
  }
}
