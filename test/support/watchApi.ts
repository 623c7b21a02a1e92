import { isLevel, type Level, levelRank } from '../../src/breaker/levels.ts';

export type WatchApiParameters = {
  /** The API, `http://127.0.0.1:PORT`. */
  url: string;
  /** Interval between rounds (`/healthz`, then `/api/breakers`). Default 200 ms. */
  intervalMs?: number;
  /** Time allowed for one request before it counts as a failure. Default 2000 ms. */
  timeoutMs?: number;
};

export type WatchApiReturnType = {
  /** Highest level seen: polled levels and every `to` in the breakers' history. */
  maxLevel(): Level;
  /** Every distinct level seen per breaker, with when it was first seen (ms since the watch began). */
  levels(): Array<{ breaker: string; level: Level; firstSeenMs: number }>;
  /** Rounds completed, `/healthz` answered 200, `/healthz` failed (timeout, refused, non-2xx). */
  counts(): { rounds: number; healthOk: number; healthFailed: number };
  /** Slowest `/healthz` answer, ms. */
  slowestHealthMs(): number;
  /** The last few failures, as text. */
  failures(): string[];
  /** Stops polling; resolves after the round in flight. */
  stop(): Promise<void>;
};

type BreakersBody = {
  breakers: Array<{ name: string; level: string; history?: Array<{ to?: unknown }> }>;
};

/**
 * Polls a running guard's API while a test runs: `/healthz` (does it answer, how fast) and
 * `/api/breakers?history=100` (the highest level any breaker reached, from its current level and
 * its transition history, so that a move up and back down between two polls is still seen).
 */
export function watchApi(parameters: WatchApiParameters): WatchApiReturnType {
  const { url, intervalMs = 200, timeoutMs = 2_000 } = parameters;
  const startedMs = performance.now();
  let max: Level = 'normal';
  const seen = new Map<string, { breaker: string; level: Level; firstSeenMs: number }>();
  const counts = { rounds: 0, healthOk: 0, healthFailed: 0 };
  let slowestHealthMs = 0;
  const failures: string[] = [];
  let stopped = false;
  const note = (breaker: string, level: unknown) => {
    if (!isLevel(level)) return;
    if (levelRank(level) > levelRank(max)) max = level;
    const key = `${breaker}:${level}`;
    if (!seen.has(key)) seen.set(key, { breaker, level, firstSeenMs: performance.now() - startedMs });
  };
  const fail = (what: string, error: unknown) => {
    failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    if (failures.length > 20) failures.shift();
  };

  const round = async () => {
    const healthStartMs = performance.now();
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
      await response.text();
      if (!response.ok) throw new Error(`status ${response.status}`);
      counts.healthOk += 1;
      slowestHealthMs = Math.max(slowestHealthMs, performance.now() - healthStartMs);
    } catch (error) {
      counts.healthFailed += 1;
      fail('/healthz', error);
    }
    try {
      const response = await fetch(`${url}/api/breakers?history=100`, {
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = (await response.json()) as BreakersBody;
      for (const breaker of body.breakers) {
        note(breaker.name, breaker.level);
        for (const transition of breaker.history ?? []) note(breaker.name, transition.to);
      }
    } catch (error) {
      fail('/api/breakers', error);
    }
    counts.rounds += 1;
  };

  const loop = (async () => {
    while (!stopped) {
      const roundStartMs = performance.now();
      await round();
      const waitMs = intervalMs - (performance.now() - roundStartMs);
      if (waitMs > 0 && !stopped) await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  })();

  return {
    maxLevel: () => max,
    levels: () =>
      [...seen.values()].sort(
        (a, b) => a.firstSeenMs - b.firstSeenMs || levelRank(a.level) - levelRank(b.level),
      ),
    counts: () => ({ ...counts }),
    slowestHealthMs: () => slowestHealthMs,
    failures: () => [...failures],
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
