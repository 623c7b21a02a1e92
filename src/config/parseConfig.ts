import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { LEVELS } from '../breaker/levels.ts';
import { PRESETS, toChainParams } from '../core/params.ts';
import { SEVERITIES, SIGNAL_KINDS } from '../core/signal.ts';
import type { EngineConfig } from '../engine/config.ts';
import { WEBHOOK_SHAPES, type WebhookShape } from '../sinks/webhook/toWebhookBody.ts';

/**
 * The guard's configuration file (YAML or JSON), validated into a frozen {@link GuardConfig}.
 * Every error names its path and reason. Credentials come from environment variables
 * (`${NAME}` inside a URL, or `usernameEnv`/`passwordEnv`/`headersEnv`) and are never printed:
 * use {@link toRedactedUrl} for output.
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
};

/** A webhook that receives every breaker transition (docs/service.md). */
export type WebhookSinkConfig = {
  name: string;
  kind: 'webhook';
  /** URL with environment variables expanded. May hold secrets: print `displayUrl`. */
  url: string;
  displayUrl: string;
  shape: WebhookShape;
  /** HMAC secret, from the `secretEnv` variable. */
  secret?: string;
  /** PagerDuty integration key, from the `routingKeyEnv` variable. */
  routingKey?: string;
  timeoutMs?: number;
};

export type SinkConfig = WebhookSinkConfig;

export type GuardConfig = {
  engine: EngineConfig;
  nodes: Record<string, NodeConfig[]>;
  /** Where breaker transitions go (empty when the file has no `sinks`). */
  sinks: readonly SinkConfig[];
  /** The durable store; `dataDir` when the file sets it. */
  store: { dataDir?: string };
};

const positiveInt = z.number().int().positive();
const durationMs = z.number().int().nonnegative();

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
  })
  .optional();

const nodeSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, . _ : - only'),
  kind: z.enum(NODE_KINDS).default('evm'),
  url: z.string().min(1),
  weight: z.number().positive().default(1),
  pollIntervalMs: positiveInt.optional(),
  requestTimeoutMs: positiveInt.optional(),
  usernameEnv: z.string().min(1).optional(),
  passwordEnv: z.string().min(1).optional(),
  headersEnv: z.record(z.string(), z.string().min(1)).optional(),
});

const chainSchema = z.strictObject({
  preset: z.string().refine((p) => Object.hasOwn(PRESETS, p), {
    message: `unknown preset: use one of ${Object.keys(PRESETS).join(', ')}`,
  }),
  params: paramsSchema,
  nodes: z.array(nodeSchema).min(1, 'at least one node'),
});

const ruleSchema = z.strictObject({
  kind: z.enum(SIGNAL_KINDS),
  minSeverity: z.enum(SEVERITIES),
  level: z.enum(LEVELS),
  holdMs: durationMs.optional(),
  scope: z.enum(['node', 'chain']).optional(),
});

const sinkSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, . _ : - only'),
  kind: z.literal('webhook').default('webhook'),
  url: z.string().min(1),
  shape: z.enum(WEBHOOK_SHAPES).default('generic'),
  secretEnv: z.string().min(1).optional(),
  routingKeyEnv: z.string().min(1).optional(),
  timeoutMs: positiveInt.optional(),
});

