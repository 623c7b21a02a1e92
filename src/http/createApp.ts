import { getConnInfo } from '@hono/node-server/conninfo';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { matchedRoutes } from 'hono/route';
import { Registry } from 'prom-client';
import type { z } from 'zod';
import { LEVELS } from '../breaker/levels.ts';
import { toJson } from '../core/json.ts';
import { toForkResolution } from '../engine/toForkResolution.ts';
import { type Logger, silentLogger } from '../log/createLogger.ts';
import { parseRiskStatus } from '../risk/contagion/parseRiskStatus.ts';
import { assessVenueRisk } from '../risk/margin/assessVenueRisk.ts';
import { parsePortfolioFile } from '../risk/margin/parsePortfolioFile.ts';
import { toAssessVenueRiskParameters } from '../risk/margin/toAssessVenueRiskParameters.ts';
import type { StateProofBook } from '../runtime/createStateProofBook.ts';
import type { ServiceView } from '../runtime/serviceView.ts';
import { API_ROUTES } from './apiRoutes.ts';
import { checkBearer } from './checkBearer.ts';
import { createMetrics, type Metrics } from './createMetrics.ts';
import { createRateLimiter, type RateLimit } from './createRateLimiter.ts';
import { HttpError, toErrorResponse } from './httpError.ts';
import { loadDashboard } from './loadDashboard.ts';
import { logRequests } from './logRequests.ts';
import { streamEvents } from './streamEvents.ts';
import { type AppLogEntry, toAppLog } from './toAppLog.ts';
import { toBearerStatus } from './toBearerStatus.ts';
import { toBlockTree } from './toBlockTree.ts';
import { toChainSummaries, toChainSummary } from './toChainSummaries.ts';
import { toHttpError } from './toHttpError.ts';
import { toNodeSummaries } from './toNodeSummaries.ts';

export type HttpLimits = {
  /** Largest request body accepted, bytes. Default 16 KiB. */
  maxBodyBytes: number;
  /**
   * Token bucket per client address, and one for the requests that carry the valid token;
   * `false` turns it off. Default 20/s, burst 100.
   */
  rateLimit: RateLimit | false;
  /**
   * Token bucket per client address for failed authentications (a command without the valid
   * token), apart from `rateLimit`; a request with the valid token never takes from it. `false`
   * turns it off. Default one every 10 s, burst 10.
   */
  authFailureRateLimit: RateLimit | false;
  /** Interval of SSE keep-alive comments, ms. Default 15,000. */
  sseKeepAliveMs: number;
  /** Events queued for a slow SSE client before its stream is closed. Default 1,000. */
  sseMaxQueue: number;
};

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxBodyBytes: 16 * 1024,
  rateLimit: { ratePerSecond: 20, burst: 100 },
  authFailureRateLimit: { ratePerSecond: 0.1, burst: 10 },
  sseKeepAliveMs: 15_000,
  sseMaxQueue: 1_000,
};

export type CreateAppParameters = {
  view: ServiceView;
  /** The verified state of the configured accounts (`GET /api/chains/{chain}/proofs`); none listed without it. */
  stateProofs?: Pick<StateProofBook, 'chain'>;
  /** Bearer token for the commands (override, resume); without one they answer 403. */
  token?: string | undefined;
  /** The app's metrics; created on a fresh registry when absent. */
  metrics?: Metrics;
  limits?: Partial<HttpLimits>;
  /** The rate limit key of a request. Default: the client socket's address. */
  clientKey?: (c: Context) => string;
  /** Wall clock for the rate limiter, ms. */
  nowMs?: () => number;
  /** Logs each request, audited commands and errors answered with a 500 (`component: 'http'`). Default: none. */
  logger?: Logger;
  /** Receives audited commands and errors answered with a 500 instead of `logger`. */
  log?: (entry: AppLogEntry) => void;
};

export type App = Hono & { metrics: Metrics };

const overrideBody = API_ROUTES.override.request.body.content['application/json'].schema;
const resumeBody = API_ROUTES.resume.request.body.content['application/json'].schema;
const path = (route: keyof typeof API_ROUTES) => API_ROUTES[route].getRoutingPath();

/**
 * The HTTP API, the metrics endpoint and the dashboard over a {@link ServiceView}. Routes are
 * listed in docs/http.md and described, with the schemas of their answers, by {@link API_ROUTES},
 * from which `GET /openapi.json` serves an OpenAPI 3.1 document. Every error is an {@link HttpError} answered in one place as
 * `{ "error": { "code", "message" } }`; bigints are JSON numbers (decimal strings past 2^53).
 *
 * @example
 * const app = createApp({ view, token: process.env.GUARD_TOKEN });
 * const res = await app.request('/api/chains');
 */
