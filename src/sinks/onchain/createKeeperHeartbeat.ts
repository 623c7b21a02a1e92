import { OnchainGuardError } from './onchainGuardError.ts';

export type CreateKeeperHeartbeatParameters = {
  /** The keeper that sends each heartbeat: an on-chain guard sink (`createOnchainGuardSink`). */
  sink: { heartbeat(): Promise<unknown> };
  /**
   * Milliseconds from the start of one heartbeat to the start of the next. Default 60 000. Not a
   * positive number: a `config` {@link OnchainGuardError}.
   */
  intervalMs?: number;
  /** Receives the error of each heartbeat that failed; the schedule goes on at the next interval. */
  onError: (error: unknown) => void;
};

export type KeeperHeartbeat = {
  /** Sends a heartbeat now, then one every `intervalMs`. Does nothing if already running. */
  start(): void;
  /** Cancels the next heartbeat and resolves once the one in flight, if any, has settled. Nothing
   * is sent after it resolves, until `start()` again. */
  stop(): Promise<void>;
  readonly running: boolean;
};

/**
 * The keeper's heartbeat schedule, the live half of the guard's dead-man switch: while running it
 * calls `sink.heartbeat()` every `intervalMs` (never two at once: a heartbeat slower than the
 * interval delays the next one), so a consumer that bounds the guard's silence
 * (`ExampleOptionsMarket.maxStalenessSeconds`) keeps accepting new positions. Run it on the
 * leader only: start it when the instance leads, stop it when it steps down.
 *
 * @example
 * const heartbeat = createKeeperHeartbeat({ sink, intervalMs: 60_000, onError: (e) => log(e) });
 * heartbeat.start();
 * // …
 * await heartbeat.stop();
 */
export function createKeeperHeartbeat({
  sink,
  intervalMs = 60_000,
  onError,
}: CreateKeeperHeartbeatParameters): KeeperHeartbeat {
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new OnchainGuardError({
      code: 'config',
      shortMessage: `heartbeat intervalMs must be a positive number, got ${intervalMs}`,
    });
  }
  let running = false;
  // Each start() opens a new run; a beat of an earlier run never schedules another.
  let run = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  function beat(ofRun: number): void {
    timer = undefined;
    if (ofRun !== run) return;
    const startedMs = performance.now();
    inFlight = sink.heartbeat().then(
      () => {},
      (error: unknown) => onError(error),
    );
    void inFlight.then(() => {
      if (ofRun !== run) return;
      const delayMs = Math.max(0, startedMs + intervalMs - performance.now());
      timer = setTimeout(() => beat(ofRun), delayMs);
      timer.unref?.();
    });
  }

  return {
    get running() {
      return running;
    },
    start() {
      if (running) return;
      running = true;
      run += 1;
      const ofRun = run;
      // A heartbeat of the previous run may still be in flight: the new run begins after it.
      void inFlight.then(() => beat(ofRun));
    },
    async stop() {
      running = false;
      run += 1;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
