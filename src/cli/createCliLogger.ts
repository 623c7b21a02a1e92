import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from '../log/createLogger.ts';
import { usageError } from './errors.ts';
import { type Output, processOutput } from './output.ts';

/** Help of `--log-level`, shared by the long-running commands. */
export const LOG_LEVEL_HELP = `lowest level logged on stderr: ${LOG_LEVELS.join(', ')}`;

/**
 * The logger of a long-running command at `--log-level`: JSON lines on stderr, readable lines
 * when stderr is a terminal; through `output.err` when a test passes its own output. Fails with
 * a usage error on an unknown level.
 */
export function createCliLogger(level: string, output: Output): Logger {
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw usageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  const parameters = { level: level as LogLevel };
  if (output === processOutput) return createLogger(parameters);
  return createLogger({ ...parameters, pretty: false, destination: { write: (line) => output.err(line) } });
}
