import type { DeliveryContext, Sink } from '../sinks/sink.ts';
import type { OutboxAction, Store } from '../store/store.ts';
import type { RetryPolicy, ServiceLogEntry } from './createService.ts';

export type CreateOutboxDispatcherParameters = {
  store: Store;
  sinks: readonly Sink[];
  retry: RetryPolicy;
  log: (entry: ServiceLogEntry) => void;
  counters: { deliveries: number; failedAttempts: number };
  /** Whether the dispatchers go on (false once the service stops). */
  isRunning: () => boolean;
  /** Whether a delivery may go out now (a cluster leader whose lease is fresh); when false the
   * dispatchers wait. Default always. */
  canDeliver?: () => boolean;
  /** Who delivers (a cluster leader and its epoch), passed to each sink. */
  deliveryContext?: () => DeliveryContext | undefined;
  /** A mark was refused by the fence (`store_fenced`): this instance is no longer the leader. */
  onFenced?: (error: Error) => void;
};

export type OutboxDispatcher = {
  /** Starts one dispatcher per sink (again after {@link OutboxDispatcher.pause}). */
  start(): void;
  /** Ends the dispatchers started so far (a leader that steps down); `start` begins new ones. */
  pause(): void;
  /** Wakes every dispatcher (new actions were committed, or the service stops). */
  wake(): void;
  /** Resolves once the dispatchers have ended (after `isRunning` turned false and `wake`). */
  stopped(): Promise<void>;
  /** Resolves once no sink has a pending action. */
  drained(): Promise<void>;
};

/**
 * Outbox delivery: one dispatcher per sink. Per breaker it takes the pending action of lowest
 * transition seq, and the next only after that one is delivered or given up: in order per breaker
 * and sink. A failure is retried with exponential backoff and jitter. A delivery is marked in the
 * store; if that mark cannot be written (the store is down) it is retried until it is, so the
 * action is not delivered a second time once the store is back. Only committed actions are ever
 * read, so nothing is delivered before its commit.
 */
export function createOutboxDispatcher(parameters: CreateOutboxDispatcherParameters): OutboxDispatcher {
  const { store, sinks, log, counters } = parameters;
  const retry = {
    baseMs: parameters.retry.baseMs ?? 500,
    maxMs: parameters.retry.maxMs ?? 60_000,
    maxAttempts: parameters.retry.maxAttempts,
    random: parameters.retry.random ?? Math.random,
  };
  const running: Array<Promise<void>> = [];
  let generation = 0;
  const wakers = new Set<() => void>();
  const drainWaiters = new Set<() => void>();

  const backoffMs = (attempts: number): number => {
    const ceiling = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.max(0, attempts - 1));
    return ceiling / 2 + retry.random() * (ceiling / 2);
  };

  /** Sleeps `ms`, or until {@link OutboxDispatcher.wake}. */
  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = () => {
        clearTimeout(handle);
        wakers.delete(done);
        resolve();
      };
      const handle = setTimeout(done, Math.max(0, ms));
      wakers.add(done);
    });

  /** Writes `mark` until the store takes it, or the service stops (then logs that the action will
   * come again after a restart). */
  const persist = async (sink: Sink, what: string, mark: () => Promise<void>): Promise<void> => {
    let delayMs = 100;
    for (;;) {
      try {
        await mark();
        return;
      } catch (error) {
        if ((error as { code?: string }).code === 'store_fenced') {
          log({
            level: 'warn',
            code: 'store_fenced',
            message: `${sink.name}: ${what}: ${(error as Error).message}`,
          });
          parameters.onFenced?.(error as Error);
          return;
        }
        const giveUp = !parameters.isRunning();
        log({
          level: 'error',
          code: 'store_write_failed',
          message: `${sink.name}: ${what}, but the store did not record it${giveUp ? ' (stopping: it will be delivered again after a restart)' : ', retrying'}: ${(error as Error).message}`,
          sink: sink.name,
        });
        if (giveUp) return;
        await wait(delayMs);
        delayMs = Math.min(delayMs * 2, 5000);
      }
    }
  };

  const attempt = async (sink: Sink, action: OutboxAction): Promise<void> => {
    const key = action.transition.idempotencyKey;
    try {
      const context = parameters.deliveryContext?.();
      await (context === undefined
        ? sink.deliver(action.transition)
        : sink.deliver(action.transition, context));
    } catch (error) {
      counters.failedAttempts += 1;
      const attempts = action.attempts + 1;
      const final = retry.maxAttempts !== undefined && attempts >= retry.maxAttempts;
      const message = (error as Error).message ?? String(error);
      log({
        level: final ? 'error' : 'warn',
        code: final ? 'delivery_abandoned' : 'delivery_failed',
        message: `${sink.name}: ${key}: ${message}`,
        sink: sink.name,
        idempotencyKey: key,
        attempts,
      });
      const failure = { error: message, nextAttemptAtMs: Date.now() + backoffMs(attempts), final };
      await persist(sink, `attempt ${attempts} of ${key} failed`, () =>
        store.markAttemptFailed(action.id, failure),
      );
      return;
    }
    counters.deliveries += 1;
    await persist(sink, `delivered ${key}`, () => store.markDelivered(action.id, Date.now()));
  };

  const dispatch = async (sink: Sink, mine: number): Promise<void> => {
    while (parameters.isRunning() && mine === generation) {
      if (parameters.canDeliver?.() === false) {
        await wait(100);
        continue;
      }
      let heads: OutboxAction[];
      try {
        heads = await store.headActions(sink.name);
      } catch (error) {
        log({
          level: 'error',
          code: 'store_read_failed',
          message: (error as Error).message,
          sink: sink.name,
        });
        await wait(1000);
        continue;
      }
      const now = Date.now();
      const due = heads.filter((h) => h.nextAttemptAtMs <= now);
      if (due.length === 0) {
        if (heads.length === 0) for (const resolve of drainWaiters) resolve();
        const next = heads.reduce((min, h) => Math.min(min, h.nextAttemptAtMs), Number.POSITIVE_INFINITY);
        await wait(Math.min(next - now, 60_000));
        continue;
      }
      if (mine !== generation || parameters.canDeliver?.() === false) continue;
      await Promise.all(due.map((action) => attempt(sink, action)));
    }
  };

  return {
    start() {
      generation += 1;
      for (const sink of sinks) running.push(dispatch(sink, generation));
    },
    pause() {
      generation += 1;
      for (const wake of [...wakers]) wake();
    },
    wake() {
      for (const wake of [...wakers]) wake();
    },
    async stopped() {
      await Promise.all(running);
    },
    async drained() {
      while (true) {
        let busy = false;
        for (const sink of sinks) {
          const heads = await store.headActions(sink.name);
          if (heads.length > 0) busy = true;
        }
        if (!busy) return;
        await new Promise<void>((resolve) => {
          const done = () => {
            drainWaiters.delete(done);
            clearTimeout(handle);
            resolve();
          };
          const handle = setTimeout(done, 200);
          drainWaiters.add(done);
        });
      }
    },
  };
}
