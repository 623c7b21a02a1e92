import { createReadStream } from 'node:fs';
import type { Observation } from '../../core/observation.ts';
import { type ObservationLineError, parseObservation } from './parseObservation.ts';
import { isBlankLine } from './parseObservationLog.ts';
import { toReplayError } from './replayError.ts';

export type ReadObservationLogOptions = {
  /** Called with each malformed line (1-based line number and message); the line is skipped. */
  onError?: (error: ObservationLineError) => void;
  /** Read buffer size in bytes. Default 1 MiB. */
  chunkBytes?: number;
};

/**
 * Streams the observations of a log file (JSON Lines, docs/formats.md) in file order, as arrays:
 * one per chunk read (about `chunkBytes` of lines). This is the fast path of replay: one await per
 * chunk instead of one per observation. Memory is bounded by the chunk size and the longest line.
 *
 * Blank lines are skipped; malformed lines go to `onError` (or are dropped when it is absent) and
 * reading goes on: bad content never throws. A file that cannot be opened or read throws a
 * {@link ReplayError} (`file_not_found`, `file_unreadable`) from the iteration. Lines end with
 * `\n`; a `\r` before it and a leading byte order mark are ignored.
 */
export async function* readObservationLogBatches(
  path: string,
  options: ReadObservationLogOptions = {},
): AsyncGenerator<Observation[], void, undefined> {
  const { onError, chunkBytes = 1 << 20 } = options;
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: chunkBytes });
  let rest = '';
  let lineNumber = 0;
  let first = true;
  let batch: Observation[] = [];
  const take = (line: string): void => {
    lineNumber += 1;
    if (isBlankLine(line)) return;
    const result = parseObservation(line, lineNumber);
    if (result.ok) batch.push(result.observation);
    else onError?.(result.error);
  };
  const chunks = (stream as AsyncIterable<string>)[Symbol.asyncIterator]();
  try {
    while (true) {
      let next: IteratorResult<string>;
      try {
        next = await chunks.next();
      } catch (cause) {
        throw toReplayError(cause, path, false);
      }
      if (next.done) break;
      let text = rest.length > 0 ? rest + next.value : next.value;
      if (first) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      let start = 0;
      let end = text.indexOf('\n', start);
      while (end !== -1) {
        take(text.slice(start, end));
        start = end + 1;
        end = text.indexOf('\n', start);
      }
      rest = start === 0 ? text : text.slice(start);
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
    }
  } finally {
    stream.destroy();
  }
  if (rest.length > 0) take(rest);
  if (batch.length > 0) yield batch;
}
