import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { toPrintable } from '../core/toPrintable.ts';

export type { Logger } from 'pino';

/** The levels of `--log-level`, most verbose first; `silent` logs nothing. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type CreateLoggerParameters = {
  /** Lowest level written. Default `info`. */
  level?: LogLevel;
  /** Readable lines (pino-pretty) instead of JSON lines. Default: when stderr is a terminal. */
  pretty?: boolean;
  /** Where lines go (tests); default stderr, written synchronously so that no line is lost at exit. */
  destination?: DestinationStream;
};

/**
 * The one logger of a process: one JSON object per line on stderr (`level` as a name, `time` in
 * ISO 8601, `msg`), or readable lines when stderr is a terminal. Components take a child of it
 * with their `component` (`service`, `source`, `sink`, `http`), and every entry carries a stable
 * `code`, e.g. `source_unreachable`, `delivery_failed`. Callers pass URLs through `toRedactedUrl`
 * and never pass headers or secrets; the fields that could hold one are censored besides.
 *
 * @example
 * const logger = createLogger({ level: 'debug' })
 * logger.child({ component: 'sink', sink: 'ops' }).warn({ code: 'delivery_failed' }, 'HTTP 503')
 */
export function createLogger(parameters: CreateLoggerParameters = {}): Logger {
  const level = parameters.level ?? 'info';
  const usePretty = parameters.pretty ?? process.stderr.isTTY === true;
  // Text from outside (a node's error, an override's reason) reaches a line escaped: a JSON line
  // through toPrintable (which keeps it valid JSON), a readable line's message before it is styled.
  const destination = usePretty
    ? pretty({
        destination: parameters.destination ?? 2,
        sync: true,
        colorize: parameters.destination === undefined,
        singleLine: true,
        translateTime: 'SYS:HH:MM:ss.l',
      })
    : toPrintableLines(parameters.destination ?? pino.destination({ dest: 2, sync: true }));
  return pino(
    {
      level,
      ...(usePretty
        ? {
            hooks: {
              logMethod(args, method) {
                method.apply(
                  this,
                  args.map((arg) => (typeof arg === 'string' ? toPrintable(arg) : arg)) as typeof args,
                );
              },
            },
          }
        : {}),
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: ['authorization', 'password', 'secret', 'headers.authorization', '*.password', '*.secret'],
        censor: '***',
      },
    },
    destination,
  );
}

function toPrintableLines(destination: DestinationStream): DestinationStream {
  return { write: (line) => destination.write(`${toPrintable(line.replace(/\n$/, ''))}\n`) };
}

/** A logger that writes nothing: the default of every component given none. */
export const silentLogger: Logger = pino({ level: 'silent' });
