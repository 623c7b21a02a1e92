import { type BreakerState, createBreakerState } from '../breaker/breaker.ts';
import type { Level } from '../breaker/levels.ts';
import { type BreakerRule, DEFAULT_RECOVERY, DEFAULT_RULES, type RecoveryPolicy } from '../breaker/rules.ts';
import type { ChainState } from '../core/chainView.ts';
import { toChainParams } from '../core/params.ts';
import type { EngineConfig } from './config.ts';

/** The engine's state: every chain's view, the breakers, and the config they come from. */
export type EngineState = {
  config: EngineConfig;
  chains: Map<string, ChainState>;
  breakers: Map<string, BreakerState>;
  /** Breakers protecting each chain. */
  breakersOfChain: Map<string, BreakerState[]>;
  rules: readonly BreakerRule[];
  recovery: RecoveryPolicy;
  /** The highest level an uncorroborated signal asks for. */
  uncorroboratedLevel: Level;
  /** Per configured chain, the nodes it watches, when the config lists them. */
  nodesOfChain: Map<string, ReadonlySet<string>>;
  /** Observations taken, and those ignored (unknown chain without a default preset). */
  observations: number;
  ignored: number;
};

/** Creates the initial state. Throws on an unknown preset (a broken config). */
export function createEngineState(config: EngineConfig): EngineState {
  if (config.defaultPreset !== undefined) toChainParams(config.defaultPreset);
  const state: EngineState = {
    config,
    chains: new Map(),
    breakers: new Map(),
    breakersOfChain: new Map(),
    rules: config.breaker?.rules ?? DEFAULT_RULES,
    recovery: { ...DEFAULT_RECOVERY, ...config.breaker?.recovery },
    uncorroboratedLevel: config.breaker?.uncorroboratedLevel ?? 'caution',
    nodesOfChain: new Map(),
    observations: 0,
    ignored: 0,
  };
  for (const definition of config.breaker?.breakers ?? []) {
    const breaker = createBreakerState(definition.name, [...definition.chains]);
    state.breakers.set(definition.name, breaker);
    for (const chain of definition.chains) {
      const list = state.breakersOfChain.get(chain) ?? [];
      list.push(breaker);
      state.breakersOfChain.set(chain, list);
    }
  }
  for (const [name, chain] of Object.entries(config.chains)) {
    toChainParams(chain.preset, chain.params);
    ensureBreaker(state, name);
    if (chain.nodes !== undefined) state.nodesOfChain.set(name, new Set(chain.nodes));
  }
  return state;
}

/** Gives `chain` a breaker of its own unless a configured breaker protects it. */
export function ensureBreaker(state: EngineState, chain: string): void {
  if (state.breakersOfChain.has(chain)) return;
  const breaker = state.breakers.get(chain) ?? createBreakerState(chain, [chain]);
  state.breakers.set(chain, breaker);
  state.breakersOfChain.set(chain, [breaker]);
}
