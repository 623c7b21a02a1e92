import { type Severity, type Signal, type SignalKind, severityRank } from '../core/signal.ts';
import type { Level } from './levels.ts';

/**
 * A rule from signals to a breaker level: a signal of `kind` with at least `minSeverity` asks for
 * `level`. Condition signals (liveness, finality, divergence, lag) ask for it while their condition
 * lasts; event signals (reorg, latency, integrity) ask for it during `holdMs` after they are raised.
 */
export type BreakerRule = {
  kind: SignalKind;
  minSeverity: Severity;
  level: Level;
  /** For event signals: how long the level is asked for after the signal, in ms. */
  holdMs?: number;
  /** For reorg signals: only `chain`-level reorgs, or only one node's. Both when absent. */
  scope?: 'node' | 'chain';
};

/** Which chains a breaker protects. By default there is one breaker per chain, named after it. */
export type BreakerDefinition = { name: string; chains: string[] };

export type RecoveryPolicy = {
  /** Consecutive healthy evaluations (a canonical head or a tick with the lower level asked for). */
  healthyEvaluations: number;
  /** Milliseconds that must pass after the condition cleared before stepping down. */
  graceMs: number;
};

export type BreakerConfig = {
  rules?: BreakerRule[];
  /** The highest level an uncorroborated signal (one node's word, or no quorum) asks for; `caution`. */
  uncorroboratedLevel?: Level;
  recovery?: Partial<RecoveryPolicy>;
  breakers?: BreakerDefinition[];
};

const FIVE_MINUTES_MS = 300_000;

/** Default rules, lowest to highest severity per kind. Node lag and latency move no breaker. */
export const DEFAULT_RULES: readonly BreakerRule[] = Object.freeze([
  { kind: 'reorg', minSeverity: 'warning', level: 'caution', holdMs: FIVE_MINUTES_MS, scope: 'chain' },
  { kind: 'reorg', minSeverity: 'critical', level: 'reduce_only', holdMs: FIVE_MINUTES_MS, scope: 'chain' },
  { kind: 'reorg', minSeverity: 'safety', level: 'settlement_hold', holdMs: FIVE_MINUTES_MS },
  { kind: 'liveness', minSeverity: 'warning', level: 'caution' },
  { kind: 'liveness', minSeverity: 'critical', level: 'halt' },
  { kind: 'finality', minSeverity: 'warning', level: 'caution' },
  { kind: 'finality', minSeverity: 'critical', level: 'reduce_only' },
  { kind: 'divergence', minSeverity: 'warning', level: 'caution' },
  { kind: 'divergence', minSeverity: 'critical', level: 'reduce_only' },
  { kind: 'divergence', minSeverity: 'safety', level: 'settlement_hold' },
  { kind: 'integrity', minSeverity: 'critical', level: 'caution', holdMs: FIVE_MINUTES_MS },
  { kind: 'quorum', minSeverity: 'warning', level: 'caution' },
]);

export const DEFAULT_RECOVERY: RecoveryPolicy = Object.freeze({ healthyEvaluations: 3, graceMs: 60_000 });

/** The level a signal asks for under `rules` (`normal` when no rule matches), and the longest hold. */
export function toRequestedLevel(
  rules: readonly BreakerRule[],
  signal: Signal,
): { level: Level; holdMs: number; rule?: BreakerRule } {
  let best: { level: Level; holdMs: number; rule?: BreakerRule } = { level: 'normal', holdMs: 0 };
  let bestRank = 0;
  const rank = severityRank(signal.severity);
  for (const rule of rules) {
    if (rule.kind !== signal.kind || rank < severityRank(rule.minSeverity)) continue;
    if (rule.scope && signal.kind === 'reorg' && signal.scope !== rule.scope) continue;
    const ruleRank = LEVEL_RANK[rule.level];
    if (ruleRank > bestRank || (ruleRank === bestRank && (rule.holdMs ?? 0) > best.holdMs)) {
      best = { level: rule.level, holdMs: rule.holdMs ?? 0, rule };
      bestRank = ruleRank;
    }
  }
  return best;
}

const LEVEL_RANK: Record<Level, number> = {
  normal: 0,
  caution: 1,
  reduce_only: 2,
  halt: 3,
  settlement_hold: 4,
};
