import type { Address, Hex } from 'viem';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { LEVELS } from '../breaker/levels.ts';
import { PRESETS, type ProofOfWork, toChainParams } from '../core/params.ts';
import { SEVERITIES, SIGNAL_KINDS } from '../core/signal.ts';
import type { EngineConfig } from '../engine/config.ts';
import { toMarketId } from '../sinks/onchain/toMarketId.ts';
import { WEBHOOK_SHAPES, type WebhookShape } from '../sinks/webhook/toWebhookBody.ts';
import { toWebhookKey } from '../sinks/webhook/toWebhookKey.ts';
import { ConfigError } from './configError.ts';
import { toChecksumAddress } from './toChecksumAddress.ts';
import { toRedactedUrl } from './toRedactedUrl.ts';
import { type StateProofConfig, toStateProofConfig } from './toStateProofConfig.ts';

export { ConfigError };

/**
 * The guard's configuration file (YAML or JSON), validated into a frozen {@link GuardConfig}.
 * Every error names its path and reason. Credentials come from environment variables
 * (`${NAME}` inside a URL, or `usernameEnv`/`passwordEnv`/`headersEnv`/`secretEnv`/`routingKeyEnv`/
 * `privateKeyEnv`) and are never printed: use {@link toRedactedUrl} for output.
 */

