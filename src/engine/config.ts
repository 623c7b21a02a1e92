import type { BreakerConfig } from '../breaker/rules.ts';
import type { ChainParamsOverrides } from '../core/params.ts';

/** One watched chain: a preset and overrides of its parameters. */
export type ChainConfig = {
  preset: string;
  params?: ChainParamsOverrides;
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
