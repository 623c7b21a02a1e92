/**
 * consensus-guard, the library: the pure engine (observations in, signals and breaker
 * transitions out), the sources that turn real nodes into observations, the simulator, and the
 * risk library (pricing with consensus-failure jump risk, the hazard model).
 */

export { type BreakerState, overrideBreaker, reduceBreaker, resumeBreaker } from './breaker/breaker.ts';
export { isLevel, LEVELS, type Level, levelRank, type Transition } from './breaker/levels.ts';
export {
  type BreakerConfig,
  type BreakerDefinition,
  type BreakerRule,
  DEFAULT_RECOVERY,
  DEFAULT_RULES,
  type RecoveryPolicy,
} from './breaker/rules.ts';
export {
  ConfigError,
  type GuardConfig,
  type NodeConfig,
  parseConfig,
  toRedactedUrl,
} from './config/parseConfig.ts';
export type { Block, ChainState, Checkpoint, NodeView } from './core/chainView.ts';
export { toJson, toJsonValue } from './core/json.ts';
export {
  type BlockObservation,
  type CheckpointKind,
  type CheckpointObservation,
  type ErrorObservation,
  type Hash,
  isSameHash,
  type Observation,
  type TickObservation,
  toHash,
} from './core/observation.ts';
export {
  type BlockTimeModel,
  type ChainParams,
  type ChainParamsOverrides,
  PRESETS,
  toChainParams,
} from './core/params.ts';
export {
  type BlockRef,
  type DivergenceSignal,
  type FinalitySignal,
  type IntegritySignal,
  type LagSignal,
  type LatencySignal,
  type LivenessSignal,
  type ReorgSignal,
  SEVERITIES,
  type Severity,
  SIGNAL_KINDS,
  type Signal,
  type SignalKind,
} from './core/signal.ts';
export { toLivenessThresholds } from './detectors/liveness.ts';
export type { ChainConfig, EngineConfig } from './engine/config.ts';
export { type RunResult, type RunSummary, runObservations } from './engine/run.ts';
export { createEngineState, type EngineState, type StepResult, step } from './engine/step.ts';
export * from './risk/hazard/index.ts';
export * from './risk/pricing/index.ts';
export { createGuard, type Guard } from './runtime/createGuard.ts';
export { createSources } from './runtime/createSources.ts';
export { listScenarios, simulate } from './sim/simulate.ts';
export { toEngineConfig } from './sim/toEngineConfig.ts';
export { createBeaconSource } from './sources/beacon/createBeaconSource.ts';
export { createBitcoinSource } from './sources/bitcoin/createBitcoinSource.ts';
export { createEvmSource } from './sources/evm/createEvmSource.ts';
export { createObservationLogWriter } from './sources/replay/createObservationLogWriter.ts';
export { parseObservation } from './sources/replay/parseObservation.ts';
export { parseObservationLog } from './sources/replay/parseObservationLog.ts';
export { readObservationLog } from './sources/replay/readObservationLog.ts';
export { toObservationLine } from './sources/replay/toObservationLine.ts';
export { writeObservationLog } from './sources/replay/writeObservationLog.ts';
export { type Clock, type Source, SourceError, systemClock } from './sources/source.ts';