export const NODE_KINDS = ['evm', 'beacon', 'bitcoin'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export type NodeConfig = {
  name: string;
  kind: NodeKind;
  /** URL with environment variables expanded. Holds secrets: never print it, use `displayUrl`. */
  url: string;
  /** The URL without credentials, for logs and errors. */
  displayUrl: string;
  weight: number;
  pollIntervalMs?: number;
  requestTimeoutMs?: number;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  /** Bitcoin-style nodes: the chain's proof of work (`params.pow`), verified on every header. */
  pow?: ProofOfWork;
  /**
   * Beacon nodes: the block root the operator trusts (0x-hex, lower case); the node is then checked
   * with the light-client protocol from this checkpoint (docs/sources.md, `check: light_client`).
   */
  trustedCheckpointRoot?: string;
};

/** A webhook that receives every breaker transition (docs/service.md). */
export type WebhookSinkConfig = {
  name: string;
  kind: 'webhook';
  /** URL with environment variables expanded. May hold secrets: print `displayUrl`. */
  url: string;
  displayUrl: string;
  shape: WebhookShape;
  /** Signing secret (`whsec_…`, or raw), from the `secretEnv` variable. */
  secret?: string;
  /** PagerDuty integration key, from the `routingKeyEnv` variable. */
  routingKey?: string;
  timeoutMs?: number;
};

/** The keeper of an on-chain `ConsensusGuard`: writes every breaker transition into it (docs/onchain.md). */
export type OnchainSinkConfig = {
  name: string;
  kind: 'onchain';
  /** JSON-RPC URL of the guard's chain, environment variables expanded. May hold secrets: print `displayUrl`. */
  rpcUrl: string;
  displayUrl: string;
  /** The `ConsensusGuard`'s address, with its EIP-55 checksum. */
  guardAddress: Address;
  /** Name of the environment variable that holds the keeper's key. */
  privateKeyEnv: string;
  /** The keeper's private key (32 bytes), from `privateKeyEnv`. Never print it. */
  privateKey: Hex;
  /** Breaker name -> market id (32 bytes). */
  markets: Record<string, Hex>;
  confirmations?: number;
  timeoutMs?: number;
  /** Milliseconds between the keeper's heartbeats to the guard (its dead-man switch); 0 sends none.
   * Absent: the keeper's default, 60 000. */
  heartbeatIntervalMs?: number;
};

export type SinkConfig = WebhookSinkConfig | OnchainSinkConfig;

export type GuardConfig = {
  engine: EngineConfig;
  nodes: Record<string, NodeConfig[]>;
  /** Where breaker transitions go (empty when the file has no `sinks`). */
  sinks: readonly SinkConfig[];
  /** Per EVM chain, the accounts and storage slots proved against the agreed block (empty when none). */
  stateProofs: Record<string, StateProofConfig>;
  /** The durable store, as the file's `store:` section gives it (every member absent without one). */
  store: StoreConfig;
};

/**
 * `store:` of a config file. `kind` (default `sqlite`): `sqlite` in `dataDir`, `postgres` at the URL
 * in the environment variable `urlEnv` (`url`, a secret: print `displayUrl`), or `memory`.
 */
export type StoreConfig = {
  kind?: 'sqlite' | 'postgres' | 'memory';
  dataDir?: string;
  urlEnv?: string;
  /** The PostgreSQL URL read from `urlEnv`. Never print it: it may hold the password. */
  url?: string;
  /** `url` with any password redacted. */
  displayUrl?: string;
};

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

const nodeSchema = z.strictObject({
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

const webhookSinkSchema = z.strictObject({
  name: sinkName,
  kind: z.literal('webhook').default('webhook'),
  url: z.string().min(1),
  shape: z.enum(WEBHOOK_SHAPES).default('generic'),
  secretEnv: z.string().min(1).optional(),
  routingKeyEnv: z.string().min(1).optional(),
  timeoutMs: positiveInt.optional(),
});

const onchainSinkSchema = z.strictObject({
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

const configSchema = z.strictObject({
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

/** Parses and validates configuration text. `source` names it in errors (e.g. the file path). */
export function parseConfig(
  text: string,
  source: string,
  env: Record<string, string | undefined>,
): GuardConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: false });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(source, [`not valid YAML: ${message}`], { cause: error });
  }
  if (raw === null || typeof raw !== 'object')
    throw new ConfigError(source, ['expected a mapping with a `chains` key']);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      source,
      parsed.error.issues.map((issue) => `${toPath(issue.path)}: ${issue.message}`),
    );
  }
  const issues: string[] = [];
  const engine: EngineConfig = { chains: {} };
  const nodes: Record<string, NodeConfig[]> = {};
  const stateProofs: Record<string, StateProofConfig> = {};
  for (const [chainName, chain] of Object.entries(parsed.data.chains)) {
    const weights: Record<string, number> = {};
    const seen = new Set<string>();
    nodes[chainName] = chain.nodes.map((node, i) => {
      const path = `chains.${chainName}.nodes[${i}]`;
      if (seen.has(node.name)) issues.push(`${path}.name: duplicate node name "${node.name}"`);
      seen.add(node.name);
      weights[node.name] = node.weight;
      const config = toNodeConfig(node, path, env, issues);
      if (config.kind === 'bitcoin' && chain.params?.pow !== undefined) config.pow = chain.params.pow;
      return config;
    });
    if (chain.stateProofs)
      stateProofs[chainName] = toStateProofConfig(
        chain.stateProofs,
        `chains.${chainName}.stateProofs`,
        nodes[chainName],
        `chains.${chainName}.nodes`,
        issues,
      );
    const params = { ...(chain.params ?? {}), weights } as NonNullable<
      EngineConfig['chains'][string]['params']
    >;
    try {
      toChainParams(chain.preset, params);
    } catch (error) {
      issues.push(`chains.${chainName}.preset: ${(error as Error).message}`);
    }
    engine.chains[chainName] = { preset: chain.preset, params, nodes: chain.nodes.map((node) => node.name) };
  }
  if (parsed.data.breaker) {
    const breaker: NonNullable<EngineConfig['breaker']> = {};
    if (parsed.data.breaker.rules) breaker.rules = parsed.data.breaker.rules.map(stripUndefined);
    if (parsed.data.breaker.recovery) breaker.recovery = stripUndefined(parsed.data.breaker.recovery);
    if (parsed.data.breaker.uncorroboratedLevel)
      breaker.uncorroboratedLevel = parsed.data.breaker.uncorroboratedLevel;
    if (parsed.data.breaker.breakers) {
      breaker.breakers = parsed.data.breaker.breakers;
      parsed.data.breaker.breakers.forEach((b, i) => {
        for (const c of b.chains) {
          if (!Object.hasOwn(parsed.data.chains, c))
            issues.push(`breaker.breakers[${i}].chains: unknown chain "${c}"`);
        }
      });
    }
    engine.breaker = breaker;
  }
  const breakerNames = toBreakerNames(Object.keys(parsed.data.chains), parsed.data.breaker?.breakers);
  const sinkNames = new Set<string>();
  const sinks = (parsed.data.sinks ?? []).map((sink, i): SinkConfig => {
    const path = `sinks[${i}]`;
    if (sinkNames.has(sink.name)) issues.push(`${path}.name: duplicate sink name "${sink.name}"`);
    sinkNames.add(sink.name);
    return sink.kind === 'onchain'
      ? toOnchainSinkConfig(sink, path, env, breakerNames, issues)
      : toWebhookSinkConfig(sink, path, env, issues);
  });
  const store = toStoreConfig(parsed.data.store ?? {}, env, issues);
  if (issues.length > 0) throw new ConfigError(source, issues);
  return deepFreeze({ engine, nodes, sinks, stateProofs, store });
}

function toNodeConfig(
  node: z.infer<typeof nodeSchema>,
  path: string,
  env: Record<string, string | undefined>,
  issues: string[],
): NodeConfig {
  const url = expandEnv(node.url, `${path}.url`, env, issues);
  // From the text before expansion: variables show as `${NAME}`, never as their values.
  const displayUrl = toRedactedUrl(node.url);
  try {
    const parsedUrl = toParsedUrl(url);
    const allowed = node.kind === 'evm' ? ['http:', 'https:', 'ws:', 'wss:'] : ['http:', 'https:'];
    if (!allowed.includes(parsedUrl.protocol)) {
      issues.push(
        `${path}.url: ${node.kind} nodes take ${allowed.map((p) => `${p}//`).join(' or ')} URLs, got ${parsedUrl.protocol}//`,
      );
    }
  } catch {
    issues.push(`${path}.url: ${toInvalidUrlMessage(node.url)}`);
  }
  const out: NodeConfig = { name: node.name, kind: node.kind, url, displayUrl, weight: node.weight };
  if (node.pollIntervalMs !== undefined) out.pollIntervalMs = node.pollIntervalMs;
  if (node.requestTimeoutMs !== undefined) out.requestTimeoutMs = node.requestTimeoutMs;
  if (node.trustedCheckpointRoot !== undefined) {
    if (node.kind === 'beacon') out.trustedCheckpointRoot = node.trustedCheckpointRoot.toLowerCase();
    else issues.push(`${path}.trustedCheckpointRoot: only beacon nodes take a trusted checkpoint root`);
  }
  const fromEnv = (name: string | undefined, field: string): string | undefined => {
    if (name === undefined) return undefined;
    const value = env[name];
    if (value === undefined) issues.push(`${path}.${field}: environment variable ${name} is not set`);
    return value;
  };
  const username = fromEnv(node.usernameEnv, 'usernameEnv');
  const password = fromEnv(node.passwordEnv, 'passwordEnv');
  if (username !== undefined) out.username = username;
  if (password !== undefined) out.password = password;
  if (node.headersEnv) {
    const headers: Record<string, string> = {};
    for (const [header, name] of Object.entries(node.headersEnv)) {
      const value = fromEnv(name, `headersEnv.${header}`);
      if (value !== undefined) headers[header] = value;
    }
    out.headers = headers;
  }
  return out;
}

function toWebhookSinkConfig(
  sink: z.infer<typeof webhookSinkSchema>,
  path: string,
  env: Record<string, string | undefined>,
  issues: string[],
): WebhookSinkConfig {
  const url = expandEnv(sink.url, `${path}.url`, env, issues);
  // The origin only: a webhook's path is often a secret itself (Slack's is).
  const displayUrl = toRedactedUrl(url, { originOnly: true });
  try {
    const parsedUrl = toParsedUrl(url);
    if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') {
      issues.push(`${path}.url: webhooks take http:// or https:// URLs, got ${parsedUrl.protocol}//`);
    } else if (parsedUrl.username || parsedUrl.password) issues.push(webhookCredentialsIssue(path, sink.url));
  } catch {
    if (url.includes('@')) issues.push(webhookCredentialsIssue(path, sink.url));
    else if (!sink.url.includes('${')) issues.push(`${path}.url: ${toInvalidUrlMessage(sink.url)}`);
  }
  const out: WebhookSinkConfig = { name: sink.name, kind: 'webhook', url, displayUrl, shape: sink.shape };
  if (sink.timeoutMs !== undefined) out.timeoutMs = sink.timeoutMs;
  if (sink.secretEnv !== undefined) {
    const secret = env[sink.secretEnv];
    if (secret === undefined || secret === '') {
      issues.push(`${path}.secretEnv: environment variable ${sink.secretEnv} is not set`);
    } else {
      try {
        toWebhookKey(secret);
        out.secret = secret;
      } catch (error) {
        issues.push(`${path}.secretEnv: environment variable ${sink.secretEnv}: ${(error as Error).message}`);
      }
    }
  } else if (sink.shape === 'generic') {
    issues.push(
      `${path}.secretEnv: a generic webhook is signed: name the environment variable of its secret`,
    );
  }
  if (sink.routingKeyEnv !== undefined) {
    const key = env[sink.routingKeyEnv];
    if (key === undefined || key === '') {
      issues.push(`${path}.routingKeyEnv: environment variable ${sink.routingKeyEnv} is not set`);
    } else out.routingKey = key;
  } else if (sink.shape === 'pagerduty') {
    issues.push(
      `${path}.routingKeyEnv: a pagerduty webhook needs the environment variable of its routing key`,
    );
  }
  return out;
}

