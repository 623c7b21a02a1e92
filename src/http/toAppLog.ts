import type { Logger } from '../log/createLogger.ts';

/** What the app reports besides requests: a command it audited, or an error answered with a 500. */
export type AppLogEntry = { level: 'error' | 'info'; message: string; error?: unknown };

/** The app's entries written to `logger`: `command_audited` (info) and `request_failed` (error). */
export function toAppLog(logger: Logger): (entry: AppLogEntry) => void {
  return (entry) => {
    if (entry.level === 'info') logger.info({ code: 'command_audited' }, entry.message);
    else logger.error({ code: 'request_failed', err: entry.error }, entry.message);
  };
}
