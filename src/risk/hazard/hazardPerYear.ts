import { DEFAULT_INCIDENTS, DEFAULT_OBSERVATION_WINDOWS } from './defaultIncidents.ts';
import { type ChainRates, estimateIncidentRates } from './estimateIncidentRates.ts';
import { assertNonNegative, HazardError } from './hazardError.ts';
import {
  type EconomicSecurityInput,
  type ToEconomicHazardReturnType,
  toEconomicHazard,
} from './toEconomicHazard.ts';
import {
  type ToLiveMultiplierParameters,
  type ToLiveMultiplierReturnType,
  toLiveMultiplier,
} from './toLiveMultiplier.ts';

let defaultRates: Readonly<Record<string, ChainRates>> | undefined;

/**
 * Base rates of the shipped incident table over its default windows (Jeffreys prior, default
 * counting rules of `estimateIncidentRates`), computed once.
 */
export function toDefaultBaseRates(): Readonly<Record<string, ChainRates>> {
  defaultRates ??= deepFreeze(
    estimateIncidentRates({ incidents: DEFAULT_INCIDENTS, windows: DEFAULT_OBSERVATION_WINDOWS }).chains,
  );
  return defaultRates;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export type HazardPerYearParameters = {
  chain: string;
  /**
   * Historical base rate of consensus failure, per year. Default: the posterior mean of the
   * shipped incident table for `chain` (see {@link toDefaultBaseRates}).
   */
  basePerYear?: number;
  /** Live state: signals, breaker level and factor overrides. Default: no signals, `normal`. */
  live?: Omit<ToLiveMultiplierParameters, 'chain'>;
  /** Economic security. Without it the economic term is zero. */
  security?: EconomicSecurityInput;
};

export type HazardPerYearReturnType = {
  chain: string;
  /** `basePerYear * liveMultiplier + economicPerYear`: consensus failures expected per year. */
  hazardPerYear: number;
  basePerYear: number;
  /** Where `basePerYear` came from. */
  baseSource: 'input' | 'default_table';
  liveMultiplier: number;
  economicPerYear: number;
  live: ToLiveMultiplierReturnType;
  /** Present when `security` was given. */
  economic?: ToEconomicHazardReturnType;
};

/**
 * A chain's consensus-failure hazard rate, per year:
 *
 *   hazardPerYear = basePerYear * liveMultiplier + economicPerYear
 *
 * - `basePerYear`: historical rate, the Gamma-Poisson posterior mean of `estimateIncidentRates`;
 * - `liveMultiplier`: from active signals and the breaker level (`toLiveMultiplier`);
 * - `economicPerYear`: the attractiveness of an attack, value at risk against cost to attack
 *   (`toEconomicHazard`).
 *
 * Under a constant hazard `h`, the probability of at least one failure within `T` years is
 * `1 - exp(-h T)`: `h` is the default intensity of a jump-to-default price.
 *
 * @throws {HazardError} `unknown_chain` when `basePerYear` is absent and the shipped table has no
 *   window for `chain`; `invalid_input` for a negative or non-finite number anywhere.
 *
 * @example
 * hazardPerYear({ chain: 'solana', live: { level: 'caution' } }).hazardPerYear;
 * // base (0.5 + 7 + 3 * 0.5) / 5.8 years ≈ 1.552 per year, times 2 for `caution` ≈ 3.103 per year
 */
export function hazardPerYear(parameters: HazardPerYearParameters): HazardPerYearReturnType {
  let basePerYear: number;
  let baseSource: HazardPerYearReturnType['baseSource'];
  if (parameters.basePerYear === undefined) {
    const rates = toDefaultBaseRates()[parameters.chain];
    if (!rates) {
      throw new HazardError(
        'unknown_chain',
        `no base rate for chain "${parameters.chain}": pass basePerYear, or use one of ${Object.keys(toDefaultBaseRates()).join(', ')}`,
        { field: 'chain', value: parameters.chain },
      );
    }
    basePerYear = rates.ratePerYear;
    baseSource = 'default_table';
  } else {
    assertNonNegative(parameters.basePerYear, 'basePerYear');
    basePerYear = parameters.basePerYear;
    baseSource = 'input';
  }

  const live = toLiveMultiplier({ ...parameters.live, chain: parameters.chain });
  const result: HazardPerYearReturnType = {
    chain: parameters.chain,
    hazardPerYear: basePerYear * live.multiplier,
    basePerYear,
    baseSource,
    liveMultiplier: live.multiplier,
    economicPerYear: 0,
    live,
  };
  if (parameters.security) {
    const economic = toEconomicHazard(parameters.security);
    result.economic = economic;
    result.economicPerYear = economic.economicPerYear;
    result.hazardPerYear += economic.economicPerYear;
  }
  return result;
}
