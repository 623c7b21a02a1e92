import type { ClusterRole, ClusterStore, Fence } from '../../store/clusterStore.ts';
import type { ServiceLogEntry } from '../createService.ts';

/** How a service takes part in a cluster of guards on one PostgreSQL store (docs/deploy.md). */
export type ClusterOptions = {
  /** This process's name in the cluster; unique. */
  instance: string;
  /** `replica` (default): leads when it holds the lease, follows otherwise; `watcher`: only
   * observes and appends its observations to the store. */
  role?: 'replica' | 'watcher';
  /** Where it observes from (a network, a provider); stored with each observation. */
  location?: string;
  /** Lease time, ms: a leader that does not renew within it is replaced. Default 5000. */
  leaseMs?: number;
  /** Interval of the member's loop (tail, inbox, lease), ms. Default min(250, leaseMs / 5). */
  pollMs?: number;
  /** Directory of a watcher's spool (observations not stored yet). Default `./.watcher-spool`. */
  spoolDir?: string;
};

export type CreateClusterMemberParameters = {
  cluster: ClusterStore;
  instance: string;
  role: 'replica' | 'watcher';
  location?: string | undefined;
  leaseMs: number;
  pollMs: number;
  log: (entry: ServiceLogEntry) => void;
  /** Follower: applies the events stored after those it has (a warm engine). */
  catchUp(): Promise<void>;
  /** The lease was taken: catch up, set the fence, start the outbox. Throws to give it up. */
  lead(fence: Fence): Promise<void>;
  /** Called once the instance leads (role, fence and lease renewal set): start leader-only work. */
  onLeading?(): void;
  /** The leader steps down: clear the fence, stop delivering, drop what is not committed. */
  stepDown(reason: string): void;
  /** Leader, each loop: take new observations from the inbox. */
  leaderTick(): Promise<void>;
};

export type ClusterMember = {
  start(): void;
  /** Ends the loop; a leader releases its lease (so the next one need not wait for it to expire). */
  stop(): Promise<void>;
  role(): ClusterRole;
  epoch(): number | undefined;
  /** Leader with a lease renewed less than `leaseMs` ago by this process's monotonic clock: may
   * deliver. A leader paused past its lease (SIGSTOP, a long GC) finds this false at once. */
  canAct(): boolean;
  /** Steps down now (a write was refused by the fence). */
  stepDown(reason: string): void;
};

const HEARTBEAT_MS = 1000;

/**
 * One member's loop. A follower tails the event log into its engine and tries to take the lease
 * (`UPDATE lease … WHERE expires_at < now()`); once taken it leads: each loop it takes the inbox,
 * then renews the lease every third of the lease time. A renewal refused (another took it) or not
 * done within the lease (by its own clock, even while every take of the inbox fails or hangs: the
 * database down or cut off), or a write refused by the fence, makes it step down and follow. Every
 * member sends a heartbeat each second.
 */