/**
 * fetch refuses a URL with a user name or password, so such a webhook would never deliver: the
 * secret goes in `secretEnv` (the signature) or, as a token, in the path from a variable.
 */
function webhookCredentialsIssue(path: string, url: string): string {
  return `${path}.url: a user name or password in a webhook URL is refused, nothing would be delivered (${toRedactedUrl(url, { originOnly: true })}): sign with secretEnv, or keep a token in the path from an environment variable (\${NAME})`;
}

/** secp256k1's group order: a private key is in [1, n - 1]. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function toOnchainSinkConfig(
  sink: z.infer<typeof onchainSinkSchema>,
  path: string,
  env: Record<string, string | undefined>,
  breakerNames: ReadonlySet<string>,
  issues: string[],
): OnchainSinkConfig {
  const before = issues.length;
  const rpcUrl = expandEnv(sink.rpcUrl, `${path}.rpcUrl`, env, issues);
  const displayUrl = toRedactedUrl(sink.rpcUrl);
  try {
    const parsedUrl = toParsedUrl(rpcUrl);
    if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') {
      issues.push(
        `${path}.rpcUrl: the on-chain guard takes http:// or https:// URLs, got ${parsedUrl.protocol}//`,
      );
    }
  } catch {
    if (issues.length === before) issues.push(`${path}.rpcUrl: ${toInvalidUrlMessage(sink.rpcUrl)}`);
  }

  const guardAddress = toChecksumAddress(sink.guardAddress, `${path}.guardAddress`, issues);

  let privateKey = '0x' as Hex;
  const key = env[sink.privateKeyEnv]?.trim();
  const keyHex = key?.startsWith('0x') ? key : `0x${key ?? ''}`;
  if (key === undefined || key === '') {
    issues.push(
      `${path}.privateKeyEnv: environment variable ${sink.privateKeyEnv} is not set: it must hold the keeper's private key`,
    );
  } else if (!/^0x[0-9a-fA-F]{64}$/.test(keyHex)) {
    issues.push(
      `${path}.privateKeyEnv: environment variable ${sink.privateKeyEnv} does not hold a private key (32 bytes of hex)`,
    );
  } else if (BigInt(keyHex) === 0n || BigInt(keyHex) >= SECP256K1_N) {
    issues.push(
      `${path}.privateKeyEnv: environment variable ${sink.privateKeyEnv} does not hold a valid secp256k1 private key`,
    );
  } else privateKey = keyHex as Hex;

  const markets: Record<string, Hex> = {};
  const breakerOfMarket = new Map<Hex, string>();
  for (const [breaker, market] of Object.entries(sink.markets)) {
    const field = `${path}.markets.${breaker}`;
    if (!breakerNames.has(breaker)) {
      issues.push(`${field}: unknown breaker "${breaker}": the breakers are ${[...breakerNames].join(', ')}`);
    }
    let id: Hex;
    if (/^0x[0-9a-fA-F]{64}$/.test(market)) id = market.toLowerCase() as Hex;
    else if (/^0x[0-9a-fA-F]*$/.test(market)) {
      issues.push(
        `${field}: "${market}" is not a market id: give 32 bytes of hex (0x and 64 hex digits), or a market name`,
      );
      continue;
    } else id = toMarketId(market);
    const other = breakerOfMarket.get(id);
    if (other !== undefined) {
      issues.push(
        `${field}: market "${market}" is already the market of breaker "${other}": each market follows one breaker`,
      );
    }
    breakerOfMarket.set(id, breaker);
    markets[breaker] = id;
  }

  const out: OnchainSinkConfig = {
    name: sink.name,
    kind: 'onchain',
    rpcUrl,
    displayUrl,
    guardAddress,
    privateKeyEnv: sink.privateKeyEnv,
    privateKey,
    markets,
  };
  if (sink.confirmations !== undefined) out.confirmations = sink.confirmations;
  if (sink.timeoutMs !== undefined) out.timeoutMs = sink.timeoutMs;
  if (sink.heartbeatIntervalMs !== undefined) out.heartbeatIntervalMs = sink.heartbeatIntervalMs;
  return out;
}

/**
 * The names of the breakers the engine will have: those of `breaker.breakers`, and one per chain that
 * none of them covers, named after the chain (see `createEngineState`).
 */
