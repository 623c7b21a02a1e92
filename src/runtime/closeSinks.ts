import type { Sink } from '../sinks/sink.ts';
import type { ServiceLogEntry } from './log/serviceLogEntry.ts';

/** Closes each sink in turn; one that fails to close is logged (`sink_close_failed`). */
export async function closeSinks(
  sinks: readonly Sink[],
  log: (entry: ServiceLogEntry) => void,
): Promise<void> {
  for (const sink of sinks) {
    await sink
      .close?.()
      .catch((error: Error) =>
        log({ level: 'warn', code: 'sink_close_failed', message: error.message, sink: sink.name }),
      );
  }
}
