import type { Logger } from '../../log/createLogger.ts';
import type { ServiceLogEntry } from './serviceLogEntry.ts';

/** Writes a {@link ServiceLogEntry} to `logger` at its level: its fields beside `code`, its message as `msg`. */
export function writeLogEntry(logger: Logger, entry: ServiceLogEntry): void {
  const { level, message, ...fields } = entry;
  logger[level](fields, message);
}