export function createApp(parameters: CreateAppParameters): App {
  const { view } = parameters;
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...parameters.limits };
  const metrics = parameters.metrics ?? createMetrics({ registry: new Registry(), view });
  const limiter = limits.rateLimit === false ? undefined : createRateLimiter(limits.rateLimit);
  const authFailureLimiter =
    limits.authFailureRateLimit === false ? undefined : createRateLimiter(limits.authFailureRateLimit);
  const clientKey = parameters.clientKey ?? defaultClientKey;
  const nowMs = parameters.nowMs ?? Date.now;
  const logger = (parameters.logger ?? silentLogger).child({ component: 'http' });
  const log = parameters.log ?? toAppLog(logger);
  const dashboard = loadDashboard();
  const api = new OpenAPIHono();
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const route of Object.values(API_ROUTES)) api.openAPIRegistry.registerPath(route);
  let document: unknown;
  const app = api as unknown as App;
  app.metrics = metrics;

  app.use(logRequests(logger));
  app.use(async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    metrics.countRequest(toRouteLabel(c), c.req.method, c.res.status);
  });
  if (limiter) {
    app.use(async (c, next) => {
      // The valid token has its own bucket: no traffic from its holder's address locks it out.
      const valid = toBearerStatus(c.req.header('Authorization'), parameters.token) === 'valid';
      const waitS = limiter.take(valid ? 'bearer' : `client:${clientKey(c)}`, nowMs());
      if (waitS > 0) throw rateLimited(waitS);
      await next();
    });
  }
  /** Commands need the valid token; failures take from their own bucket per client address. */
  const requireBearer: MiddlewareHandler = async (c, next) => {
    try {
      checkBearer(c.req.header('Authorization'), parameters.token);
    } catch (error) {
      const failed =
        error instanceof HttpError && (error.code === 'unauthorized' || error.code === 'forbidden');
      const waitS = failed && authFailureLimiter ? authFailureLimiter.take(clientKey(c), nowMs()) : 0;
      if (waitS > 0) throw rateLimited(waitS);
      throw error;
    }
    await next();
  };

  for (const [path, asset] of dashboard) {
    app.get(path, (c) =>
      c.body(asset.body, 200, {
        'Content-Type': asset.contentType,
        'Content-Security-Policy':
          "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        'Cache-Control': 'no-cache',
      }),
    );
  }

  app.get(path('healthz'), (c) =>
    json(c, {
      status: 'ok',
      ...(view.clusterPosition?.() ?? { role: 'leader', instance: null, epoch: null, location: null }),
    }),
  );
  app.get(path('cluster'), async (c) => {
    if (view.clusterStatus === undefined)
      return json(c, { clustered: false, lease: null, instances: [], locations: [] });
    return json(c, await view.clusterStatus());
  });
  app.get(path('readyz'), (c) => {
    if (!view.ready()) {
      throw new HttpError(
        'not_ready',
        `not ready: ${view.notReadyReason?.() ?? 'store or sources still starting'}`,
      );
    }
    return json(c, { status: 'ready' });
  });
  app.get(path('metrics'), async (c) =>
    c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }),
  );

  app.get(path('openapi'), (c) => {
    document ??= api.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'consensus-guard',
        version: '1',
        description:
          'The HTTP API of consensus-guard: chains, nodes, signals, breakers and commands (docs/http.md).',
      },
    });
    return json(c, document);
  });
  app.get(path('chains'), (c) => json(c, { chains: toChainSummaries(view.engine()) }));
  app.get(path('chain'), (c) => {
    const engine = view.engine();
    const chain = engine.chains.get(c.req.param('chain'));
    if (!chain) throw new HttpError('unknown_chain', `unknown chain "${c.req.param('chain')}"`);
    return json(c, toChainSummary(engine, chain));
  });
  app.get(path('tree'), (c) => {
    const chain = view.engine().chains.get(c.req.param('chain'));
    if (!chain) throw new HttpError('unknown_chain', `unknown chain "${c.req.param('chain')}"`);
    const depth = toLimit(c.req.query('depth'), 'depth', 16, 256);
    return json(c, toBlockTree(chain, depth));
  });
  app.get(path('resolution'), (c) => {
    const name = c.req.param('chain');
    if (!view.engine().chains.has(name)) throw new HttpError('unknown_chain', `unknown chain "${name}"`);
    return json(c, toForkResolution(view.engine(), name));
  });
  app.get(path('proofs'), (c) => {
    const name = c.req.param('chain');
    const proofs = parameters.stateProofs?.chain(name);
    if (proofs) return json(c, proofs);
    if (!view.engine().chains.has(name)) throw new HttpError('unknown_chain', `unknown chain "${name}"`);
    return json(c, { chain: name, intervalMs: null, accounts: [] });
  });
  app.get(path('nodes'), (c) => json(c, { nodes: toNodeSummaries(view.engine(), metrics.lastLatencyMs) }));
  app.get(path('signals'), (c) => {
    const limit = toLimit(c.req.query('limit'), 'limit', 100, 1000);
    return json(c, { signals: view.recentSignals(limit) });
  });
  app.get(path('breakers'), (c) => {
    const history = toLimit(c.req.query('history'), 'history', 20, 1000);
    const breakers = [...view.engine().breakers.keys()]
      .sort()
      .map((name) => toBreakerView(view, name, history));
    return json(c, { breakers, levels: LEVELS });
  });
  app.get(path('breaker'), (c) => {
    const history = toLimit(c.req.query('history'), 'history', 100, 1000);
    return json(c, toBreakerView(view, c.req.param('name'), history));
  });
  app.get(path('events'), (c) => streamEvents(c, view, limits));

  const limitBody = bodyLimit({
    maxSize: limits.maxBodyBytes,
    onError: () => {
      throw new HttpError('payload_too_large', `request body larger than ${limits.maxBodyBytes} bytes`);
    },
  });
  app.post(path('override'), requireBearer, limitBody, async (c) => {
    const name = c.req.param('name');
    const body = parseBody(overrideBody, await readJson(c));
    requireBreaker(view, name);
    const transition = view.override(name, body.level, body.actor, body.reason);
    await view.flush?.();
    log({ level: 'info', message: `override ${name} to ${body.level} by ${body.actor}: ${body.reason}` });
    return json(c, { breaker: toBreakerView(view, name, 20), transition: transition ?? null });
  });
  app.post(path('resume'), requireBearer, limitBody, async (c) => {
    const name = c.req.param('name');
    const body = parseBody(resumeBody, await readJson(c));
    requireBreaker(view, name);
    view.resume(name, body.actor, body.reason);
    await view.flush?.();
    log({ level: 'info', message: `resume ${name} by ${body.actor}: ${body.reason}` });
    return json(c, { breaker: toBreakerView(view, name, 20) });
  });

  const limitRiskBody = bodyLimit({
    maxSize: limits.maxBodyBytes * 64,
    onError: () => {
      throw new HttpError('payload_too_large', `portfolio larger than ${limits.maxBodyBytes * 64} bytes`);
    },
  });
  app.post(path('risk'), limitRiskBody, async (c) => {
    const body = await readJson(c);
    const status = parseRiskStatus({ chains: toChainSummaries(view.engine()) });
    return json(c, assessVenueRisk(toAssessVenueRiskParameters(parsePortfolioFile(body), status)));
  });

  app.notFound((c) => toErrorResponse(c, new HttpError('not_found', 'no such route: see docs/http.md')));
  app.onError((error, c) => {
    const httpError = toHttpError(error);
    if (httpError.status === 500) log({ level: 'error', message: 'request failed', error });
    return toErrorResponse(c, httpError);
  });
  return app;
}

