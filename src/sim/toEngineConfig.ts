import type { EngineConfig } from '../engine/config.ts';
import type { Scenario } from './scenario.ts';

/** The engine configuration that watches a scenario's chain with the scenario's preset and overrides. */
export function toEngineConfig(scenario: Scenario): EngineConfig {
  return {
    chains: {
      [scenario.chain]: scenario.params
        ? { preset: scenario.preset, params: scenario.params }
        : { preset: scenario.preset },
    },
  };
}
