import { levelRank } from '../../breaker/levels.ts';
import type { HazardCurve } from '../pricing/cumulativeHazard.ts';
import { DEFAULT_INCIDENTS, DEFAULT_OBSERVATION_WINDOWS } from './defaultIncidents.ts';
import { toClassRecovery, toDefaultClassMix } from './defaultSeverity.ts';
import { type ChainRates, estimateIncidentRates } from './estimateIncidentRates.ts';
import { assertNonNegative, HazardError } from './hazardError.ts';
import { type ClassHazard, type ClassMix, toClassMix } from './toClassMix.ts';
import {
  type EconomicSecurityInput,
  type ToEconomicHazardReturnType,
  toEconomicHazard,
} from './toEconomicHazard.ts';
import { toHalfLifeYears } from './toHalfLifeYears.ts';
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
  /**
   * Recovery of the chain's failures, overriding the class mix (the price ratio after a failure,
   * in [0, 1]). Default: the calibrated class mix of the chain, else the recovery of `liveness`.
   */
  recoveryFraction?: number;
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
  /**
   * The failures as classes (docs/hazard.md, "Severity"): the chain's calibrated mix scaled by the
   * live multiplier, plus `attack_51` at the economic term. Sums to `hazardPerYear`.
   */
  mix: ClassMix;
  /** The mix's recovery, or the `recoveryFraction` given. */
  recoveryFraction: number;
  /** hazardPerYear × (1 - recoveryFraction): expected fraction of the token lost per year. */
  expectedLossPerYear: number;
  /** Where the recovery came from. */
  recoverySource: 'input' | 'class_mix';
  /**
   * The term structure (docs/hazard.md, "Term structure"): the intensity now is `hazardPerYear`;
   * its excess over `basePerYear + economicPerYear` decays with the half-life of what raised it.
   */
  curve: { longRunPerYear: number } & HazardCurve;
  /**
   * `post_event` when the failure is under way (a `safety` signal of the chain, or the breaker at
   * `halt` or above): price the state after the jump rather than a higher intensity.
   */
  state: 'pre_event' | 'post_event';
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
  const economic = parameters.security ? toEconomicHazard(parameters.security) : undefined;
  const economicPerYear = economic?.economicPerYear ?? 0;
  const hazard = basePerYear * live.multiplier + economicPerYear;

  const chainMix = toDefaultClassMix(parameters.chain);
  const classes: ClassHazard[] = chainMix
    ? chainMix.classes.map((c) => ({
        ...c,
        intensityPerYear:
          chainMix.hazardPerYear > 0
            ? (c.intensityPerYear / chainMix.hazardPerYear) * basePerYear * live.multiplier
            : 0,
      }))
    : [
        {
          eventClass: 'liveness',
          intensityPerYear: basePerYear * live.multiplier,
          recovery: toClassRecovery('liveness'),
        },
      ];
  if (economicPerYear > 0) {
    classes.push({
      eventClass: 'attack_51',
      intensityPerYear: economicPerYear,
      recovery: toClassRecovery('attack_51'),
    });
  }
  const mix = toClassMix(classes);
  let recoveryFraction = mix.recovery;
  let recoverySource: HazardPerYearReturnType['recoverySource'] = 'class_mix';
  if (parameters.recoveryFraction !== undefined) {
    if (!(parameters.recoveryFraction >= 0 && parameters.recoveryFraction <= 1)) {
      throw new HazardError(
        'invalid_input',
        `recoveryFraction must lie in [0, 1], got ${parameters.recoveryFraction}`,
        {
          field: 'recoveryFraction',
          value: parameters.recoveryFraction,
        },
      );
    }
    recoveryFraction = parameters.recoveryFraction;
    recoverySource = 'input';
  }
  const failing =
    levelRank(parameters.live?.level ?? 'normal') >= levelRank('halt') ||
    (parameters.live?.signals ?? []).some((s) => s.chain === parameters.chain && s.severity === 'safety');
  const result: HazardPerYearReturnType = {
    chain: parameters.chain,
    hazardPerYear: hazard,
    basePerYear,
    baseSource,
    liveMultiplier: live.multiplier,
    economicPerYear,
    live,
    mix,
    recoveryFraction,
    expectedLossPerYear: hazard * (1 - recoveryFraction),
    recoverySource,
    curve: {
      initialPerYear: hazard,
      longRunPerYear: basePerYear + economicPerYear,
      halfLifeYears: toHalfLifeYears(live),
    },
    state: failing ? 'post_event' : 'pre_event',
  };
  if (economic) result.economic = economic;
  return result;
}