function toBreakerNames(
  chains: readonly string[],
  breakers: ReadonlyArray<{ name: string; chains: readonly string[] }> = [],
): ReadonlySet<string> {
  const names = new Set(breakers.map((b) => b.name));
  const covered = new Set(breakers.flatMap((b) => b.chains));
  for (const chain of chains) if (!covered.has(chain)) names.add(chain);
  return names;
}

/** Replaces each `${NAME}` in `text` with the environment variable; an unset one is an issue at `path`. */
function expandEnv(
  text: string,
  path: string,
  env: Record<string, string | undefined>,
  issues: string[],
): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined) issues.push(`${path}: environment variable ${name} is not set`);
    return value ?? '';
  });
}

/**
 * `url` parsed, when it starts with its scheme and `//`; throws otherwise. Without `//` the URL parser
 * takes `user:password@host` for a scheme `user:` and a path, and an error naming that scheme would
 * print the user name.
 */
function toParsedUrl(url: string): URL {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url)) throw new TypeError('no scheme');
  return new URL(url);
}

/** Why `url` is refused when it does not parse, redacted; the likely cause when it holds an `@`. */
function toInvalidUrlMessage(url: string): string {
  const hint = url.includes('@')
    ? ': a / ? # or @ in a user name or password must be percent-encoded (%2F %3F %23 %40)'
    : '';
  return `not a valid URL (${toRedactedUrl(url)})${hint}`;
}

