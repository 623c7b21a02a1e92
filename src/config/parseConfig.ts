import { parse as parseYaml } from 'yaml';
import { toChainParams } from '../core/params.ts';
import type { EngineConfig } from '../engine/config.ts';
import { ConfigError } from './configError.ts';
import { configSchema } from './configSchema.ts';
import { createConfigReader } from './createConfigReader.ts';
import type { GuardConfig, NodeConfig, SinkConfig } from './guardConfig.ts';
import { toNodeConfig } from './toNodeConfig.ts';
import { toOnchainSinkConfig } from './toOnchainSinkConfig.ts';
import { type StateProofConfig, toStateProofConfig } from './toStateProofConfig.ts';
import { toStoreConfig } from './toStoreConfig.ts';
import { toWebhookSinkConfig } from './toWebhookSinkConfig.ts';

export { MEMBER_NAME_PATTERN, NAME_PATTERN } from './configSchema.ts';
export type {
  GuardConfig,
  NodeConfig,
  NodeKind,
  OnchainSinkConfig,
  SinkConfig,
  StoreConfig,
  WebhookSinkConfig,
} from './guardConfig.ts';
export { NODE_KINDS } from './guardConfig.ts';
export { ConfigError };

/**
 * The guard's configuration file (YAML or JSON), validated into a frozen {@link GuardConfig}.
 * Every error names its path and reason. Credentials come from environment variables
 * (`${NAME}` inside a URL, or `usernameEnv`/`passwordEnv`/`headersEnv`/`secretEnv`/`routingKeyEnv`/
 * `privateKeyEnv`; an empty one is unset) and are never printed: use `toRedactedUrl` for output.
 */

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
  const read = createConfigReader(env, issues);
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
      const config = toNodeConfig(node, path, read, issues);
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
      ? toOnchainSinkConfig(sink, path, read, breakerNames, issues)
      : toWebhookSinkConfig(sink, path, read, issues);
  });
  const store = toStoreConfig(parsed.data.store ?? {}, read, issues);
  if (issues.length > 0) throw new ConfigError(source, issues);
  return deepFreeze({ engine, nodes, sinks, stateProofs, store });
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
