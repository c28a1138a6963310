/**
 * Retries around a Datastore: exponential backoff with full jitter on the retryable errors of
 * src/model/errors.ts (throttling, timeouts, unavailability, 5xx, etcd leader changes), honouring
 * a server's Retry-After. Non-retryable errors (conflicts, invalid objects, auth) pass straight
 * through: the import step handles those.
 */
import { isRetryable, ThrottledError } from '../../model/errors.js';
import type { Datastore } from '../datastore.js';

/** Settings of `withRetry`. */
export interface RetryPolicy {
  /** Total attempts including the first (default 8). */
  maxAttempts?: number;
  /** First backoff ceiling in ms (default 200). */
  baseDelayMs?: number;
  /** Largest backoff ceiling in ms (default 10 000). */
  maxDelayMs?: number;
  /** Called before each wait, e.g. to count retries for the report. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Injectable sleep and randomness, for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `call`, retrying retryable failures per `policy`. */
export async function retryCall<R>(call: () => Promise<R>, policy: RetryPolicy = {}): Promise<R> {
  const maxAttempts = policy.maxAttempts ?? 8;
  const base = policy.baseDelayMs ?? 200;
  const cap = policy.maxDelayMs ?? 10_000;
  const sleep = policy.sleep ?? defaultSleep;
  const random = policy.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error) || attempt >= maxAttempts) throw error;
      const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
      const jittered = Math.round(random() * ceiling);
      const retryAfter = error instanceof ThrottledError ? (error.retryAfterMs ?? 0) : 0;
      const delay = Math.max(jittered, retryAfter);
      policy.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}

/** Wraps every call of `datastore` in `retryCall`. */
export function withRetry(datastore: Datastore, policy: RetryPolicy = {}): Datastore {
  const retried =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      retryCall(() => call(...args), policy);
  return {
    describe: retried(() => datastore.describe()),
    snapshot: retried(() => datastore.snapshot()),
    get: retried((ref, like) => datastore.get(ref, like)),
    create: retried((resource, options) => datastore.create(resource, options)),
    createBatch: retried((resources, options) => datastore.createBatch(resources, options)),
    update: retried((resource, options) => datastore.update(resource, options)),
    delete: retried((ref, options) => datastore.delete(ref, options)),
    getRaw: retried((key) => datastore.getRaw(key)),
    putRaw: retried((raw) => datastore.putRaw(raw)),
    loadDefaulter: () => datastore.loadDefaulter(),
    close: () => datastore.close(),
  };
}
