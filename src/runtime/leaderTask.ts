/** A schedule run while the instance leads (`leaderTasks` of `createService`). */
export type LeaderTask = {
  /** Starts the schedule; does nothing if it runs already. */
  start(): void;
  /** Stops it; resolves once nothing more will be sent. */
  stop(): Promise<void>;
};
