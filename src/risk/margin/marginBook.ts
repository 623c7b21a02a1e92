import type { BsmBatchGreeks, BsmBatchInput } from '../pricing/batch.ts';
import type { MarginMarkets } from './toMarginMarkets.ts';

/** Options in columns, in the order of the accounts and their positions. */
export type MarginOptionColumns = {
  n: number;
  account: Int32Array;
  asset: Int32Array;
  quantity: Float64Array;
  /** Graph node index of the settlement chain, -1 when none. */
  settlement: Int32Array;
  /** The pricer's input: each phase sets `spot` and `volAnnual` before it prices. */
  input: BsmBatchInput;
  baseSpot: Float64Array;
  baseVol: Float64Array;
};

/** Perpetuals and spot in columns, in the order of the accounts and their positions. */
export type MarginLinearColumns = {
  n: number;
  account: Int32Array;
  asset: Int32Array;
  /** Quantity × price, USD. */
  notional: Float64Array;
  /** Graph node index of the settlement chain, -1 when none (and for spot). */
  settlement: Int32Array;
  isSpot: Uint8Array;
};

/**
 * A portfolio ready for margin: positions in columns, the options' base values and deltas, and
 * the (account, asset) groups, group `g = account × nAssets + asset`, whose worst P&L counts.
 */
export type MarginBook = {
  nAccounts: number;
  nAssets: number;
  markets: MarginMarkets;
  /** The contagion graph's nodes, by the index the settlement columns hold. */
  nodeNames: string[];
  options: MarginOptionColumns;
  linear: MarginLinearColumns;
  /** Value and greeks of each option at the base spot and volatility. */
  base: BsmBatchGreeks;
  /** Linear notional of each group. */
  groupNotional: Float64Array;
  /** Group of each option. */
  optionGroup: Int32Array;
  /** Groups holding any position, ascending. */
  activeGroups: number[];
};
