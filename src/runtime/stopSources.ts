import type { Source } from '../sources/source.ts';
import type { ServiceLogEntry } from './log/serviceLogEntry.ts';

/** Stops every source at once; resolves when all have, each failure logged (`source_stop_failed`). */
export async function stopSources(
  sources: readonly Source[],
  log: (entry: ServiceLogEntry) => void,
): Promise<void> {
  for (const result of await Promise.allSettled(sources.map((source) => source.stop()))) {
    if (result.status === 'rejected') {
      log({ level: 'warn', code: 'source_stop_failed', message: String(result.reason) });
    }
  }
}
