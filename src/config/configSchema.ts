import { z } from 'zod';
import { LEVELS } from '../breaker/levels.ts';
import { PRESETS } from '../core/params.ts';
import { SEVERITIES, SIGNAL_KINDS } from '../core/signal.ts';
import { WEBHOOK_SHAPES } from '../sinks/webhook/toWebhookBody.ts';
import { NODE_KINDS } from './guardConfig.ts';

const positiveInt = z.number().int().positive();
const durationMs = z.number().int().nonnegative();

/**
 * Names of chains and breakers: they key records, URLs of the API and idempotency keys (which use
 * `:` as a separator). Starting with a letter or digit keeps out `__proto__`, which a record would
 * silently drop.
 */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Names of nodes and sinks: as {@link NAME_PATTERN}, and `:` as in `127.0.0.1:8545`. */
export const MEMBER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const nameRule = '1 to 64 letters, digits, . _ or -, starting with a letter or digit';
const memberNameRule = '1 to 64 letters, digits, . _ : or -, starting with a letter or digit';

const nameSchema = (what: string) => z.string().regex(NAME_PATTERN, `not a valid ${what} name: ${nameRule}`);
const memberNameSchema = (what: string) =>
  z.string().regex(MEMBER_NAME_PATTERN, `not a valid ${what} name: ${memberNameRule}`);

/**
 * A record keyed by names. Each key is checked before `z.record` sees it: zod drops a `__proto__`
 * key without a word, so that `chains: { __proto__: … }` would be a config without that chain.
 */
const namedRecord = <T extends z.ZodType>(what: string, value: T) =>
  z.preprocess(
    (input, ctx) => {
      if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
        for (const key of Object.keys(input)) {
          if (!NAME_PATTERN.test(key))
            ctx.addIssue({
              code: 'custom',
              path: [key],
              input: key,
              message: `not a valid ${what} name: ${nameRule}`,
            });
        }
      }
      return input;
    },
    z.record(z.string(), value),
  );

const paramsSchema = z
  .strictObject({
    blockTime: z
      .discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('slots'), slotMs: positiveInt, slotsPerEpoch: positiveInt }),
        z.strictObject({ kind: z.literal('exponential'), meanBlockMs: positiveInt }),
      ])
      .optional(),
    reorg: z.strictObject({ warningDepth: positiveInt, criticalDepth: positiveInt }).partial().optional(),
    liveness: z
      .strictObject({
        maxMissedSlots: z.number().int().nonnegative(),
        criticalMissedSlots: z.number().int().nonnegative(),
        warningFalseAlarm: z.number().gt(0).lt(1),
        criticalFalseAlarm: z.number().gt(0).lt(1),
      })
      .partial()
      .optional(),
    finality: z
      .strictObject({
        enabled: z.boolean(),
        warningEpochs: z.number().int().nonnegative(),
        criticalEpochs: z.number().int().nonnegative(),
        warningAgeMs: durationMs,
        criticalAgeMs: durationMs,
      })
      .partial()
      .optional(),
    divergence: z
      .strictObject({
        toleranceBlocks: z.number().int().nonnegative(),
        toleranceMs: durationMs,
        criticalBlocks: positiveInt,
      })
      .partial()
      .optional(),
    lag: z
      .strictObject({ maxBlocks: z.number().int().nonnegative(), graceMs: durationMs })
      .partial()
      .optional(),
    latency: z
      .strictObject({ rpcThresholdMs: durationMs, propagationThresholdMs: durationMs })
      .partial()
      .optional(),
    pruneDepth: positiveInt.min(16).optional(),
    quorum: z
      .strictObject({ fraction: z.number().min(0).max(0.99), minNodes: positiveInt, toleranceMs: durationMs })
      .partial()
      .optional(),
    maxAheadBlocks: positiveInt.optional(),
    pow: z
      .strictObject({
        algorithm: z.enum(['sha256d', 'scrypt']),
        retarget: z.enum(['fixed', 'interval']),
        retargetInterval: positiveInt.default(2016),
        powLimitBits: z.number().int().min(1).max(0xffffffff),
      })
      .optional(),
  })
  .optional();