export function createClusterMember(parameters: CreateClusterMemberParameters): ClusterMember {
  const { cluster, instance, log, leaseMs } = parameters;
  let role: ClusterRole = parameters.role === 'watcher' ? 'watcher' : 'follower';
  let fence: Fence | undefined;
  let renewedAtMs = Number.NEGATIVE_INFINITY;
  let heartbeatAtMs = Number.NEGATIVE_INFINITY;
  let stopped = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  // When the loop began the iteration it is in (undefined between iterations), and the last run of
  // the watchdog, on the monotonic clock.
  let busySinceMs: number | undefined;
  let watchedAtMs = performance.now();
  let watchdog: ReturnType<typeof setInterval> | undefined;

  const stepDown = (reason: string) => {
    if (role !== 'leader') return;
    role = 'follower';
    const was = fence;
    fence = undefined;
    parameters.stepDown(reason);
    log({
      level: 'warn',
      code: 'stepped_down',
      message: `${instance} is no longer the leader (epoch ${was?.epoch}): ${reason}`,
      epoch: was?.epoch,
    });
  };

  const heartbeat = async () => {
    if (performance.now() - heartbeatAtMs < HEARTBEAT_MS) return;
    heartbeatAtMs = performance.now();
    await cluster
      .heartbeat({ instance, role, location: parameters.location, epoch: fence?.epoch })
      .catch((error: Error) =>
        log({ level: 'warn', code: 'heartbeat_failed', message: `${instance}: ${error.message}` }),
      );
  };

  const lead = async () => {
    await parameters.catchUp();
    const startedMs = performance.now();
    const epoch = await cluster.acquireLease(instance, leaseMs);
    if (epoch === undefined) return;
    const next = { instance, epoch };
    try {
      await parameters.lead(next);
    } catch (error) {
      parameters.stepDown(`could not take over: ${(error as Error).message}`);
      log({ level: 'error', code: 'takeover_failed', message: (error as Error).message, epoch });
      return;
    }
    fence = next;
    renewedAtMs = startedMs;
    role = 'leader';
    heartbeatAtMs = Number.NEGATIVE_INFINITY;
    log({ level: 'warn', code: 'leader', message: `${instance} leads at epoch ${epoch}`, epoch });
    parameters.onLeading?.();
  };

  const renew = async () => {
    if (role !== 'leader' || fence === undefined) return;
    if (performance.now() - renewedAtMs < leaseMs / 3) return;
    const startedMs = performance.now();
    let renewed: boolean | undefined;
    try {
      renewed = await cluster.renewLease(fence, leaseMs);
    } catch (error) {
      log({ level: 'warn', code: 'lease_renewal_failed', message: (error as Error).message });
    }
    if (renewed === true) renewedAtMs = startedMs;
    else if (renewed === false) stepDown('the lease was taken over');
    else if (performance.now() - renewedAtMs >= leaseMs) stepDown('the lease could not be renewed in time');
  };

  const once = async () => {
    if (role === 'leader') {
      // The inbox first: a leader back from a pause tries to write, and the fence refuses it. A
      // take that fails (the database down) must not keep the lease from being renewed, or given
      // up once it lapses.
      try {
        await parameters.leaderTick();
      } catch (error) {
        log({ level: 'warn', code: 'leader_tick_failed', message: (error as Error).message });
      }
      await renew();
    } else if (role === 'follower') {
      await lead();
    }
    await heartbeat();
  };

  /**
   * A leader whose loop is stuck in one iteration (a query that never answers: packets to the
   * database dropped) cannot renew either: it steps down once its lease lapses, as after a failed
   * renewal. A late run of this timer means that the whole process stood still (SIGSTOP, a long
   * GC): then it leaves the loop, which resumes too, to learn from the fence that it was replaced.
   */
  const watch = () => {
    const nowMs = performance.now();
    const late = nowMs - watchedAtMs > Math.max(leaseMs / 2, 4 * parameters.pollMs);
    watchedAtMs = nowMs;
    if (late || role !== 'leader' || busySinceMs === undefined) return;
    if (nowMs - busySinceMs >= leaseMs && nowMs - renewedAtMs >= leaseMs) {
      stepDown('the database did not answer within the lease');
    }
  };

  const run = async () => {
    while (!stopped) {
      busySinceMs = performance.now();
      try {
        await once();
      } catch (error) {
        log({ level: 'warn', code: 'cluster_loop_failed', message: (error as Error).message });
      }
      busySinceMs = undefined;
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const handle = setTimeout(resolve, parameters.pollMs);
        wake = () => {
          clearTimeout(handle);
          resolve();
        };
      });
    }
  };

  return {
    start() {
      if (loop !== undefined) return;
      watchedAtMs = performance.now();
      watchdog = setInterval(watch, parameters.pollMs);
      watchdog.unref();
      loop = run();
    },
    async stop() {
      stopped = true;
      clearInterval(watchdog);
      wake?.();
      await loop;
      const was = fence;
      if (role === 'leader' && was !== undefined) {
        stepDown('stopping');
        await cluster.releaseLease(was).catch(() => undefined);
      }
    },
    role: () => role,
    epoch: () => fence?.epoch,
    canAct: () => role === 'leader' && performance.now() - renewedAtMs < leaseMs,
    stepDown,
  };
}
