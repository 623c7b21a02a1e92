import type { BreakerConfig } from '../breaker/rules.ts';
import type { ChainParamsOverrides } from '../core/params.ts';

/** One watched chain: a preset and overrides of its parameters. */
export type ChainConfig = {
  preset: string;
  params?: ChainParamsOverrides;
  /**
   * The nodes watched on this chain. When listed, observations of any other node are ignored and
   * counted (a node removed from the config is gone after a restart, even from a stored log).
   */
  nodes?: readonly string[];
};

/** What the engine needs to know up front. Pure data: no URLs, no credentials. */
export type EngineConfig = {
  /** Watched chains by name. */
  chains: Record<string, ChainConfig>;
  /** Preset for observations of a chain not listed in `chains`; when absent, such observations
   * are ignored and counted in the summary. */
  defaultPreset?: string;
  breaker?: BreakerConfig;
};
