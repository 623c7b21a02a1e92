import { type Clock, sourceConfigError } from '../source.ts';

export type CreateTokenBucketParameters = {
  /** Tokens added per second: the sustained request rate. */
  ratePerSecond: number;
  /** Most tokens held: the largest burst. Defaults to `ratePerSecond` (at least 1). */
  capacity?: number;
  /** Time source; a monotonic clock is best. */
  clock: Clock;
};

export type TokenBucket = {
  /** Takes a token if one is available now. */
  tryTake(): boolean;
  /** Milliseconds until a token is available (0 when one is). */
  waitMs(): number;
  /** Waits for a token; rejects with the signal's reason when `signal` aborts first. */
  take(signal?: AbortSignal): Promise<void>;
};

export type CreateTokenBucketReturnType = TokenBucket;

/**
 * A token bucket: bounds the request rate to a node at `ratePerSecond` with bursts of `capacity`.
 *
 * @example
 * const bucket = createTokenBucket({ ratePerSecond: 10, clock })
 * await bucket.take() // before each request
 */
export function createTokenBucket({
  ratePerSecond,
  capacity = Math.max(1, ratePerSecond),
  clock,
}: CreateTokenBucketParameters): CreateTokenBucketReturnType {
  if (!(ratePerSecond > 0) || !(capacity >= 1)) {
    throw sourceConfigError(`token bucket needs a positive rate and a capacity of at least 1`);
  }
  let tokens = capacity;
  let updatedAtMs = clock.nowMs();

  function refill(): void {
    const now = clock.nowMs();
    tokens = Math.min(capacity, tokens + ((now - updatedAtMs) * ratePerSecond) / 1000);
    updatedAtMs = now;
  }

  const bucket: TokenBucket = {
    tryTake() {
      refill();
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
    waitMs() {
      refill();
      return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 1000) / ratePerSecond);
    },
    async take(signal) {
      while (!bucket.tryTake()) {
        await sleep(Math.max(1, bucket.waitMs()), signal);
      }
    },
  };
  return bucket;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
