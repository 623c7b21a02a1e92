import type { Observation } from '../../core/observation.ts';
import { createObservationLogWriter } from './createObservationLogWriter.ts';

/**
 * Writes observations to a log file (docs/formats.md), one line each, honouring backpressure.
 * Returns the number of lines written. Rejects with a {@link ReplayError} (`file_unwritable`) when
 * the file cannot be written.
 */
export async function writeObservationLog(
  path: string,
  observations: Iterable<Observation> | AsyncIterable<Observation>,
  options: { append?: boolean } = {},
): Promise<number> {
  const writer = createObservationLogWriter(path, options.append === true ? { append: true } : {});
  try {
    for await (const observation of observations) {
      if (!writer.write(observation)) await writer.drained();
    }
  } catch (error) {
    await writer.close().catch(() => undefined);
    throw error;
  }
  await writer.close();
  return writer.lines;
}
