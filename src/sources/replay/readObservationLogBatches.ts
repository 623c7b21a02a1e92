import { open } from 'node:fs/promises';
import type { Observation } from '../../core/observation.ts';
import { createObservationBytesParser } from './createObservationBytesParser.ts';
import { type ObservationLineError, parseObservation } from './parseObservation.ts';
import { toReplayError } from './replayError.ts';

export type ReadObservationLogOptions = {
  /** Called with each malformed line (1-based line number and message); the line is skipped. */
  onError?: (error: ObservationLineError) => void;
  /** Read buffer size in bytes. Default 1 MiB. */
  chunkBytes?: number;
};

/**
 * Observations per batch at most: a batch is used up while its observations are young, so that
 * they die young (a chunk of 1 MiB holds some ten thousand).
 */
const BATCH_OBSERVATIONS = 1024;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

/**
 * Streams the observations of a log file (JSON Lines, docs/formats.md) in file order, as arrays of
 * up to 1024 observations. This is the fast path of replay: one await per batch instead of one per
 * observation, lines split and read from the bytes of one reused buffer,
 * the lines that `toObservationLine` writes read without JSON.parse
 * ({@link createObservationBytesParser}), any other line decoded and read by
 * {@link parseObservation}. Memory is bounded by the chunk size and the longest line.
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
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, 'r');
  } catch (cause) {
    throw toReplayError(cause, path, false);
  }
  const parseBytes = createObservationBytesParser();
  // Its methods as plain functions: a property read on the parser, a function, may not be
  // optimized (its map can be a dictionary's), and this is twice per line.
  const { readLine, lineEnd } = parseBytes;
  let buffer = Buffer.allocUnsafe(Math.max(1, chunkBytes));
  // Bytes [0, filled) of the buffer are read and not yet taken: the start of a line.
  let filled = 0;
  let lineNumber = 0;
  let first = true;
  // Filled by index, not pushed: a push onto an array literal that starts out empty is a call.
  let batch: Observation[] = new Array(BATCH_OBSERVATIONS);
  let size = 0;
  const take = (bytes: Buffer, start: number, end: number): void => {
    lineNumber += 1;
    const last = end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
    const observation = parseBytes(bytes, start, last);
    if (observation !== undefined) {
      batch[size++] = observation;
      return;
    }
    if (isBlank(bytes, start, end)) return;
    const result = parseObservation(bytes.toString('utf8', start, end), lineNumber);
    if (result.ok) batch[size++] = result.observation;
    else onError?.(result.error);
  };
  /**
   * Takes the whole lines of `bytes` from `start` until the batch is full; returns where it
   * stopped. Apart from the generator, so that the loop over lines is optimized as a function.
   */
  const takeLines = (bytes: Buffer, start: number): number => {
    let at = start;
    while (at < bytes.length && size < BATCH_OBSERVATIONS) {
      // Most lines are read before their end is looked for: the reader finds it.
      const observation = readLine(bytes, at, bytes.length);
      if (observation !== undefined) {
        lineNumber += 1;
        batch[size++] = observation;
        at = lineEnd() + 1;
        continue;
      }
      const end = bytes.indexOf(NEWLINE, at);
      if (end === -1) break;
      take(bytes, at, end);
      at = end + 1;
    }
    return at;
  };
  try {
    while (true) {
      if (filled === buffer.length) {
        const larger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(larger, 0, 0, filled);
        buffer = larger;
      }
      let bytesRead: number;
      try {
        ({ bytesRead } = await file.read(buffer, filled, buffer.length - filled, null));
      } catch (cause) {
        throw toReplayError(cause, path, false);
      }
      const done = bytesRead === 0;
      filled += bytesRead;
      let start = 0;
      if (first) {
        if (filled < 3 && !done) continue;
        first = false;
        if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) start = 3;
      }
      const bytes = buffer.subarray(0, filled);
      while (true) {
        start = takeLines(bytes, start);
        // Stopped short of a full batch: at the end of the bytes, or of their last whole line.
        if (size < BATCH_OBSERVATIONS) break;
        yield batch;
        batch = new Array(BATCH_OBSERVATIONS);
        size = 0;
      }
      if (done && start < filled) {
        take(bytes, start, filled);
        start = filled;
      }
      if (start > 0) {
        buffer.copy(buffer, 0, start, filled);
        filled -= start;
      }
      if (size > 0) {
        batch.length = size;
        yield batch;
        batch = new Array(BATCH_OBSERVATIONS);
        size = 0;
      }
      if (done) break;
    }
  } finally {
    await file.close();
  }
}

/** True for an empty line or one of spaces, tabs and carriage returns only. */
function isBlank(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c !== 32 && c !== 9 && c !== CARRIAGE_RETURN) return false;
  }
  return true;
}
