import { createRoute, z } from '@hono/zod-openapi';
import { LEVELS } from '../breaker/levels.ts';
import { SEVERITIES, SIGNAL_KINDS } from '../core/signal.ts';
import { toErrorResponses } from './httpError.ts';

// The schemas of the API's answers (docs/http.md), in the JSON the routes write: bigints are
// numbers, or decimal strings past 2^53; hashes lower-case hex without 0x; times ms since the epoch.
/** `schema` or null. (`.nullable()` on a named schema makes the component itself nullable in
 * zod-to-openapi, or an `allOf` that refuses null: a union keeps the `$ref` and adds null.) */
const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

const Height = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)])
  .openapi('Height', { description: 'A block height: a JSON number, a decimal string past 2^53' });
const Hash = z
  .string()
  .regex(/^[0-9a-f]+$/)
  .openapi('Hash', { description: 'lower-case hex, no 0x' });
const TimeMs = z.number().openapi({ description: 'ms since the Unix epoch' });
const Level = z.enum(LEVELS).openapi('Level');
const Severity = z.enum(SEVERITIES).openapi('Severity');
const BlockRef = z.strictObject({ number: Height, hash: Hash }).openapi('BlockRef');
const Checkpoint = z
  .strictObject({ hash: Hash, number: Height.optional(), epoch: z.number().int().optional() })
  .openapi('Checkpoint');

const ChainSummary = z
  .strictObject({
    name: z.string(),
    preset: z.string(),
    canonicalHead: z.strictObject({ number: Height, hash: Hash, timestamp: z.number() }).nullable(),
    finalized: orNull(Checkpoint),
    status: z.enum(['ok', ...SEVERITIES]),
    conditions: z.array(
      z.strictObject({
        key: z.string(),
        kind: z.string(),
        severity: Severity,
        message: z.string(),
        atMs: TimeMs,
      }),
    ),
    holds: z.array(
      z.strictObject({
        kind: z.string(),
        severity: Severity,
        message: z.string(),
        atMs: TimeMs,
        untilMs: TimeMs,
      }),
    ),
    level: Level,
    breakers: z.array(z.strictObject({ name: z.string(), level: Level })),
    secondsSinceLastHead: z.number().nonnegative(),
    finalityAgeSeconds: z.number().nonnegative().nullable(),
    nowMs: TimeMs,
    nodes: z.number().int().nonnegative(),
    blockTime: z.strictObject({
      kind: z.enum(['slots', 'exponential']),
      meanMs: z.number().positive(),
      warningMs: z.number().positive(),
      criticalMs: z.number().positive(),
    }),
    quorum: z.strictObject({
      status: z.enum(['ok', 'no_quorum']),
      supportWeight: z.number().nonnegative(),
      healthyWeight: z.number().nonnegative(),
      supportNodes: z.number().int().nonnegative(),
      healthyNodes: z.number().int().nonnegative(),
    }),
  })
  .openapi('ChainSummary');

const ForkBranch = z
  .strictObject({
    head: BlockRef,
    nodes: z.array(z.string()),
    clients: z.array(z.string()),
    weight: z.number().nonnegative(),
    chainwork: Height.optional(),
    finalized: BlockRef.optional(),
    justified: BlockRef.optional(),
    canonical: z.boolean(),
  })
  .openapi('ForkBranch');

const ForkResolution = z
  .strictObject({
    chain: z.string(),
    status: z.enum(['agreed', 'follow', 'safety_hold', 'unknown']),
    basis: z.enum(['none', 'finality_conflict', 'verified', 'finalized', 'justified', 'chainwork', 'weight']),
    reason: z.string(),
    winner: ForkBranch.optional(),
    losers: z.array(ForkBranch),
    drain: z.array(z.string()),
    rollbackHeight: Height.optional(),
    executions: z.array(
      z.strictObject({ id: z.string(), chain: z.string(), blockNumber: Height, blockHash: Hash }),
    ),
    resume: z.string(),
  })
  .openapi('ForkResolution');

const Quantity = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).openapi('Quantity', {
  description:
    'An unsigned integer (wei, a nonce, a storage word): a JSON number, a decimal string past 2^53',
});
const Word = z
  .string()
  .regex(/^0x[0-9a-f]{64}$/)
  .openapi('Word', { description: '32 bytes, lower-case hex with 0x' });

