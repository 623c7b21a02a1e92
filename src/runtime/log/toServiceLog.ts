import type { Logger } from '../../log/createLogger.ts';
import type { ServiceLogEntry } from './serviceLogEntry.ts';

/**
 * The log of the runtime's parts: each {@link ServiceLogEntry} written to `logger` at its level,
 * its fields beside `code` and its message as `msg`; also handed to `hook` when there is one (tests,
 * embedding applications).
 */
export function toServiceLog(
  logger: Logger,
  hook?: (entry: ServiceLogEntry) => void,
): (entry: ServiceLogEntry) => void {
  return (entry) => {
    hook?.(entry);
    const { level, message, ...fields } = entry;
    logger[level](fields, message);
  };
}
