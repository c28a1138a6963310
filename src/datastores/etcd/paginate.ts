/**
 * Revision-pinned range paging. etcd3's `getAll()` fetches a whole range in one response; this
 * reads it `pageSize` keys at a time, every page at the same revision, so a listing is one
 * consistent point in time however large it is (etcd API: Range with `revision` and `limit`).
 */
import type { Etcd3 } from 'etcd3';
import { translateEtcdError } from './errors.js';

/** One key-value pair as stored. */
export interface EtcdKv {
  key: string;
  value: Buffer;
  modRevision: string;
}

/** Keys per page: large enough that few round trips are needed, small enough to bound memory. */
export const DEFAULT_PAGE_SIZE = 1000;

/** Options of `scanPrefix`. */
export interface ScanOptions {
  prefix: string;
  /** Revision to read at; the current one when absent. */
  revision?: string;
  pageSize?: number;
  /** Return keys without values (for counting and classifying). */
  keysOnly?: boolean;
  endpoints: readonly string[];
}

/** The exclusive end of the range holding every key that starts with `prefix`. */
export function prefixRangeEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]!++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/** Reads the current revision of the store (the header revision of a one-key range). */
export async function readCurrentRevision(
  client: Etcd3,
  endpoints: readonly string[],
): Promise<string> {
  try {
    const response = await client.kv.range({
      key: Buffer.from('/calico/'),
      limit: 1,
      keys_only: true,
    });
    return String(response.header.revision);
  } catch (error) {
    throw translateEtcdError(error, endpoints);
  }
}

/** Streams every key under a prefix in key order, page by page, pinned to one revision. */
export function scanPrefix(client: Etcd3, options: ScanOptions): AsyncGenerator<EtcdKv> {
  return scanRange(client, {
    ...options,
    start: options.prefix,
    end: prefixRangeEnd(options.prefix),
  });
}

/**
 * Streams every key in [start, end) in key order, page by page, pinned to one revision. No sort
 * order is requested: etcd already returns a range in ascending key order, and any explicit sort
 * makes it read the whole remaining range on every page, then sort and truncate
 * (go.etcd.io/etcd/server/v3 etcdserver/txn/txn.go executeRange: "fetch everything; sort and
 * truncate afterwards"), which turns paging quadratic.
 */
export async function* scanRange(
  client: Etcd3,
  options: Omit<ScanOptions, 'prefix'> & { start: string | Buffer; end: Buffer },
): AsyncGenerator<EtcdKv> {
  let start = Buffer.from(options.start);
  let revision = options.revision;
  for (;;) {
    let response;
    try {
      response = await client.kv.range({
        key: start,
        range_end: options.end,
        limit: options.pageSize ?? DEFAULT_PAGE_SIZE,
        revision,
        keys_only: options.keysOnly ?? false,
      });
    } catch (error) {
      throw translateEtcdError(error, options.endpoints);
    }
    revision ??= String(response.header.revision);
    for (const kv of response.kvs) {
      yield { key: kv.key.toString('utf8'), value: kv.value, modRevision: String(kv.mod_revision) };
    }
    const last = response.kvs.at(-1);
    if (!response.more || !last) return;
    start = Buffer.concat([last.key, Buffer.from([0])]);
  }
}
