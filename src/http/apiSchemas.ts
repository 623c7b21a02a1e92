import { z } from '@hono/zod-openapi';
import { LEVELS } from '../breaker/levels.ts';
import { SEVERITIES, SIGNAL_KINDS } from '../core/signal.ts';

// The schemas of the API's requests and answers (docs/http.md) that `API_ROUTES` is built from, in
// the JSON the routes write: bigints are numbers, or decimal strings past 2^53; hashes lower-case hex
// without 0x; times ms since the epoch.

/** `schema` or null. (`.nullable()` on a named schema makes the component itself nullable in
 * zod-to-openapi, or an `allOf` that refuses null: a union keeps the `$ref` and adds null.) */
export const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

const Height = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)])
  .openapi('Height', { description: 'A block height: a JSON number, a decimal string past 2^53' });
const Hash = z
  .string()
  .regex(/^[0-9a-f]+$/)
  .openapi('Hash', { description: 'lower-case hex, no 0x' });
const TimeMs = z.number().openapi({ description: 'ms since the Unix epoch' });
export const Level = z.enum(LEVELS).openapi('Level');
const Severity = z.enum(SEVERITIES).openapi('Severity');
const BlockRef = z.strictObject({ number: Height, hash: Hash }).openapi('BlockRef');
const Checkpoint = z
  .strictObject({ hash: Hash, number: Height.optional(), epoch: z.number().int().optional() })
  .openapi('Checkpoint');

export const ChainSummary = z
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
        node: z.string().optional().openapi({ description: 'the node, for a condition of one node' }),
        location: z.string().optional().openapi({
          description: "where that node is seen from: a watcher location, '' for the guard's own",
        }),
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

export const ForkResolution = z
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

export const StateProofs = z
  .strictObject({
    chain: z.string(),
    intervalMs: z.number().int().positive().nullable(),
    accounts: z.array(StateProofAccount),
  })
  .openapi('StateProofs');

export const BlockTree = z
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

export const NodeSummary = z
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
export const Signal = z
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

export const Transition = z
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

export const Breaker = z
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

export const Reason = z.string().trim().min(1).max(500);
export const Actor = z.string().trim().min(1).max(100);

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
export const chainParam = z.object({ chain: z.string().openapi({ param: { name: 'chain', in: 'path' } }) });
export const breakerParam = z.object({ name: z.string().openapi({ param: { name: 'name', in: 'path' } }) });
export const limitQuery = (name: string, fallback: number, max: number) =>
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
export const ClusterRole = z.enum(['leader', 'follower', 'watcher']);