const configSchema = z.strictObject({
  sinks: z.array(sinkSchema).optional(),
  store: z.strictObject({ dataDir: z.string().min(1).optional() }).optional(),
  chains: z.record(z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only'), chainSchema),
  breaker: z
    .strictObject({
      rules: z.array(ruleSchema).optional(),
      recovery: z.strictObject({ healthyEvaluations: positiveInt, graceMs: durationMs }).partial().optional(),
      breakers: z
        .array(z.strictObject({ name: z.string().min(1), chains: z.array(z.string()).min(1) }))
        .optional(),
    })
    .optional(),
});

/** A configuration that cannot be used: `issues` lists each path and reason. */
export class ConfigError extends Error {
  readonly code = 'invalid_config';
  readonly issues: string[];
  constructor(source: string, issues: string[]) {
    super(`${source}: ${issues.join('; ')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

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
    throw new ConfigError(source, [`not valid YAML: ${message}`]);
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
  for (const [chainName, chain] of Object.entries(parsed.data.chains)) {
    const weights: Record<string, number> = {};
    const seen = new Set<string>();
    nodes[chainName] = chain.nodes.map((node, i) => {
      const path = `chains.${chainName}.nodes[${i}]`;
      if (seen.has(node.name)) issues.push(`${path}.name: duplicate node name "${node.name}"`);
      seen.add(node.name);
      weights[node.name] = node.weight;
      return toNodeConfig(node, path, env, issues);
    });
    const params = { ...(chain.params ?? {}), weights } as NonNullable<
      EngineConfig['chains'][string]['params']
    >;
    try {
      toChainParams(chain.preset, params);
    } catch (error) {
      issues.push(`chains.${chainName}.preset: ${(error as Error).message}`);
    }
    engine.chains[chainName] = { preset: chain.preset, params };
  }
  if (parsed.data.breaker) {
    const breaker: NonNullable<EngineConfig['breaker']> = {};
    if (parsed.data.breaker.rules) breaker.rules = parsed.data.breaker.rules.map(stripUndefined);
    if (parsed.data.breaker.recovery) breaker.recovery = stripUndefined(parsed.data.breaker.recovery);
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
  const sinkNames = new Set<string>();
  const sinks = (parsed.data.sinks ?? []).map((sink, i) => {
    const path = `sinks[${i}]`;
    if (sinkNames.has(sink.name)) issues.push(`${path}.name: duplicate sink name "${sink.name}"`);
    sinkNames.add(sink.name);
    return toSinkConfig(sink, path, env, issues);
  });
  const store: GuardConfig['store'] = {};
  if (parsed.data.store?.dataDir !== undefined) store.dataDir = parsed.data.store.dataDir;
  if (issues.length > 0) throw new ConfigError(source, issues);
  return deepFreeze({ engine, nodes, sinks, store });
}

function toNodeConfig(
  node: z.infer<typeof nodeSchema>,
  path: string,
  env: Record<string, string | undefined>,
  issues: string[],
): NodeConfig {
  const url = node.url.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined) issues.push(`${path}.url: environment variable ${name} is not set`);
    return value ?? '';
  });
  let displayUrl = toRedactedUrl(node.url);
  try {
    const parsedUrl = new URL(url);
    const allowed = node.kind === 'evm' ? ['http:', 'https:', 'ws:', 'wss:'] : ['http:', 'https:'];
    if (!allowed.includes(parsedUrl.protocol)) {
      issues.push(
        `${path}.url: ${node.kind} nodes take ${allowed.map((p) => `${p}//`).join(' or ')} URLs, got ${parsedUrl.protocol}//`,
      );
    }
    displayUrl = toRedactedUrl(node.url.includes('${') ? node.url : url);
  } catch {
    issues.push(`${path}.url: not a valid URL (${toRedactedUrl(node.url)})`);
  }
  const out: NodeConfig = { name: node.name, kind: node.kind, url, displayUrl, weight: node.weight };
  if (node.pollIntervalMs !== undefined) out.pollIntervalMs = node.pollIntervalMs;
  if (node.requestTimeoutMs !== undefined) out.requestTimeoutMs = node.requestTimeoutMs;
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

function toSinkConfig(
  sink: z.infer<typeof sinkSchema>,
  path: string,
  env: Record<string, string | undefined>,
  issues: string[],
): SinkConfig {
  const url = sink.url.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined) issues.push(`${path}.url: environment variable ${name} is not set`);
    return value ?? '';
  });
  let displayUrl = '(invalid URL)';
  try {
    const parsedUrl = new URL(url);
    if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') {
      issues.push(`${path}.url: webhooks take http:// or https:// URLs, got ${parsedUrl.protocol}//`);
    }
    displayUrl = parsedUrl.origin;
  } catch {
    if (!sink.url.includes('${')) issues.push(`${path}.url: not a valid URL (${toRedactedUrl(sink.url)})`);
  }
  const out: SinkConfig = { name: sink.name, kind: 'webhook', url, displayUrl, shape: sink.shape };
  if (sink.timeoutMs !== undefined) out.timeoutMs = sink.timeoutMs;
  if (sink.secretEnv !== undefined) {
    const secret = env[sink.secretEnv];
    if (secret === undefined || secret === '') {
      issues.push(`${path}.secretEnv: environment variable ${sink.secretEnv} is not set`);
    } else out.secret = secret;
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

/** A URL safe to print: no user or password, no query string, `${VAR}` placeholders kept. */
export function toRedactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const auth = parsed.username || parsed.password ? '***@' : '';
    const query = parsed.search ? '?***' : '';
    return `${parsed.protocol}//${auth}${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}${query}`;
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//***@').replace(/\?.*$/, '?***');
  }
}

function toPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
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
