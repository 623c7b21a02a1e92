import type { Observation } from '../../core/observation.ts';
import type { ObservationLineError } from './parseObservation.ts';
import { type ReadObservationLogOptions, readObservationLogBatches } from './readObservationLogBatches.ts';

/**
 * Streams the observations of a log file (JSON Lines, docs/formats.md) one by one, in file order.
 * Same contract as {@link readObservationLogBatches} (malformed lines go to `onError` and are
 * skipped; a missing or unreadable file throws a {@link ReplayError} with a `code`), which is
 * faster when the consumer can take arrays.
 *
 * @example
 * for await (const observation of readObservationLog('run.jsonl', (e) => warn(`line ${e.line}: ${e.message}`))) {
 *   step(state, observation);
 * }
 */
export async function* readObservationLog(
  path: string,
  options: ReadObservationLogOptions | ((error: ObservationLineError) => void) = {},
): AsyncGenerator<Observation, void, undefined> {
  const resolved: ReadObservationLogOptions = typeof options === 'function' ? { onError: options } : options;
  for await (const batch of readObservationLogBatches(path, resolved)) {
    for (let i = 0; i < batch.length; i++) yield batch[i]!;
  }
}
