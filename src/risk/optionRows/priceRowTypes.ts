import type { HazardCurve } from '../pricing/cumulativeHazard.ts';

export type PriceModel = 'bsm' | 'crr' | 'merton' | 'jtd';

/** One option to price: the columns of the CSV format (docs/pricing.md). */
export type PriceRow = {
  type: 'call' | 'put';
  exercise: 'european' | 'american';
  model: PriceModel;
  spot: number;
  strike: number;
  /** Years to expiry, Actual/365 fixed. */
  T: number;
  r: number;
  q: number;
  vol: number;
  steps?: number;
  hazard?: number;
  recovery?: number;
  jumpIntensity?: number;
  jumpMeanLog?: number;
  jumpVol?: number;
  /** From a chain's hazard model: the hazard decays toward `hazard` from this curve's initial value. */
  hazardCurve?: HazardCurve;
  /** From a chain's hazard model with a failure under way: `spot` is already the post-failure mark. */
  postEvent?: boolean;
};

/** A row that could not be read or priced, kept in place so the output keeps the input order. */
export type RowError = { error: string };

/** A priced option: the price and the Greeks that its model defines. */
export type PriceResult = {
  price: number;
  delta?: number;
  gamma?: number;
  vega?: number;
  theta?: number;
  rho?: number;
  dividendRho?: number;
  hazardSensitivity?: number;
  /**
   * Jump-to-default P&L of one long option: its value if the failure happened now (the underlying
   * at `recoveryFraction` times the spot, no further failure) minus its price.
   */
  jumpToDefault: JumpToDefaultPnl;
};

/** The value change of an option if the failure happened now (docs/pricing.md, "Jump to default P&L"). */
export type JumpToDefaultPnl = { recoveryFraction: number; valueAfter: number; pnl: number };

/** Steps of the binomial trees when a row gives none. */
export const DEFAULT_TREE_STEPS = 1000;

/** The columns of a price row: required, then optional (where the model needs them). */
export const PRICE_ROW_COLUMNS = {
  required: ['type', 'exercise', 'model', 'spot', 'strike', 'T', 'r', 'q', 'vol'],
  optional: ['steps', 'hazard', 'recovery', 'jumpIntensity', 'jumpMeanLog', 'jumpVol'],
} as const;
