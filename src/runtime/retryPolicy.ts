/** Backoff of failed deliveries: `min(maxMs, baseMs * 2^(attempts - 1))`, of which a random half
 * (from `random`) is jitter. */
export type RetryPolicy = {
  /** Delay after the first failure, ms. Default 500. */
  baseMs?: number;
  /** Largest delay, ms. Default 60000. */
  maxMs?: number;
  /** Attempts after which an action is marked `failed` and the breaker's next action goes ahead.
   * Default: never (retry until delivered). */
  maxAttempts?: number;
  /** Uniform random numbers in [0, 1) for the jitter. Default `Math.random`. */
  random?: () => number;
};
