import { type Level, levelRank, type Transition } from './levels.ts';
import type { RecoveryPolicy } from './rules.ts';

/**
 * A breaker's state. Escalation happens at once; recovery to a lower level only after the
 * higher level has not been asked for during `recovery.healthyEvaluations` consecutive
 * evaluations and `recovery.graceMs`. A manual override pins the level until it is resumed.
 */
export type BreakerState = {
  name: string;
  chains: string[];
  level: Level;
  /** Sequence number of the last transition (0 before the first). */
  seq: number;
  /** Consecutive evaluations that asked for a lower level than the current one. */
  healthyEvaluations: number;
  /** Since when a lower level has been asked for. */
  clearedSinceMs?: number | undefined;
  override?: { level: Level; actor: string; reason: string; atMs: number } | undefined;
  /** Conditions raised from outside the chain view (an unobservable oracle price), by key: each
   * asks for its level until it is cleared, like a detector's condition. */
  external?: Map<string, ExternalCondition> | undefined;
  changedAtMs: number;
};

/** A condition raised on a breaker from outside the chain view. */
export type ExternalCondition = {
  level: Level;
  /** One line: why, e.g. `oracle critical: ETH-USD unobservable: 1 of 3 sources valid`. */
  reason: string;
  /** What it is, for `Transition.causes`, e.g. `oracle`. */
  cause: string;
  atMs: number;
};

/** What the rules ask for at one evaluation. */
export type LevelRequest = { level: Level; reason: string; causes: string[] };

export function createBreakerState(name: string, chains: string[], nowMs = 0): BreakerState {
  return { name, chains, level: 'normal', seq: 0, healthyEvaluations: 0, changedAtMs: nowMs };
}

/**
 * One evaluation of a breaker against what the rules ask for. `counts` says whether this
 * evaluation counts towards recovery (a canonical head or a tick does; other observations only
 * escalate). Returns the transition, if any, and mutates `breaker`.
 */
export function reduceBreaker(
  breaker: BreakerState,
  request: LevelRequest,
  nowMs: number,
  recovery: RecoveryPolicy,
  counts: boolean,
): Transition | undefined {
  if (breaker.override) return undefined;
  const wanted = levelRank(request.level);
  const current = levelRank(breaker.level);
  if (wanted > current) {
    return move(breaker, request.level, nowMs, request.reason, request.causes, 'auto');
  }
  if (wanted === current) {
    breaker.healthyEvaluations = 0;
    breaker.clearedSinceMs = undefined;
    return undefined;
  }
  breaker.clearedSinceMs ??= nowMs;
  if (counts) breaker.healthyEvaluations += 1;
  if (
    breaker.healthyEvaluations >= recovery.healthyEvaluations &&
    nowMs - breaker.clearedSinceMs >= recovery.graceMs
  ) {
    const reason =
      request.level === 'normal'
        ? `conditions cleared for ${Math.round((nowMs - breaker.clearedSinceMs) / 1000)} s and ${breaker.healthyEvaluations} evaluations`
        : `recovering: ${request.reason}`;
    return move(breaker, request.level, nowMs, reason, request.causes, 'auto');
  }
  return undefined;
}

/** Raises the external condition `key` on the breaker, or clears it (`condition` undefined). */
export function setExternalCondition(
  breaker: BreakerState,
  key: string,
  condition: ExternalCondition | undefined,
): void {
  if (condition) (breaker.external ??= new Map()).set(key, condition);
  else if (breaker.external?.delete(key) && breaker.external.size === 0) breaker.external = undefined;
}

/** Pins the breaker at `level` until {@link resumeBreaker}. Audited: who and why. */
export function overrideBreaker(
  breaker: BreakerState,
  level: Level,
  actor: string,
  reason: string,
  nowMs: number,
): Transition | undefined {
  breaker.override = { level, actor, reason, atMs: nowMs };
  if (breaker.level === level) return undefined;
  return move(breaker, level, nowMs, `manual override by ${actor}: ${reason}`, [], 'manual', actor);
}

/**
 * Releases a manual override. The breaker then follows the rules again: it escalates at once
 * if they ask for more, and recovers with the usual hysteresis if they ask for less.
 */
export function resumeBreaker(breaker: BreakerState): void {
  breaker.override = undefined;
  breaker.healthyEvaluations = 0;
  breaker.clearedSinceMs = undefined;
}

function move(
  breaker: BreakerState,
  to: Level,
  nowMs: number,
  reason: string,
  causes: string[],
  mode: 'auto' | 'manual',
  actor?: string,
): Transition {
  const from = breaker.level;
  breaker.seq += 1;
  breaker.level = to;
  breaker.changedAtMs = nowMs;
  breaker.healthyEvaluations = 0;
  breaker.clearedSinceMs = undefined;
  const transition: Transition = {
    breaker: breaker.name,
    from,
    to,
    atMs: nowMs,
    reason,
    causes,
    mode,
    seq: breaker.seq,
    idempotencyKey: `${breaker.name}:${breaker.seq}:${from}>${to}`,
  };
  if (actor !== undefined) transition.actor = actor;
  return transition;
}
