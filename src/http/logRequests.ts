import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../log/createLogger.ts';

/** Paths polled by probes and scrapers: logged at `debug`, not `info`. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Middleware that logs each request once answered: `http_request` with its method, path (never the
 * query string or a header: a token stays out of the log), status and duration in ms.
 *
 * @example
 * app.use(logRequests(logger.child({ component: 'http' })))
 */
export function logRequests(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const startedMs = performance.now();
    await next();
    const path = c.req.path;
    const level = QUIET_PATHS.has(path) ? 'debug' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    logger[level](
      {
        code: 'http_request',
        method: c.req.method,
        path,
        status: c.res.status,
        durationMs: Math.round((performance.now() - startedMs) * 10) / 10,
      },
      `${c.req.method} ${path} ${c.res.status}`,
    );
  };
}
