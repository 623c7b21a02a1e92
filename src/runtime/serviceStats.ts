/** The service's counters since start ({@link Service.stats}). */
export type ServiceStats = {
  /** Events replayed from the store at start (after the snapshot), and how long recovery took. */
  replayedEvents: number;
  replayMs: number;
  /** Sequence number of the snapshot restored at start; 0 when the whole log was replayed. */
  snapshotSeq: number;
  /** Snapshots written since start, and those that could not be made. */
  snapshots: number;
  snapshotFailures: number;
  /** Events committed since start. */
  committedEvents: number;
  /** Events waiting to be committed. */
  pendingEvents: number;
  deliveries: number;
  failedAttempts: number;
  storeWriteFailures: number;
  /** Observations dropped because the in-memory buffer of uncommitted events was full. */
  droppedObservations: number;
  /** The bound of that buffer. */
  maxPendingEvents: number;
};