function rateLimited(waitS: number): HttpError {
  return new HttpError('rate_limited', 'too many requests: slow down', {
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(waitS))) },
  });
}

function json(c: Context, value: unknown, status: 200 = 200): Response {
  return c.body(toJson(value), status, { 'Content-Type': 'application/json; charset=utf-8' });
}

function toLimit(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new HttpError('bad_request', `${name} must be an integer from 1 to ${max}`);
  }
  return Number(value);
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError('bad_json', 'request body is not valid JSON', { cause: error });
  }
}

function parseBody<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new HttpError('bad_request', `invalid body: ${where}${issue?.message ?? 'invalid'}`, {
    cause: result.error,
  });
}

function requireBreaker(view: ServiceView, name: string): void {
  if (!view.engine().breakers.has(name)) throw new HttpError('unknown_breaker', `unknown breaker "${name}"`);
}

function toBreakerView(view: ServiceView, name: string, history: number) {
  const breaker = view.engine().breakers.get(name);
  if (!breaker) throw new HttpError('unknown_breaker', `unknown breaker "${name}"`);
  return {
    name: breaker.name,
    chains: breaker.chains,
    level: breaker.level,
    seq: breaker.seq,
    changedAtMs: breaker.changedAtMs,
    override: breaker.override ?? null,
    conditions: [...(breaker.external ?? [])].map(([key, condition]) => ({ key, ...condition })),
    history: view.transitions(history, name),
  };
}

function toRouteLabel(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i]!;
    if (route.method !== 'ALL') return route.path;
  }
  return 'unmatched';
}

function defaultClientKey(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
