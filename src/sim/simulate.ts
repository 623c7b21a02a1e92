import type { Observation } from '../core/observation.ts';
import type { Scenario } from './scenario.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { SimError } from './simError.ts';
import { type SimulateOptions, streamScenario } from './streamScenario.ts';

export type SimulateResult = { scenario: Scenario; observations: Observation[] };

/**
 * Runs a named scenario and collects its observations, sorted by `observedAtMs` (stable). Same
 * name and seed, deep-equal result. Throws on an unknown name.
 *
 * @example
 * const { observations } = simulate('reorg-7', { seed: 7 });
 */
export function simulate(scenarioName: string, options: SimulateOptions = {}): SimulateResult {
  const scenario = getScenario(scenarioName);
  return { scenario, observations: [...streamScenario(scenario, options)] };
}

/** The scenario library: names, descriptions, incidents and expectations. */
export function listScenarios(): readonly Scenario[] {
  return SCENARIOS;
}

/** The scenario named `name`. Throws an `unknown_scenario` {@link SimError} with the list of names when there is none. */
export function getScenario(name: string): Scenario {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) {
    throw new SimError(
      'unknown_scenario',
      `unknown scenario "${name}": use one of ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  }
  return scenario;
}
