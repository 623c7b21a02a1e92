import type { FallbackMethod } from '../oracle/toFallbackMark.ts';

/**
 * A venue's book for margin: market data per asset and accounts of options, perpetuals and spot
 * collateral. Prices in USD, times in years (Actual/365 fixed), rates continuously compounded.
 */

/** Market data of one asset. */
export type AssetMarket = {
  priceUsd: number;
  /** Volatility of the log price per square root of a year; needed by assets with options. */
  volAnnual?: number;
  /** A stable asset does not move in the price grid (it still moves in failure scenarios). */
  stable?: boolean;
  /** Collateral haircut in [0, 1]; default derived from the contagion graph (docs/risk.md). */
  haircut?: number;
  /**
   * The oracle says `unobservable`: `priceUsd` is the last good price, `ageDays` old, and margin marks
   * the asset with the fallback (docs/risk.md, "Marks when unobservable"). Default `last_good_band`.
   */
  unobservable?: { ageDays: number; fallback?: FallbackMethod };
};

/** A European option; negative `quantity` is short. */
export type OptionPosition = {
  kind: 'option';
  underlying: string;
  type: 'call' | 'put';
  strike: number;
  timeYears: number;
  quantity: number;
  /** Overrides the underlying's `volAnnual`. */
  volAnnual?: number;
  /** The chain (graph node) the option settles on: its failure freezes settlement. */
  settlementChain?: string;
};

/** A perpetual future, marked to market (its unrealized P&L is already in the collateral). */
export type PerpPosition = {
  kind: 'perp';
  underlying: string;
  quantity: number;
  settlementChain?: string;
};

/** Spot collateral (negative: borrowed). */
export type SpotPosition = { kind: 'spot'; asset: string; quantity: number };

export type Position = OptionPosition | PerpPosition | SpotPosition;

export type MarginAccount = { id: string; positions: readonly Position[] };

export type Portfolio = {
  markets: Readonly<Record<string, AssetMarket>>;
  accounts: readonly MarginAccount[];
  /** Risk-free rate per year, continuously compounded. Default 0. */
  rate?: number;
};
