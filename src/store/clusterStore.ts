/**
 * The part of the storage port that a cluster of guards shares (docs/deploy.md): the leader's lease
 * with its fencing epoch, the instances that say they are alive, and the inbox of observations that
 * watchers append. Only the PostgreSQL adapter has it (`Store.cluster`); SQLite and memory hold one
 * guard, which is always the leader.
 *
 * Times that decide (lease expiry, ages) are the database's `now()`, never a machine's clock.
 */

/** A leader's claim: writes are refused unless the lease still names this instance and epoch. */
export type Fence = { instance: string; epoch: number };

export type ClusterRole = 'leader' | 'follower' | 'watcher';

/** The lease row as the database sees it now. */
export type LeaseInfo = {
  /** The instance that took it last, or null when nobody ever did. */
  holder: string | null;
  /** Raised by one at every take: the fencing epoch. 0 before the first take. */
  epoch: number;
  /** Whether it is still valid (not expired) by the database's clock. */
  valid: boolean;
  /** Since its last renewal (or take), ms; null when never taken. */
  ageMs: number | null;
  /** Until it expires, ms (negative once expired); null when never taken. */
  expiresInMs: number | null;
};

/** One instance as it last reported itself. */
export type InstanceInfo = {
  instance: string;
  role: ClusterRole;
  location: string | null;
  /** The epoch it leads with, when leader. */
  epoch: number | null;
  /** Since its last heartbeat, ms (database clock). */
  ageMs: number;
};

/** What an instance reports at each heartbeat. */
export type Heartbeat = {
  instance: string;
  role: ClusterRole;
  location?: string | undefined;
  epoch?: number | undefined;
};

/** One observation a watcher appends: `localSeq` counts from 1 per instance and makes a retried
 * insert a no-op; `line` is the observation in the replay line format (docs/formats.md). */
export type InboxInput = { localSeq: number; observedAtMs: number; line: string };

/** An observation in the inbox, numbered in commit order (`seq`, increasing, no later row below it). */
export type InboxRow = InboxInput & { seq: number; instance: string; location: string | null };

/** Per location: the observations stored from it and the newest of them. */
export type LocationInfo = {
  location: string;
  instances: string[];
  observations: number;
  /** observedAtMs of the newest observation from the location. */
  lastObservedAtMs: number;
  /** Since that observation was stored, ms (database clock). */
  lastStoredAgeMs: number;
};

export type ClusterStore = {
  /** Takes the lease if it is free or expired (`UPDATE … WHERE expires_at < now()`), raising the
   * epoch; returns the new epoch, or undefined when another instance holds a valid lease. */
  acquireLease(instance: string, ttlMs: number): Promise<number | undefined>;
  /** Extends the lease by `ttlMs` from now if it still names the fence; false when it does not
   * (another instance took it: step down). */
  renewLease(fence: Fence, ttlMs: number): Promise<boolean>;
  /** Ends the lease at once if it still names the fence (a clean stop: the next leader need not
   * wait for it to expire). */
  releaseLease(fence: Fence): Promise<void>;
  readLease(): Promise<LeaseInfo>;
  /**
   * The fence every write of this store is checked against from now on (events, transitions,
   * outbox marks, snapshots): each write transaction locks the lease row `FOR SHARE` and aborts with
   * `store_fenced` unless it names the fence. `lastSeq` is the last event this instance has applied
   * (appends continue after it). `undefined`: writes are refused (a follower).
   */
  setFence(fence: Fence | undefined, lastSeq?: number): void;
  heartbeat(beat: Heartbeat): Promise<void>;
  /** Instances that reported within `withinMs` (default 60 s), by name. */
  listInstances(options?: { withinMs?: number }): Promise<InstanceInfo[]>;
  /** Appends observations of `instance` at `location`; rows already stored (same instance and
   * local seq) are skipped. Returns how many were new. */
  appendInbox(instance: string, location: string | undefined, rows: readonly InboxInput[]): Promise<number>;
  /** Inbox rows after `afterSeq`, in order. */
  readInbox(afterSeq: number, limit: number): Promise<InboxRow[]>;
  /** The newest inbox seq taken into the event log (0 for none). */
  lastInboxSeqTaken(): Promise<number>;
  /** The newest local seq stored for `instance` (0 for none). */
  lastLocalSeq(instance: string): Promise<number>;
  locations(): Promise<LocationInfo[]>;
};
