import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordedWrite } from '../../../../src/datastores/decorators/dry-run.js';
import { withDryRun } from '../../../../src/datastores/decorators/dry-run.js';
import { withRateLimit } from '../../../../src/datastores/decorators/rate-limited.js';
import { retryCall, withRetry } from '../../../../src/datastores/decorators/retrying.js';
import { createTokenBucket } from '../../../../src/datastores/decorators/token-bucket.js';
import {
  DatastoreUnavailableError,
  InvalidObjectError,
  ThrottledError,
} from '../../../../src/model/errors.js';
import type { CalicoResource } from '../../../../src/model/resource.js';
import { MemoryDatastore } from '../../../helpers/memory-datastore.js';

const pool = (name: string): CalicoResource => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'IPPool',
  metadata: { name },
  spec: { cidr: '10.0.0.0/16' },
});

describe('retryCall', () => {
  it('retries retryable errors with growing, jittered delays and honours Retry-After', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await retryCall(
      async () => {
        calls++;
        if (calls === 1) throw new DatastoreUnavailableError('down');
        if (calls === 2) throw new ThrottledError('slow down', 1500);
        if (calls === 3) throw new DatastoreUnavailableError('down again');
        return 'ok';
      },
      { baseDelayMs: 100, random: () => 1, sleep: async (ms) => void delays.push(ms) },
    );
    assert.equal(result, 'ok');
    assert.deepEqual(delays, [100, 1500, 400]);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    await assert.rejects(
      retryCall(async () => {
        calls++;
        throw new InvalidObjectError('bad');
      }),
      InvalidObjectError,
    );
    assert.equal(calls, 1);
  });

  it('gives up after maxAttempts', async () => {
    let calls = 0;
    await assert.rejects(
      retryCall(
        async () => {
          calls++;
          throw new DatastoreUnavailableError('down');
        },
        { maxAttempts: 3, sleep: async () => undefined },
      ),
      DatastoreUnavailableError,
    );
    assert.equal(calls, 3);
  });
});

describe('withRetry', () => {
  it('retries datastore calls transparently', async () => {
    const store = new MemoryDatastore();
    store.failures = [new ThrottledError('429'), new ThrottledError('429')];
    const retried = withRetry(store, { sleep: async () => undefined });
    await retried.create(pool('a'));
    assert.deepEqual(store.calls, ['create', 'create', 'create']);
    assert.ok(await store.get({ kind: 'IPPool', name: 'a' }));
  });
});

describe('token bucket', () => {
  it('lets a burst through, then paces requests at qps', async () => {
    let clock = 0;
    const bucket = createTokenBucket(10, 3, () => clock);
    const started = Date.now();
    for (let i = 0; i < 3; i++) await bucket.acquire();
    assert.ok(Date.now() - started < 50, 'burst is immediate');
    const before = Date.now();
    await bucket.acquire();
    assert.ok(Date.now() - before >= 90, 'the fourth request waits about 1/qps');
    clock += 1000;
    const refill = Date.now();
    await bucket.acquire();
    assert.ok(Date.now() - refill < 50, 'tokens refill over time');
  });

  it('caps the request rate of a wrapped datastore', async () => {
    const store = withRateLimit(new MemoryDatastore(), { qps: 50, burst: 1 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 11 }, (_, i) => store.create(pool(`p${i}`))));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 180, `11 writes at 50/s with burst 1 take >= 200 ms (took ${elapsed})`);
  });
});

describe('withDryRun', () => {
  it('records writes and performs none', async () => {
    const store = new MemoryDatastore().seed(pool('existing'));
    const writes: RecordedWrite[] = [];
    const dry = withDryRun(store, { validate: false, record: (w) => writes.push(w) });
    await dry.create(pool('new'));
    const existing = (await dry.get({ kind: 'IPPool', name: 'existing' }))!;
    await dry.update(existing);
    await dry.delete({ kind: 'IPPool', name: 'existing' });
    assert.deepEqual(
      writes.map((w) => w.operation),
      ['create', 'update', 'delete'],
    );
    assert.equal(store.objects.size, 1);
    assert.ok(
      !store.calls.includes('create') &&
        !store.calls.includes('update') &&
        !store.calls.includes('delete'),
    );
  });
});
