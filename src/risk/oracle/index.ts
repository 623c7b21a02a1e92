/** Oracle aggregation (docs/risk.md): median of fresh quotes from healthy chains, or `unobservable`. */
export {
  type AggregateOracleParameters,
  type AggregateOracleReturnType,
  aggregateOracle,
  type DroppedQuote,
  type OracleAlert,
  type OracleDropReason,
  type OracleQuote,
} from './aggregateOracle.ts';
export {
  BAND_Z,
  DEFAULT_BAND_VOL,
  type FallbackMark,
  type FallbackMethod,
  type ToFallbackMarkParameters,
  toFallbackMark,
} from './toFallbackMark.ts';
export { type ToStorageQuoteParameters, toStorageQuote } from './toStorageQuote.ts';
