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
export async function* scanPrefix(client: Etcd3, options: ScanOptions): AsyncGenerator<EtcdKv> {
  const rangeEnd = prefixRangeEnd(options.prefix);
  let start = Buffer.from(options.prefix);
  let revision = options.revision;
  for (;;) {
    let response;
    try {
      response = await client.kv.range({
        key: start,
        range_end: rangeEnd,
        limit: options.pageSize ?? 500,
        revision,
        keys_only: options.keysOnly ?? false,
        sort_order: 'Ascend',
        sort_target: 'Key',
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
