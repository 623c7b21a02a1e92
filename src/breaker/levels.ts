/**
 * Breaker levels, lowest to highest:
 * - `normal`: business as usual.
 * - `caution`: widen quotes, raise margin.
 * - `reduce_only`: no new risk; repaying and adding collateral stay open; liquidations paused.
 * - `halt`: nothing executes.
 * - `settlement_hold`: nothing settles: the chain's history itself is in doubt.
 */
export const LEVELS = ['normal', 'caution', 'reduce_only', 'halt', 'settlement_hold'] as const;
export type Level = (typeof LEVELS)[number];

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

export function maxLevel(a: Level, b: Level): Level {
  return levelRank(a) >= levelRank(b) ? a : b;
}

/** A change of a breaker's level: the record every sink receives. */
export type Transition = {
  /** The breaker that moved (by default one breaker per chain, named after it). */
  breaker: string;
  from: Level;
  to: Level;
  atMs: number;
  /** One line: why. */
  reason: string;
  /** Signal kinds behind the move (empty for recovery and manual moves). */
  causes: string[];
  /** `auto` by the rules, `manual` by an override. */
  mode: 'auto' | 'manual';
  /** Who ordered a manual move. */
  actor?: string;
  /** Per-breaker sequence number, from 1. */
  seq: number;
  /** Stable key that identifies this transition for every sink: `breaker:seq:from>to`. */
  idempotencyKey: string;
};