const StateProofAccount = z
  .strictObject({
    name: z.string(),
    address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
    block: orNull(z.strictObject({ number: Height, hash: Hash, timestamp: z.number() })),
    verifiedAtMs: TimeMs.nullable(),
    values: z
      .strictObject({
        nonce: Quantity,
        balance: Quantity,
        codeHash: Word,
        storageHash: Word,
        storage: z.array(z.strictObject({ slot: Word, value: Quantity })),
      })
      .nullable(),
    nodes: z.array(z.string()),
    failed: z.array(
      z.strictObject({
        node: z.string(),
        code: z.string(),
        message: z.string(),
        block: BlockRef,
        atMs: TimeMs,
      }),
    ),
  })
  .openapi('StateProofAccount');

const StateProofs = z
  .strictObject({
    chain: z.string(),
    intervalMs: z.number().int().positive().nullable(),
    accounts: z.array(StateProofAccount),
  })
  .openapi('StateProofs');

const BlockTree = z
  .strictObject({
    chain: z.string(),
    canonicalHead: orNull(BlockRef),
    finalized: orNull(BlockRef),
    fromHeight: orNull(Height),
    toHeight: orNull(Height),
    blocks: z.array(
      z.strictObject({
        hash: Hash,
        parentHash: Hash,
        number: Height,
        timestamp: z.number(),
        firstSeenMs: TimeMs,
        firstSeenBy: z.string(),
        canonical: z.boolean(),
        finalized: z.boolean(),
        nodes: z.array(z.string()),
        heads: z.array(z.string()),
      }),
    ),
    heads: z.record(z.string(), orNull(BlockRef)),
  })
  .openapi('BlockTree');

const NodeSummary = z
  .strictObject({
    chain: z.string(),
    name: z.string(),
    client: z.string().nullable(),
    head: orNull(BlockRef),
    lagBlocks: z.number().int().nonnegative().nullable(),
    healthy: z.boolean(),
    onCanonical: z.boolean().nullable(),
    lastLatencyMs: z.number().nonnegative().nullable(),
    lastError: z.string().nullable(),
    failingSinceMs: TimeMs.nullable(),
    headMinusFinalized: z.number().int().nullable(),
    finalized: orNull(Checkpoint),
    secondsSinceHeadChange: z.number().nonnegative(),
  })
  .openapi('NodeSummary');

/** The fields every signal has; each kind adds its own (docs/signals.md). */
const Signal = z
  .looseObject({
    kind: z.enum(SIGNAL_KINDS),
    chain: z.string(),
    node: z.string().optional(),
    client: z.string().optional(),
    severity: Severity,
    atMs: TimeMs,
    message: z.string(),
    uncorroborated: z.literal(true).optional(),
    monitorPartition: z.literal(true).optional(),
  })
  .openapi('Signal');

const Transition = z
  .strictObject({
    breaker: z.string(),
    from: Level,
    to: Level,
    atMs: TimeMs,
    reason: z.string(),
    causes: z.array(z.string()),
    mode: z.enum(['auto', 'manual']),
    actor: z.string().optional(),
    seq: z.number().int().positive(),
    idempotencyKey: z.string(),
  })
  .openapi('Transition');

const Breaker = z
  .strictObject({
    name: z.string(),
    chains: z.array(z.string()),
    level: Level,
    seq: z.number().int().nonnegative(),
    changedAtMs: TimeMs,
    override: z
      .strictObject({ level: Level, actor: z.string(), reason: z.string(), atMs: TimeMs })
      .nullable(),
    conditions: z.array(
      z.strictObject({ key: z.string(), level: Level, cause: z.string(), reason: z.string(), atMs: TimeMs }),
    ),
    history: z.array(Transition),
  })
  .openapi('Breaker');

const Reason = z.string().trim().min(1).max(500);
const Actor = z.string().trim().min(1).max(100);

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const chainParam = z.object({ chain: z.string().openapi({ param: { name: 'chain', in: 'path' } }) });
const breakerParam = z.object({ name: z.string().openapi({ param: { name: 'name', in: 'path' } }) });
const limitQuery = (name: string, fallback: number, max: number) =>
  z.object({
    [name]: z
      .string()
      .regex(/^\d+$/)
      .optional()
      .openapi({
        param: { name, in: 'query' },
        description: `an integer from 1 to ${max}, default ${fallback}`,
        example: String(fallback),
      }),
  });

/**
 * The routes of the HTTP API with the schemas of their requests and answers: `createApp` serves
 * them (at `getRoutingPath()`) and validates command bodies with their schemas, and
 * `GET /openapi.json` is the OpenAPI 3.1 document generated from them. Every route may also answer
 * `429 rate_limited` and `500 internal`.
 */
const ClusterRole = z.enum(['leader', 'follower', 'watcher']);

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
