import { createWriteStream } from 'node:fs';
import type { Observation } from '../../core/observation.ts';
import { type ReplayError, toReplayError } from './replayError.ts';
import { toObservationLine } from './toObservationLine.ts';

export type ObservationLogWriterOptions = {
  /** Append to an existing file instead of truncating it. Default false. */
  append?: boolean;
  /** Called once with the first write failure; later writes are dropped. */
  onError?: (error: ReplayError) => void;
};

export type ObservationLogWriter = {
  /** Queues one observation as a line. Returns false when the buffer is full (see `drained`). */
  write(observation: Observation): boolean;
  /** Resolves when the write buffer has drained. */
  drained(): Promise<void>;
  /** Flushes and closes the file. Rejects with the {@link ReplayError} if any write failed. */
  close(): Promise<void>;
  /** Lines queued so far. */
  readonly lines: number;
};

/**
 * Opens an observation log for recording (`--record`): each observation becomes one line
 * (docs/formats.md). Writes are buffered by the stream; a live source may ignore backpressure
 * (observations arrive slowly), a bulk writer awaits `drained()` when `write` returns false.
 */
export function createObservationLogWriter(
  path: string,
  options: ObservationLogWriterOptions = {},
): ObservationLogWriter {
  const stream = createWriteStream(path, { flags: options.append === true ? 'a' : 'w', encoding: 'utf8' });
  let failure: ReplayError | undefined;
  let lines = 0;
  stream.on('error', (cause) => {
    if (failure) return;
    failure = toReplayError(cause, path, true);
    options.onError?.(failure);
  });
  return {
    write(observation) {
      if (failure || stream.destroyed) return true;
      lines += 1;
      return stream.write(`${toObservationLine(observation)}\n`);
    },
    drained() {
      if (failure) return Promise.reject(failure);
      if (!stream.writableNeedDrain) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const onDrain = (): void => {
          stream.off('error', onFail);
          resolve();
        };
        const onFail = (): void => {
          stream.off('drain', onDrain);
          reject(failure);
        };
        stream.once('drain', onDrain);
        stream.once('error', onFail);
      });
    },
    close() {
      return new Promise((resolve, reject) => {
        if (failure) {
          stream.destroy();
          reject(failure);
          return;
        }
        if (stream.closed) {
          resolve();
          return;
        }
        stream.once('close', () => (failure ? reject(failure) : resolve()));
        stream.end();
      });
    },
    get lines() {
      return lines;
    },
  };
}
