export type RateLimit = {
  /** Tokens added per second, per client. */
  ratePerSecond: number;
  /** Bucket size: requests a client may make at once. */
  burst: number;
  /** Clients tracked at most; the fullest buckets are dropped first beyond it. Default 10,000. */
  maxClients?: number;
};

export type RateLimiter = {
  /** Takes one token for `client`. Returns 0 when allowed, else the seconds until a token is back. */
  take(client: string, nowMs: number): number;
};

/** A token bucket per client: `burst` requests at once, refilled at `ratePerSecond`. */
export function createRateLimiter(limit: RateLimit): RateLimiter {
  const buckets = new Map<string, { tokens: number; atMs: number }>();
  const maxClients = limit.maxClients ?? 10_000;
  return {
    take(client, nowMs) {
      let bucket = buckets.get(client);
      if (bucket) {
        bucket.tokens = Math.min(
          limit.burst,
          bucket.tokens + (Math.max(0, nowMs - bucket.atMs) / 1000) * limit.ratePerSecond,
        );
        bucket.atMs = nowMs;
        buckets.delete(client);
      } else {
        if (buckets.size >= maxClients) evict(buckets, limit, nowMs);
        bucket = { tokens: limit.burst, atMs: nowMs };
      }
      buckets.set(client, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return limit.ratePerSecond > 0 ? (1 - bucket.tokens) / limit.ratePerSecond : Number.POSITIVE_INFINITY;
    },
  };
}

/** Drops buckets that have refilled (they hold no memory worth keeping), then the oldest ones. */
function evict(
  buckets: Map<string, { tokens: number; atMs: number }>,
  limit: RateLimit,
  nowMs: number,
): void {
  for (const [client, bucket] of buckets) {
    if (bucket.tokens + ((nowMs - bucket.atMs) / 1000) * limit.ratePerSecond >= limit.burst)
      buckets.delete(client);
  }
  const target = Math.floor((limit.maxClients ?? 10_000) * 0.9);
  for (const client of buckets.keys()) {
    if (buckets.size <= target) break;
    buckets.delete(client);
  }
}
