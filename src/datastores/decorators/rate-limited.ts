/**
 * Client-side request rate cap around a Datastore (`--qps`, `--burst`). Concurrency is bounded by
 * the caller (p-limit in the import step); this bounds the rate, so a burst of concurrent writes
 * cannot exceed what the operator allowed against a shared API server.
 */
import type { Datastore } from '../datastore.js';
import { createTokenBucket } from './token-bucket.js';

/** Settings of `withRateLimit`. */
export interface RateLimitSettings {
  /** Requests per second; 0 or less means unlimited. */
  qps: number;
  /** Requests that may go at once after a quiet period. */
  burst: number;
}

/** Wraps every request-making call of `datastore` in a token bucket. */
export function withRateLimit(datastore: Datastore, settings: RateLimitSettings): Datastore {
  const bucket = createTokenBucket(settings.qps, settings.burst);
  const limited =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await bucket.acquire();
      return call(...args);
    };
  return {
    describe: limited(() => datastore.describe()),
    snapshot: () => datastore.snapshot(),
    get: limited((ref, like) => datastore.get(ref, like)),
    create: limited((resource, options) => datastore.create(resource, options)),
    createBatch: limited((resources, options) => datastore.createBatch(resources, options)),
    update: limited((resource, options) => datastore.update(resource, options)),
    delete: limited((ref, options) => datastore.delete(ref, options)),
    getRaw: limited((key) => datastore.getRaw(key)),
    putRaw: limited((raw) => datastore.putRaw(raw)),
    loadDefaulter: () => datastore.loadDefaulter(),
    close: () => datastore.close(),
  };
}