/** `chains.x.nodes[0]`; a key that is not a plain name is quoted (`chains["a b"]`) and cut to 64 characters. */
function toPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      if (/^[A-Za-z0-9._:-]{1,64}$/.test(key)) out += out ? `.${key}` : key;
      else out += `[${JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key)}]`;
    }
  }
  return out || '(top level)';
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function toStoreConfig(
  section: { kind?: StoreConfig['kind']; dataDir?: string | undefined; urlEnv?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
  issues: string[],
): StoreConfig {
  const store: StoreConfig = {};
  if (section.kind !== undefined) store.kind = section.kind;
  if (section.dataDir !== undefined) store.dataDir = section.dataDir;
  const kind = section.kind ?? 'sqlite';
  if (kind !== 'sqlite' && section.dataDir !== undefined) {
    issues.push(`store.dataDir: only for kind sqlite (this store is ${kind})`);
  }
  if (kind !== 'postgres') {
    if (section.urlEnv !== undefined) {
      issues.push(`store.urlEnv: only for kind postgres: add "kind: postgres", or remove urlEnv`);
    }
    return store;
  }
  if (section.urlEnv === undefined) {
    issues.push(
      'store.urlEnv: kind postgres needs urlEnv, the environment variable that holds the postgres:// URL',
    );
    return store;
  }
  store.urlEnv = section.urlEnv;
  const url = env[section.urlEnv];
  if (url === undefined || url === '') {
    issues.push(`store.urlEnv: environment variable ${section.urlEnv} is not set`);
  } else if (!/^postgres(?:ql)?:\/\//.test(url)) {
    issues.push(`store.urlEnv: environment variable ${section.urlEnv} does not hold a postgres:// URL`);
  } else {
    store.url = url;
    store.displayUrl = toRedactedUrl(url);
  }
  return store;
}
