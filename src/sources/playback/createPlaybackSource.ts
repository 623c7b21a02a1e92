import type { Observation } from '../../core/observation.ts';
import { type Clock, type Source, sourceConfigError } from '../source.ts';

export type CreatePlaybackSourceParameters = {
  /** Source name. Default `playback`. */
  name?: string;
  /** What to play, in chain-time order (a simulation's or a recorded log's observations). */
  observations: readonly Observation[];
  /** Chain-time milliseconds per real millisecond, e.g. 40 plays 40 minutes in one. */
  speed: number;
  /**
   * Where chain time stands at a real instant: chain time is
   * `anchor.simMs + (now - anchor.wallMs) * speed`. Default: set at `start`, to the real time of
   * the start and the chain time of the first observation played. A fixed anchor shared by several
   * runs makes a run started later pick up where the incident is by then.
   */
  anchor?: { wallMs: number; simMs: number };
  /**
   * Index of the first observation played, read at `start` (a run resumed after a restart skips
   * what it has already taken). Default: 0, or with an `anchor` the first observation at or after
   * the chain time of the start.
   */
  from?: () => number;
  /** Interval, real ms, of extra `tick` observations in chain time while playing; 0 for none (the
   * default: a simulation has its own ticks). */
  tickMs?: number;
  /** Called once the last observation is emitted. */
  onFinished?: () => void;
  /** Real time, ms. Default `Date.now`. */
  now?: () => number;
};

export type PlaybackSource = Source & {
  /** Chain time: what the service's ticks and commands are stamped with. */
  readonly clock: Clock;
  /** Index of the next observation to play (the length once finished). */
  position(): number;
};

/**
 * Plays observations in accelerated real time, as a {@link Source}: each observation is emitted
 * when chain time reaches its `observedAtMs`. The demo and the service's restart test watch a
 * simulated incident through it, so the whole service (store, outbox, HTTP) runs as on live nodes.
 */
export function createPlaybackSource(parameters: CreatePlaybackSourceParameters): PlaybackSource {
  const { observations, speed } = parameters;
  if (!(speed > 0) || !Number.isFinite(speed)) throw sourceConfigError('speed must be a positive number');
  const now = parameters.now ?? Date.now;
  const firstMs = observations[0]?.observedAtMs ?? 0;
  let anchor = parameters.anchor;
  let next = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let stopped = false;
  const toSimMs = (wallMs: number) =>
    anchor === undefined ? firstMs : anchor.simMs + (wallMs - anchor.wallMs) * speed;
  const clock: Clock = { nowMs: () => Math.max(firstMs, Math.round(toSimMs(now()))) };

  return {
    name: parameters.name ?? 'playback',
    clock,
    position: () => next,
    async start(emit) {
      if (parameters.from !== undefined) next = Math.max(0, Math.min(parameters.from(), observations.length));
      else if (anchor !== undefined) {
        const at = clock.nowMs();
        next = observations.findIndex((o) => o.observedAtMs >= at);
        if (next === -1) next = observations.length;
      }
      anchor ??= {
        wallMs: now(),
        simMs: observations[next]?.observedAtMs ?? observations.at(-1)?.observedAtMs ?? firstMs,
      };
      const pump = () => {
        timer = undefined;
        if (stopped) return;
        const simMs = toSimMs(now());
        while (next < observations.length && observations[next]!.observedAtMs <= simMs) {
          emit(observations[next]!);
          next += 1;
        }
        if (next >= observations.length) {
          clearInterval(ticker);
          parameters.onFinished?.();
          return;
        }
        const waitMs = (observations[next]!.observedAtMs - simMs) / speed;
        timer = setTimeout(pump, Math.max(1, Math.min(waitMs, 100)));
      };
      timer = setTimeout(pump, 1);
      const tickMs = parameters.tickMs ?? 0;
      if (tickMs > 0) ticker = setInterval(() => emit({ type: 'tick', observedAtMs: clock.nowMs() }), tickMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(ticker);
    },
  };
}
