import type { Level } from '../breaker/levels.ts';

/** A raise or a clear of an external condition (`Service.setCondition`). */
export type ExternalConditionInput = {
  /** The condition's key, e.g. `oracle:ETH-USD`. */
  key: string;
  /** What it is, for `Transition.causes`, e.g. `oracle`. */
  cause: string;
  chains?: readonly string[];
  /** The level asked for while raised; absent to clear. */
  level?: Level;
  actor: string;
  reason: string;
};
