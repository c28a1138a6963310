/**
 * A token bucket: at most `burst` requests at once, refilled at `qps` per second. The same model
 * as client-go's default rate limiter (flowcontrol.NewTokenBucketRateLimiter), which Velero and
 * calicoctl configure with their QPS/burst settings.
 */

/** Rate limiter for outgoing requests. */
export interface RateLimiter {
  /** Resolves when the caller may send one request. */
  acquire(): Promise<void>;
}

/** Creates a token bucket; `qps <= 0` means unlimited. */
export function createTokenBucket(
  qps: number,
  burst: number,
  now: () => number = Date.now,
): RateLimiter {
  if (!(qps > 0)) return { acquire: () => Promise.resolve() };
  const capacity = Math.max(1, burst);
  let tokens = capacity;
  let updatedAt = now();
  let queue: Promise<void> = Promise.resolve();

  const take = async () => {
    const current = now();
    tokens = Math.min(capacity, tokens + ((current - updatedAt) / 1000) * qps);
    updatedAt = current;
    if (tokens < 1) {
      const waitMs = ((1 - tokens) / qps) * 1000;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      tokens = 1;
      updatedAt = now();
    }
    tokens -= 1;
  };
  return {
    acquire() {
      // Waiters are served in arrival order, one at a time.
      const turn = queue.then(take);
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
