/**
 * Consensus-failure hazard model (docs/hazard.md): a historical base rate per chain, a live
 * multiplier from signals and the breaker level, an economic-security term, and the reflexive
 * loop between price and hazard.
 */

export {
  type CalibrateSeverityParameters,
  type CalibrateSeverityReturnType,
  type ClassSeverity,
  calibrateSeverity,
  DEFAULT_CLASS_RECOVERY,
  DEFAULT_SEVERITY_HALF_LIFE_YEARS,
  DEFAULT_SEVERITY_PRIOR_WEIGHT,
  EVENT_CLASSES,
  type EventClass,
  type PriceReactionRow,
  type SkippedPriceReaction,
} from './calibrateSeverity.ts';
export {
  DEFAULT_INCIDENTS,
  DEFAULT_INCIDENTS_END_MS,
  DEFAULT_OBSERVATION_WINDOWS,
} from './defaultIncidents.ts';
export { DEFAULT_SEVERITY, toClassRecovery, toDefaultClassMix } from './defaultSeverity.ts';
export {
  type ChainRates,
  type CountedIncident,
  DEFAULT_MIN_REORG_DEPTH,
  DEFAULT_NETWORKS,
  type EstimateIncidentRatesParameters,
  type EstimateIncidentRatesReturnType,
  estimateIncidentRates,
  type GammaPrior,
  JEFFREYS_PRIOR,
  type KindRate,
  MS_PER_YEAR,
  type ObservationWindow,
  type SkippedIncident,
  type SkipReason,
  toEventCount,
  toIncidentStartMs,
  toReorgDepthBlocks,
} from './estimateIncidentRates.ts';
export { HazardError, type HazardErrorCode, type HazardErrorDetails } from './hazardError.ts';
export {
  type HazardPerYearParameters,
  type HazardPerYearReturnType,
  hazardPerYear,
  toDefaultBaseRates,
} from './hazardPerYear.ts';
export {
  DEFAULT_LOOP_MAX_ITERATIONS,
  DEFAULT_LOOP_TOLERANCE_REL,
  DEFAULT_SPIRAL_FLOOR_REL,
  type IterateReflexiveLoopParameters,
  type IterateReflexiveLoopReturnType,
  iterateReflexiveLoop,
  type LoopStep,
} from './iterateReflexiveLoop.ts';
export {
  CLASS_OF_KIND,
  type ClassHazard,
  type ClassMix,
  toChainClassMix,
  toClassMix,
} from './toClassMix.ts';
export {
  ATTACK_SHARES,
  ATTACKS_BY_MODEL,
  type AttackHazard,
  type AttackKind,
  DEFAULT_HAZARD_PER_YEAR_PER_EFOLD,
  DEFAULT_RATIO_THRESHOLD,
  type EconomicSecurityInput,
  type SecurityModel,
  type ToEconomicHazardReturnType,
  toEconomicHazard,
  toSecurityTokens,
} from './toEconomicHazard.ts';
export { DEFAULT_HALF_LIFE_DAYS, toHalfLifeYears } from './toHalfLifeYears.ts';
export {
  INCIDENT_KINDS,
  type IncidentKind,
  type IncidentRecord,
  toIncidentRecords,
} from './toIncidentRecords.ts';
export {
  DEFAULT_LEVEL_FACTORS,
  DEFAULT_SIGNAL_FACTORS,
  type LevelFactors,
  type MultiplierCombine,
  type SignalFactors,
  type ToLiveMultiplierParameters,
  type ToLiveMultiplierReturnType,
  toLiveMultiplier,
} from './toLiveMultiplier.ts';
export { type SeverityTable, toSeverityTable } from './toSeverityTable.ts';
