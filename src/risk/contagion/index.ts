/**
 * Contagion graph (docs/risk.md): assets depend on chains, bridges, sequencers, issuers and other
 * assets; a failure propagates to every dependent with a severity per edge.
 */
export {
  type ContagionGraph,
  type ContagionNode,
  type ContagionNodeKind,
  createContagionGraph,
  type Dependency,
  type DependencyKind,
} from './contagionGraph.ts';
export {
  DEFAULT_CONTAGION_NODES,
  DEFAULT_NATIVE_SEVERITY,
  defaultContagionGraph,
} from './defaultContagionGraph.ts';
export { type ChainExposure, exposure, type Holding } from './exposure.ts';
export { parseRiskStatus } from './parseRiskStatus.ts';
export { RiskError, type RiskErrorCode, type RiskErrorDetails } from './riskError.ts';
export { type FailureLosses, toFailureLosses } from './toFailureLosses.ts';
export { type RiskStatus, type SourceHazard, type SourceStatus, toSourceHazards } from './toSourceHazards.ts';
