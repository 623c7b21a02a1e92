import type { Level } from '../breaker/levels.ts';
import type { Observation } from '../core/observation.ts';

/**
 * A command on a breaker, kept in the event log so that a restart replays it: a manual override
 * or resume (audited), or an external condition raised or cleared by a check outside the chain
 * view, such as an unobservable oracle price (`level` present: raised; absent: cleared). Its time
 * is its own `atMs`.
 */
export type BreakerCommand =
  | { type: 'override'; breaker: string; level: Level; actor: string; reason: string; atMs: number }
  | { type: 'resume'; breaker: string; actor: string; reason: string; atMs: number }
  | {
      type: 'condition';
      breaker: string;
      /** The condition's key, e.g. `oracle:ETH-USD`. */
      key: string;
      /** What it is, for `Transition.causes`, e.g. `oracle`. */
      cause: string;
      /** The level it asks for while raised; absent when it is cleared. */
      level?: Level;
      actor: string;
      reason: string;
      atMs: number;
    };

/** One input of the engine, as the event log keeps it: an observation or a command. */
export type EngineEvent =
  | { type: 'observation'; observation: Observation }
  | { type: 'command'; command: BreakerCommand };
