import type { Level } from '../../breaker/levels.ts';

/** Price moves (relative, e.g. -0.3 = -30%) crossed with volatility shifts (absolute, per year). */
export type ScenarioGrid = { priceMoves: readonly number[]; volShifts: readonly number[] };

/**
 * Relative volatility shocks that shrink with tenor, as in Deribit's portfolio margin: an option `d`
 * days from expiry is shocked up to max(vol (1 + up (30/d)^power), minVolUp) and down to
 * vol (1 - down (30/d)^power), `power` = `shortTermPower` under 30 days, else `longTermPower`.
 * When set, the grid's volatility axis is down, unchanged, up (`volShifts` is not used).
 */
export type TenorVolShock = {
  up: number;
  down: number;
  shortTermPower: number;
  longTermPower: number;
  minVolUp: number;
};

export type MarginPolicy = {
  grid: ScenarioGrid;
  /** Margin period of risk: the horizon of the failure probability, in days. */
  horizonDays: number;
  /**
   * Tail probability of the margin: a failure whose probability over the horizon reaches it counts
   * in full; a less likely one counts in proportion, `min(1, p / tailProbability)`.
   */
  tailProbability: number;
  /** Maintenance margin as a fraction of the initial margin. */
  maintenanceRatio: number;
  /** Lowest volatility after a shift. */
  volFloor: number;
  /** Collateral haircut per failure source when the source fails entirely (docs/risk.md). */
  sourceHaircuts: Readonly<Record<string, number>>;
  /** Haircut of sources not in `sourceHaircuts`. */
  defaultSourceHaircut: number;
  /** Largest share of collateral value lost to one source's failure before a concentration charge. */
  concentrationLimit: number;
  /** Per-source limits overriding `concentrationLimit`. */
  concentrationLimits: Readonly<Record<string, number>>;
  /** Extra haircut on the collateral value above the concentration limit. */
  concentrationHaircut: number;
  /** Volatility shocks scaled by tenor instead of the absolute `grid.volShifts`. */
  tenorVolShock?: TenorVolShock;
  /**
   * Extra price moves beyond the grid (Deribit's "extended table"), each at the upward volatility
   * shock, counted at `extendedFraction` of their loss. Default none.
   */
  extendedMoves: readonly number[];
  extendedFraction: number;
  /** Include the consensus-failure scenarios. */
  failureScenarios: boolean;
  /**
   * Volatility added (absolute, per year) to every asset a failure reaches, in its failure scenario:
   * a failure is also a volatility event, and an option book short vol must hold for both.
   */
  failureVolShift: number;
  /** Liquidations pause when a source an account depends on is at or above this level. */
  pauseLiquidationsAtLevel: Level;
};

/**
 * Defaults: moves -30% to +30% in steps of 5% (13) crossed with volatility shifts -0.1, 0, +0.1
 * (39 scenarios); a one-day horizon; tail 1%; maintenance 75% of initial; volatility floor 0.01;
 * concentration limit 40% with a 50% charge above it; +0.25 volatility in failure scenarios;
 * liquidations pause at `reduce_only`.
 */
export const DEFAULT_MARGIN_POLICY: MarginPolicy = Object.freeze({
  grid: Object.freeze({
    priceMoves: Object.freeze(Array.from({ length: 13 }, (_, i) => Math.round((i - 6) * 5) / 100)),
    volShifts: Object.freeze([-0.1, 0, 0.1]),
  }),
  horizonDays: 1,
  tailProbability: 0.01,
  maintenanceRatio: 0.75,
  volFloor: 0.01,
  sourceHaircuts: Object.freeze({
    bitcoin: 0.05,
    ethereum: 0.1,
    solana: 0.15,
    arbitrum: 0.1,
    'arbitrum-sequencer': 0.05,
    'wbtc-bridge': 0.05,
    circle: 0.02,
  }),
  defaultSourceHaircut: 0.1,
  concentrationLimit: 0.4,
  concentrationLimits: Object.freeze({}),
  concentrationHaircut: 0.5,
  extendedMoves: Object.freeze([]),
  extendedFraction: 1,
  failureScenarios: true,
  failureVolShift: 0.25,
  pauseLiquidationsAtLevel: 'reduce_only',
});

/**
 * Deribit's portfolio margin as a preset (docs/risk.md, "Against Deribit's portfolio margin"): price
 * moves of -16% to +16% in 9 even buckets, volatility shocks up 50% and down 25% relative scaled by
 * (30 / days)^0.3 under 30 days and ^0.13 beyond with a 50% floor on the shocked-up volatility (the
 * BTC parameters as Deribit describes its model; they change without notice), and the extended
 * table's moves (-66%, -33%, +50%, +100% to +500%) at the upward volatility shock, counted at half
 * their loss (Deribit applies an unpublished fraction and dampener; one half is our assumption).
 */
export const DERIBIT_LIKE_POLICY: MarginPolicyOverrides = Object.freeze({
  grid: Object.freeze({
    priceMoves: Object.freeze([-0.16, -0.12, -0.08, -0.04, 0, 0.04, 0.08, 0.12, 0.16]),
  }),
  tenorVolShock: Object.freeze({
    up: 0.5,
    down: 0.25,
    shortTermPower: 0.3,
    longTermPower: 0.13,
    minVolUp: 0.5,
  }),
  extendedMoves: Object.freeze([-0.66, -0.33, 0.5, 1, 2, 3, 4, 5]),
  extendedFraction: 0.5,
});

/** Named policies a portfolio file can start from (`policy: { preset: deribit }`). */
export const MARGIN_PRESETS: Readonly<Record<string, MarginPolicyOverrides>> = Object.freeze({
  deribit: DERIBIT_LIKE_POLICY,
});

/** Policy overrides: every field optional, the grid replaced as a whole per axis. */
export type MarginPolicyOverrides = {
  [K in keyof MarginPolicy]?: K extends 'grid' ? Partial<ScenarioGrid> : MarginPolicy[K];
};

/** Defaults with overrides applied. */
export function toMarginPolicy(overrides: MarginPolicyOverrides = {}): MarginPolicy {
  const { grid, ...rest } = overrides;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return {
    ...DEFAULT_MARGIN_POLICY,
    ...defined,
    grid: {
      priceMoves: grid?.priceMoves ?? DEFAULT_MARGIN_POLICY.grid.priceMoves,
      volShifts: grid?.volShifts ?? DEFAULT_MARGIN_POLICY.grid.volShifts,
    },
  };
}
