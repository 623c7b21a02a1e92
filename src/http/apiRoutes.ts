import { createRoute, z } from '@hono/zod-openapi';
import { LEVELS } from '../breaker/levels.ts';
import {
  Actor,
  BlockTree,
  Breaker,
  breakerParam,
  ChainSummary,
  ClusterRole,
  chainParam,
  ForkResolution,
  json,
  Level,
  limitQuery,
  NodeSummary,
  orNull,
  Reason,
  Signal,
  StateProofs,
  Transition,
} from './apiSchemas.ts';
import { toErrorResponses } from './httpError.ts';

/**
 * The routes of the HTTP API with the schemas of their requests and answers: `createApp` serves
 * them (at `getRoutingPath()`) and validates command bodies with their schemas, and
 * `GET /openapi.json` is the OpenAPI 3.1 document generated from them. Every route may also answer
 * `429 rate_limited` and `500 internal`.
 */

export const API_ROUTES = {
  healthz: createRoute({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness',
    responses: {
      200: json(
        z.strictObject({
          status: z.literal('ok'),
          role: ClusterRole,
          instance: z.string().nullable(),
          epoch: z.number().int().nullable(),
          location: z.string().nullable(),
        }),
        'the process serves requests, and its place in the cluster (`leader` with nulls for a lone guard)',
      ),
      ...toErrorResponses([]),
    },
  }),
  readyz: createRoute({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the store and the sources have started and the store can write',
    responses: {
      200: json(z.strictObject({ status: z.literal('ready') }), 'ready'),
      ...toErrorResponses(['not_ready']),
    },
  }),
  metrics: createRoute({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (text exposition format)',
    responses: {
      200: { description: 'the metrics', content: { 'text/plain': { schema: z.string() } } },
      ...toErrorResponses([]),
    },
  }),
  openapi: createRoute({
    method: 'get',
    path: '/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    responses: {
      200: json(z.looseObject({ openapi: z.string() }), 'the document'),
      ...toErrorResponses([]),
    },
  }),
  chains: createRoute({
    method: 'get',
    path: '/api/chains',
    summary: 'Every chain, in name order',
    responses: {
      200: json(z.strictObject({ chains: z.array(ChainSummary) }), 'the chains'),
      ...toErrorResponses([]),
    },
  }),
  chain: createRoute({
    method: 'get',
    path: '/api/chains/{chain}',
    summary: 'One chain',
    request: { params: chainParam },
    responses: { 200: json(ChainSummary, 'the chain'), ...toErrorResponses(['unknown_chain']) },
  }),
  tree: createRoute({
    method: 'get',
    path: '/api/chains/{chain}/tree',
    summary: 'The block tree near the tip: every stored block from `depth` heights below the highest',
    request: { params: chainParam, query: limitQuery('depth', 16, 256) },
    responses: {
      200: json(BlockTree, 'the block tree'),
      ...toErrorResponses(['unknown_chain', 'bad_request']),
    },
  }),
  resolution: createRoute({
    method: 'get',
    path: '/api/chains/{chain}/resolution',
    summary:
      'The recommended fork resolution: which branch to follow, why, the nodes to drain, the rollback height',
    request: { params: chainParam },
    responses: {
      200: json(ForkResolution, 'the resolution'),
      ...toErrorResponses(['unknown_chain']),
    },
  }),
  proofs: createRoute({
    method: 'get',
    path: '/api/chains/{chain}/proofs',
    summary:
      'The state proofs of the configured accounts: per account the block, the verified values, the nodes that proved them and those that failed',
    request: { params: chainParam },
    responses: {
      200: json(StateProofs, 'the accounts (none when the chain has no `stateProofs`)'),
      ...toErrorResponses(['unknown_chain']),
    },
  }),
  nodes: createRoute({
    method: 'get',
    path: '/api/nodes',
    summary: 'Every node of every chain',
    responses: {
      200: json(z.strictObject({ nodes: z.array(NodeSummary) }), 'the nodes'),
      ...toErrorResponses([]),
    },
  }),
  cluster: createRoute({
    method: 'get',
    path: '/api/cluster',
    summary: 'The cluster: the lease (leader, epoch, age), the members and the locations of the watchers',
    responses: {
      200: json(
        z.strictObject({
          clustered: z.boolean(),
          lease: z
            .strictObject({
              holder: z.string().nullable(),
              epoch: z.number().int(),
              valid: z.boolean(),
              ageMs: z.number().nullable(),
              expiresInMs: z.number().nullable(),
            })
            .nullable(),
          instances: z.array(
            z.strictObject({
              instance: z.string(),
              role: ClusterRole,
              location: z.string().nullable(),
              epoch: z.number().int().nullable(),
              ageMs: z.number(),
            }),
          ),
          locations: z.array(
            z.strictObject({
              location: z.string(),
              instances: z.array(z.string()),
              observations: z.number().int(),
              lastObservedAtMs: z.number(),
              lastStoredAgeMs: z.number(),
            }),
          ),
        }),
        'the cluster as the store sees it',
      ),
      ...toErrorResponses(['not_ready']),
    },
  }),
  signals: createRoute({
    method: 'get',
    path: '/api/signals',
    summary: 'The most recent signals, newest last',
    request: { query: limitQuery('limit', 100, 1000) },
    responses: {
      200: json(z.strictObject({ signals: z.array(Signal) }), 'the signals'),
      ...toErrorResponses(['bad_request']),
    },
  }),
  breakers: createRoute({
    method: 'get',
    path: '/api/breakers',
    summary: 'Every breaker: state, override and its last `history` transitions',
    request: { query: limitQuery('history', 20, 1000) },
    responses: {
      200: json(
        z.strictObject({
          breakers: z.array(Breaker),
          levels: z.array(Level).openapi({ description: 'every level, lowest to highest' }),
        }),
        'the breakers, and the levels they move between',
      ),
      ...toErrorResponses(['bad_request']),
    },
  }),
  breaker: createRoute({
    method: 'get',
    path: '/api/breakers/{name}',
    summary: 'One breaker',
    request: { params: breakerParam, query: limitQuery('history', 100, 1000) },
    responses: {
      200: json(Breaker, 'the breaker'),
      ...toErrorResponses(['unknown_breaker', 'bad_request']),
    },
  }),
  events: createRoute({
    method: 'get',
    path: '/api/events',
    summary: 'Server-Sent Events: `signal` and `transition` events as they happen',
    responses: {
      200: { description: 'the event stream', content: { 'text/event-stream': { schema: z.string() } } },
      ...toErrorResponses([]),
    },
  }),
  override: createRoute({
    method: 'post',
    path: '/api/breakers/{name}/override',
    summary: 'Pin a breaker at a level (audited)',
    security: [{ bearer: [] }],
    request: {
      params: breakerParam,
      body: {
        required: true,
        content: {
          'application/json': { schema: z.object({ level: z.enum(LEVELS), reason: Reason, actor: Actor }) },
        },
      },
    },
    responses: {
      200: json(
        z.strictObject({ breaker: Breaker, transition: orNull(Transition) }),
        'stored; `transition` is null when the breaker was already at the level',
      ),
      ...toErrorResponses([
        'bad_json',
        'bad_request',
        'unauthorized',
        'forbidden',
        'override_disabled',
        'unknown_breaker',
        'payload_too_large',
        'not_ready',
      ]),
    },
  }),
  resume: createRoute({
    method: 'post',
    path: '/api/breakers/{name}/resume',
    summary: 'Release an override: the rules decide again (audited)',
    security: [{ bearer: [] }],
    request: {
      params: breakerParam,
      body: {
        required: true,
        content: { 'application/json': { schema: z.object({ reason: Reason, actor: Actor }) } },
      },
    },
    responses: {
      200: json(z.strictObject({ breaker: Breaker }), 'stored'),
      ...toErrorResponses([
        'bad_json',
        'bad_request',
        'unauthorized',
        'forbidden',
        'override_disabled',
        'unknown_breaker',
        'payload_too_large',
        'not_ready',
      ]),
    },
  }),
  risk: createRoute({
    method: 'post',
    path: '/api/risk',
    summary: 'Margin, exposures and cover of a portfolio under the live chain status',
    request: {
      body: {
        required: true,
        description:
          'a portfolio, in the shape of the portfolio file of `consensus-guard risk` (docs/risk.md)',
        content: { 'application/json': { schema: z.looseObject({}) } },
      },
    },
    responses: {
      200: json(
        z.strictObject({
          margin: z.looseObject({}),
          cover: z.looseObject({}),
          jumpToDefault: z.strictObject({
            bySource: z.array(z.strictObject({ source: z.string(), pnlUsd: z.number() })),
            worst: z.strictObject({ source: z.string(), pnlUsd: z.number() }).optional(),
          }),
        }),
        'what `consensus-guard risk --json` prints (docs/risk.md)',
      ),
      ...toErrorResponses(['bad_json', 'bad_request', 'payload_too_large']),
    },
  }),
};
