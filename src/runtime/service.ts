import type { Transition } from '../breaker/levels.ts';
import type { Observation } from '../core/observation.ts';
import type { ExternalConditionInput } from './externalConditionInput.ts';
import type { ServiceStats } from './serviceStats.ts';
import type { ClusterPosition, ServiceView } from './serviceView.ts';

/** The guard that `createService` builds: a {@link ServiceView} that starts, stops and takes input. */
export type Service = ServiceView & {
  /** Restores the engine (newest snapshot, then the log after it), starts the outbox, then the
   * sources and ticks. */
  start(): Promise<void>;
  /** Stops sources and ticks, commits what is pending, lets in-flight deliveries end, closes the
   * sinks. The store stays open. */
  stop(): Promise<void>;
  /** Takes one observation, as a source does. */
  push(observation: Observation): void;
  /**
   * Raises (with `level`) or clears (without) the external condition `key` on every breaker that
   * protects one of `chains` (clearing without `chains`: every breaker that has it). A raised
   * condition holds its breakers at `level` or above, like a detector's condition: escalation at
   * once, recovery through the usual hysteresis once it is cleared. Each change is stored and
   * replayed like a manual command; repeating the current state stores nothing. Returns the
   * transitions it caused. {@link applyOracleResult} drives it from an oracle aggregation.
   */
  setCondition(condition: ExternalConditionInput): Transition[];
  /** Resolves once everything taken so far is committed to the store; rejects with a
   * {@link ServiceError} `store_unavailable` after `timeoutMs` (default `commitTimeoutMs`) without
   * that commit, or if the service stopped before it. */
  flush(options?: { timeoutMs?: number }): Promise<void>;
  /** Resolves once everything taken is committed and no sink has a pending action (tests). */
  drained(): Promise<void>;
  stats(): ServiceStats;
  clusterPosition(): ClusterPosition;
  /** Whether this instance may act on the outside world now: the one guard of its store, or a
   * leader whose lease was renewed less than a lease ago on its own clock (false at once after a
   * pause past the lease, before it has learnt that it was replaced). */
  canAct(): boolean;
};