/** A string that YAML would read as a number when unquoted (`0x…`). */
const quotedHex = (what: string) =>
  z.string({
    error: (issue) =>
      typeof issue.input === 'number'
        ? `write the ${what} in quotes: YAML reads an unquoted 0x… as a number`
        : undefined,
  });

export const nodeSchema = z.strictObject({
  name: memberNameSchema('node'),
  kind: z.enum(NODE_KINDS).default('evm'),
  url: z.string().min(1),
  weight: z.number().positive().default(1),
  pollIntervalMs: positiveInt.optional(),
  requestTimeoutMs: positiveInt.optional(),
  usernameEnv: z.string().min(1).optional(),
  passwordEnv: z.string().min(1).optional(),
  headersEnv: z.record(z.string(), z.string().min(1)).optional(),
  trustedCheckpointRoot: quotedHex('checkpoint root')
    .regex(/^0x[0-9a-fA-F]{64}$/, 'a block root is 0x followed by 64 hex digits')
    .optional(),
});

const chainSchema = z.strictObject({
  preset: z.string().refine((p) => Object.hasOwn(PRESETS, p), {
    message: `unknown preset: use one of ${Object.keys(PRESETS).join(', ')}`,
  }),
  params: paramsSchema,
  nodes: z.array(nodeSchema).min(1, 'at least one node'),
  stateProofs: z
    .strictObject({
      intervalMs: positiveInt.default(5_000),
      accounts: z
        .array(
          z.strictObject({
            name: nameSchema('account'),
            address: quotedHex('address'),
            slots: z.array(z.union([z.string(), z.number()])).default([]),
          }),
        )
        .min(1, 'at least one account to prove'),
    })
    .optional(),
});

const ruleSchema = z.strictObject({
  kind: z.enum(SIGNAL_KINDS),
  minSeverity: z.enum(SEVERITIES),
  level: z.enum(LEVELS),
  holdMs: durationMs.optional(),
  scope: z.enum(['node', 'chain']).optional(),
});

const sinkName = memberNameSchema('sink');

export const webhookSinkSchema = z.strictObject({
  name: sinkName,
  kind: z.literal('webhook').default('webhook'),
  url: z.string().min(1),
  shape: z.enum(WEBHOOK_SHAPES).default('generic'),
  secretEnv: z.string().min(1).optional(),
  routingKeyEnv: z.string().min(1).optional(),
  timeoutMs: positiveInt.optional(),
});

export const onchainSinkSchema = z.strictObject({
  name: sinkName,
  kind: z.literal('onchain'),
  rpcUrl: z.string().min(1),
  guardAddress: quotedHex('address'),
  privateKeyEnv: z.string().min(1),
  markets: namedRecord('breaker', quotedHex('market id').min(1)).refine(
    (markets) => Object.keys(markets).length > 0,
    'at least one breaker -> market',
  ),
  confirmations: positiveInt.optional(),
  timeoutMs: positiveInt.optional(),
  heartbeatIntervalMs: durationMs.optional(),
});

const sinkSchema = z.discriminatedUnion('kind', [webhookSinkSchema, onchainSinkSchema], {
  error: (issue) =>
    issue.code === 'invalid_union' ? 'unknown sink kind: use webhook (the default) or onchain' : undefined,
});

export const configSchema = z.strictObject({
  sinks: z.array(sinkSchema).optional(),
  store: z
    .strictObject({
      kind: z.enum(['sqlite', 'postgres', 'memory']).optional(),
      dataDir: z.string().min(1).optional(),
      urlEnv: z.string().min(1).optional(),
    })
    .optional(),
  chains: namedRecord('chain', chainSchema).refine(
    (chains) => Object.keys(chains).length > 0,
    'no chain: a guard without chains has nothing to watch; give at least one chain with its nodes',
  ),
  breaker: z
    .strictObject({
      rules: z.array(ruleSchema).optional(),
      uncorroboratedLevel: z.enum(LEVELS).optional(),
      recovery: z.strictObject({ healthyEvaluations: positiveInt, graceMs: durationMs }).partial().optional(),
      breakers: z
        .array(z.strictObject({ name: nameSchema('breaker'), chains: z.array(z.string()).min(1) }))
        .optional(),
    })
    .optional(),
});
