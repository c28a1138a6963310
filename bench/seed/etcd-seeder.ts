/**
 * Seeds Calico's etcd with a generated cluster in batched transactions, and removes it again.
 * Each transaction holds at most 128 puts and stays under 1.5 MiB (etcd's default --max-txn-ops
 * and --max-request-bytes); each put is guarded by "version == 0", so data that is not the
 * benchmark's is never overwritten. Cluster singletons (ClusterInformation, default
 * configurations, built-in tiers) are created only if absent and are never deleted.
 */
import type { Etcd3, ICompare, IRequestOp } from 'etcd3';
import { generateCluster } from '../data/cluster.js';
import type { EtcdRecord } from '../data/etcd-records.js';
import { toEtcdRecords } from '../data/etcd-records.js';
import type { ClusterShape } from '../data/shape.js';
import { progress } from '../lib/log.js';
import { TaskPool } from '../lib/pool.js';

const MAX_OPS = 128;
/** Below etcd's 1.5 MiB request limit, leaving room for the request's own framing. */
const MAX_BYTES = 1.4 * 1024 * 1024;
/** Transactions in flight. */
const CONCURRENCY = 4;

/** A key the seeder was about to create exists already. */
export class EtcdKeyExistsError extends Error {
  override readonly name = 'EtcdKeyExistsError';
}

/** What seeding wrote. */
export interface SeedSummary {
  /** Objects written (Calico objects; one etcd key each). */
  objects: number;
  bytes: number;
  seconds: number;
}

/** Streams `records` in batches to `send`; returns the number of records and their bytes. */
async function inBatches(
  records: Iterable<EtcdRecord>,
  send: (batch: EtcdRecord[]) => Promise<void>,
): Promise<{ count: number; bytes: number }> {
  const pool = new TaskPool(CONCURRENCY);
  let batch: EtcdRecord[] = [];
  let size = 0;
  let count = 0;
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const full = batch;
    [batch, size] = [[], 0];
    await pool.run(() => send(full));
  };
  for (const record of records) {
    const recordBytes = Buffer.byteLength(record.key) * 2 + Buffer.byteLength(record.value) + 32;
    if (batch.length === MAX_OPS || size + recordBytes > MAX_BYTES) await flush();
    batch.push(record);
    size += recordBytes;
    count++;
    bytes += Buffer.byteLength(record.value);
  }
  await flush();
  await pool.drain();
  return { count, bytes };
}

function* recordsOf(shape: ClusterShape, singletons: boolean): Generator<EtcdRecord> {
  for (const object of generateCluster(shape)) {
    for (const record of toEtcdRecords(object, shape.workloadEndpoints)) {
      if (record.singleton === singletons) yield record;
    }
  }
}

/** Writes the cluster `shape` describes. */
export async function seedEtcd(client: Etcd3, shape: ClusterShape): Promise<SeedSummary> {
  const started = Date.now();
  let singletons = 0;
  for (const record of recordsOf(shape, true)) {
    const key = Buffer.from(record.key);
    const result = await client.kv.txn({
      compare: [{ key, target: 'Version', result: 'Equal', version: 0 }],
      success: [{ request_put: { key, value: Buffer.from(record.value) } }],
    });
    if (result.succeeded) singletons++;
  }
  let done = 0;
  const { count, bytes } = await inBatches(recordsOf(shape, false), async (batch) => {
    const compare: ICompare[] = batch.map((record) => ({
      key: Buffer.from(record.key),
      target: 'Version',
      result: 'Equal',
      version: 0,
    }));
    const success: IRequestOp[] = batch.map((record) => ({
      request_put: { key: Buffer.from(record.key), value: Buffer.from(record.value) },
    }));
    const result = await client.kv.txn({ compare, success });
    if (!result.succeeded) {
      throw new EtcdKeyExistsError(
        `etcd already holds one of the keys ${batch[0]!.key} ... ${batch.at(-1)!.key}; ` +
          'remove leftovers with `npm run bench -- export --clean-only`',
      );
    }
    done += batch.length;
    if (done % 10_000 < batch.length) progress(`  etcd: ${done} keys written`);
  });
  return { objects: count + singletons, bytes, seconds: (Date.now() - started) / 1000 };
}

/** Deletes every non-singleton key the cluster `shape` describes; returns how many existed. */
export async function cleanEtcd(client: Etcd3, shape: ClusterShape): Promise<number> {
  let deleted = 0;
  await inBatches(recordsOf(shape, false), async (batch) => {
    const success: IRequestOp[] = batch.map((record) => ({
      request_delete_range: { key: Buffer.from(record.key) },
    }));
    const result = await client.kv.txn({ success });
    for (const response of result.responses) {
      deleted += Number(response.response_delete_range?.deleted ?? 0);
    }
  });
  return deleted;
}

/**
 * Compacts etcd's history up to now. Without it every seed-and-delete cycle leaves tombstones in
 * etcd's index that later range requests walk through, so each run would be slower than the last;
 * a real Calico etcd is compacted periodically (KubeControllersConfiguration etcdV3CompactionPeriod).
 */
export async function compactEtcd(client: Etcd3): Promise<void> {
  const current = await client.kv.range({
    key: Buffer.from('/calico/'),
    limit: 1,
    keys_only: true,
  });
  try {
    await client.kv.compact({ revision: current.header.revision, physical: true });
  } catch (error) {
    // Someone else compacted to this revision or later already: nothing left to do.
    if (!/compacted/.test(String((error as Error).message))) throw error;
  }
}
