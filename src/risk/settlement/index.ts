/**
 * Finality-aware settlement ledger (docs/risk.md, "Settlement"): a reducer over executions and the
 * engine's canonical chain facts; only final executions settle; a report of what reorgs did.
 */
export {
  type CreateJsonLinesLedgerStoreParameters,
  createJsonLinesLedgerStore,
  type LedgerFiles,
} from './createJsonLinesLedgerStore.ts';
export { createMemoryLedgerStore } from './createMemoryLedgerStore.ts';
export { type LedgerStore, parseLedgerLine, toLedgerLine } from './ledgerStore.ts';
export type {
  ChainLedger,
  Execution,
  ExecutionInput,
  ExecutionKind,
  ExecutionStatus,
  LedgerEvent,
  LedgerFact,
  LedgerState,
  ReorgCause,
  Settlement,
  SettlementPolicy,
  StatusChange,
} from './ledgerTypes.ts';
export {
  type CreateLedgerStateParameters,
  createLedgerState,
  DEFAULT_SETTLEMENT_POLICY,
  type ReduceLedgerReturnType,
  reduceLedger,
} from './reduceLedger.ts';
export { replayLedger } from './replayLedger.ts';
export { type ToLedgerFactsParameters, toLedgerFacts } from './toLedgerFacts.ts';
export { type ReportedExecution, type SettlementReport, toSettlementReport } from './toSettlementReport.ts';
