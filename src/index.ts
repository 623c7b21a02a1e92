/**
 * consensus-guard, the library: the pure engine (observations in, signals and breaker
 * transitions out), the sources that turn real nodes into observations, the simulator, the
 * durable service (store, outbox, sinks, HTTP API and metrics), and the risk library (pricing with
 * consensus-failure jump risk, the hazard model, venue risk: settlement, oracles, contagion,
 * margin, cover).
 */

export {
  type BreakerState,
  type ExternalCondition,
  overrideBreaker,
  reduceBreaker,
  resumeBreaker,
  setExternalCondition,
} from './breaker/breaker.ts';
export { isLevel, LEVELS, type Level, levelRank, type Transition } from './breaker/levels.ts';
export {
  type BreakerConfig,
  type BreakerDefinition,
  type BreakerRule,
  DEFAULT_RECOVERY,
  DEFAULT_RULES,
  type RecoveryPolicy,
} from './breaker/rules.ts';
export { ConfigError, type GuardConfig, type NodeConfig, parseConfig } from './config/parseConfig.ts';
export { type ToRedactedUrlOptions, toRedactedUrl } from './config/toRedactedUrl.ts';
export type { Block, ChainState, Checkpoint, NodeView } from './core/chainView.ts';
export { CodedError, type CodedErrorParameters } from './core/codedError.ts';
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
export {
  type App,
  type CreateAppParameters,
  createApp,
  DEFAULT_HTTP_LIMITS,
  type HttpLimits,
} from './http/createApp.ts';
export { type CreateMetricsParameters, createMetrics, type Metrics } from './http/createMetrics.ts';
export { HttpError, type HttpErrorBody, type HttpErrorCode } from './http/httpError.ts';
export { type HttpServer, type StartHttpServerParameters, startHttpServer } from './http/startHttpServer.ts';
export {
  type CreateLoggerParameters,
  createLogger,
  LOG_LEVELS,
  type Logger,
  type LogLevel,
} from './log/createLogger.ts';
export * from './risk/hazard/index.ts';
export * from './risk/index.ts';
export * from './risk/optionRows/index.ts';
export * from './risk/pricing/index.ts';
export { applyOracleResult } from './runtime/applyOracleResult.ts';
export {
  type CreateServiceParameters,
  createService,
  type ExternalConditionInput,
  type RetryPolicy,
  type Service,
  type ServiceLogEntry,
  type ServiceStats,
} from './runtime/createService.ts';
export {
  type CreateServiceFromConfigParameters,
  type CreateServiceFromConfigReturnType,
  createServiceFromConfig,
} from './runtime/createServiceFromConfig.ts';
export { createSources } from './runtime/createSources.ts';
export {
  createStateProofBook,
  type StateProofAccountView,
  type StateProofBook,
  type StateProofChainView,
  type VerifiedStorageValue,
} from './runtime/createStateProofBook.ts';
export { ServiceError, type ServiceErrorCode } from './runtime/serviceError.ts';
export type { ServiceEvent, ServiceView } from './runtime/serviceView.ts';
export { SimError, type SimErrorCode } from './sim/simError.ts';
export { listScenarios, simulate } from './sim/simulate.ts';
export { toEngineConfig } from './sim/toEngineConfig.ts';
export {
  type CreateKeeperHeartbeatParameters,
  createKeeperHeartbeat,
  type KeeperHeartbeat,
} from './sinks/onchain/createKeeperHeartbeat.ts';
export {
  type CreateOnchainGuardSinkParameters,
  createOnchainGuardSink,
} from './sinks/onchain/createOnchainGuardSink.ts';
export { deployExampleOptionsMarket } from './sinks/onchain/deployExampleOptionsMarket.ts';
export { deployGuard } from './sinks/onchain/deployGuard.ts';
export { OnchainGuardError, type OnchainGuardErrorCode } from './sinks/onchain/onchainGuardError.ts';
export { toMarketId } from './sinks/onchain/toMarketId.ts';
export type { Sink } from './sinks/sink.ts';
export { createWebhookReceiver } from './sinks/webhook/createWebhookReceiver.ts';
export { createWebhookSecret } from './sinks/webhook/createWebhookSecret.ts';
export { type CreateWebhookSinkParameters, createWebhookSink } from './sinks/webhook/createWebhookSink.ts';
export { type SignWebhookParameters, signWebhook } from './sinks/webhook/signWebhook.ts';
export { WEBHOOK_SHAPES, type WebhookShape } from './sinks/webhook/toWebhookBody.ts';
export {
  type VerifyWebhookParameters,
  type VerifyWebhookReturnType,
  verifyWebhook,
} from './sinks/webhook/verifyWebhook.ts';
export { WebhookError, type WebhookErrorCode } from './sinks/webhook/webhookError.ts';
export { createBeaconSource } from './sources/beacon/createBeaconSource.ts';
export { createBitcoinSource } from './sources/bitcoin/createBitcoinSource.ts';
export { createEvmSource } from './sources/evm/createEvmSource.ts';
export {
  type CreatePlaybackSourceParameters,
  createPlaybackSource,
  type PlaybackSource,
} from './sources/playback/createPlaybackSource.ts';
export { createObservationLogWriter } from './sources/replay/createObservationLogWriter.ts';
export { parseObservation } from './sources/replay/parseObservation.ts';
export { parseObservationLog } from './sources/replay/parseObservationLog.ts';
export { readObservationLog } from './sources/replay/readObservationLog.ts';
export { toObservationLine } from './sources/replay/toObservationLine.ts';
export { writeObservationLog } from './sources/replay/writeObservationLog.ts';
export { type Clock, type Source, SourceError, systemClock } from './sources/source.ts';
export {
  createMemoryDatabase,
  type MemoryDatabase,
  type OpenMemoryStoreParameters,
  openMemoryStore,
} from './store/memory/openMemoryStore.ts';
export { type OpenStoreOptions, openStore } from './store/openStore.ts';
export { type OpenPostgresStoreParameters, openPostgresStore } from './store/postgres/openPostgresStore.ts';
export {
  type OpenSqliteLedgerStoreParameters,
  openSqliteLedgerStore,
  SQLITE_LEDGER_FILE_NAME,
} from './store/sqlite/openSqliteLedgerStore.ts';
export {
  type OpenSqliteStoreParameters,
  openSqliteStore,
  SQLITE_FILE_NAME,
} from './store/sqlite/openSqliteStore.ts';
export type * from './store/store.ts';
export { StoreError, type StoreErrorCode } from './store/storeError.ts';
export { type StoreTarget, toStoreTarget } from './store/toStoreTarget.ts';
