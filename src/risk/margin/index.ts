/** Portfolio margin under market and consensus-failure scenarios (docs/risk.md, "Margin"). */
export {
  type AssessVenueRiskParameters,
  type AssessVenueRiskReturnType,
  assessVenueRisk,
  type VenueCoverParameters,
} from './assessVenueRisk.ts';
export type { FailureScenario } from './computeFailureAddOn.ts';
export {
  type ComputeMarginParameters,
  type ComputeMarginReturnType,
  computeMargin,
  type WorstScenario,
} from './computeMargin.ts';
export {
  DEFAULT_MARGIN_POLICY,
  DERIBIT_LIKE_POLICY,
  MARGIN_PRESETS,
  type MarginPolicy,
  type MarginPolicyOverrides,
  type ScenarioGrid,
  type TenorVolShock,
  toMarginPolicy,
} from './marginPolicy.ts';
export {
  type CoverSection,
  type ParsePortfolioFileReturnType,
  type PortfolioFile,
  parsePortfolioFile,
  portfolioFileSchema,
} from './parsePortfolioFile.ts';
export type {
  AssetMarket,
  MarginAccount,
  OptionPosition,
  PerpPosition,
  Portfolio,
  Position,
  SpotPosition,
} from './portfolio.ts';
export type { AccountMargin } from './toAccountMargins.ts';
