/**
 * A consistent read view of Calico's etcd data: every range is read at one revision, so an export
 * is a single point in time even while Calico keeps writing (etcd KV API, Range `revision`).
 */
import type { Etcd3 } from 'etcd3';
import type { KindInfo } from '../../model/kinds.js';
import { listExportedKinds } from '../../model/kinds.js';
import type { ListedItem, Snapshot, SnapshotPosition } from '../datastore.js';
import { decodeEtcdEntry } from './codec.js';
import { translateEtcdError } from './errors.js';
import type { EtcdRange } from './keys.js';
import { ETCD_DATA_PREFIXES, etcdRangesFor } from './keys.js';
import { prefixRangeEnd, scanPrefix, scanRange } from './paginate.js';

/** Runtime data under `/calico/` that is deliberately not exported (calico-datastore-model.md §9). */
const SKIPPED_PREFIXES: readonly [prefix: string, reason: string][] = [
  ['/calico/felix/', 'Felix status keys under /calico/felix/ (runtime, re-created by Felix)'],
  ['/calico/v1/', 'legacy /calico/v1/ keys (not read by current Calico)'],
  ['/calico/bgp/', 'legacy /calico/bgp/ keys (not read by current Calico)'],
];
const OTHER_REASON = 'other keys under /calico/ outside the Calico data prefixes';

/** A key range [start, end). */
interface KeyRange {
  start: Buffer;
  end: Buffer;
}

/** The parts of `prefix`'s key space that none of `claimed` covers, in key order. */
export function findGaps(prefix: string, claimed: readonly EtcdRange[]): KeyRange[] {
  const covered = claimed
    .map((range): KeyRange => {
      const start = Buffer.from(range.key);
      return {
        start,
        end: range.prefix ? prefixRangeEnd(range.key) : Buffer.concat([start, Buffer.from([0])]),
      };
    })
    .sort((a, b) => Buffer.compare(a.start, b.start));
  const gaps: KeyRange[] = [];
  let cursor: Buffer = Buffer.from(prefix);
  const last = prefixRangeEnd(prefix);
  for (const range of covered) {
    if (Buffer.compare(range.start, cursor) > 0)
      gaps.push({ start: cursor, end: Buffer.from(range.start) });
    if (Buffer.compare(range.end, cursor) > 0) cursor = range.end;
  }
  if (Buffer.compare(cursor, last) < 0) gaps.push({ start: cursor, end: last });
  return gaps;
}

/** Options of an etcd snapshot. */
export interface EtcdSnapshotOptions {
  client: Etcd3;
  endpoints: readonly string[];
  revision: string;
  pageSize?: number;
  /** Told about every object found under a key other than the one its version would use. */
  onStoredKey?: (item: ListedItem, key: string) => void;
}

/** Opens a read view pinned to `options.revision`. */
export function openEtcdSnapshot(options: EtcdSnapshotOptions): Snapshot {
  const skipped: Record<string, number> = {};
  const claimed = listExportedKinds().flatMap(etcdRangesFor);
  const scan = (prefix: string) =>
    scanPrefix(options.client, {
      prefix,
      revision: options.revision,
      pageSize: options.pageSize,
      endpoints: options.endpoints,
    });
  const scanGap = (gap: KeyRange, read: { pageSize?: number; keysOnly?: boolean }) =>
    scanRange(options.client, {
      ...gap,
      ...read,
      revision: options.revision,
      endpoints: options.endpoints,
    });

  async function* readRange(range: EtcdRange): AsyncGenerator<ListedItem> {
    if (range.prefix) {
      for await (const kv of scan(range.key)) {
        const item = decodeEtcdEntry(kv.key, kv.value, kv.modRevision);
        options.onStoredKey?.(item, kv.key);
        if (item.type === 'raw') yield item;
        else yield { ...item, stored: { source: 'etcd', key: kv.key, value: kv.value } };
      }
      return;
    }
    const kv = await readOne(range.key);
    if (kv) yield decodeEtcdEntry(range.key, kv.value, kv.modRevision);
  }

  async function readOne(key: string) {
    try {
      const response = await options.client.kv.range({
        key: Buffer.from(key),
        revision: options.revision,
      });
      const found = response.kvs[0];
      return found && { value: found.value, modRevision: String(found.mod_revision) };
    } catch (error) {
      throw translateEtcdError(error, options.endpoints);
    }
  }

  return {
    position: (): SnapshotPosition => ({ type: 'etcd', revision: options.revision }),

    async *list(kind: KindInfo) {
      for (const range of etcdRangesFor(kind)) yield* readRange(range);
    },

    async *listUnclaimed() {
      // Only the gaps between the kinds' ranges are read, so no key is read twice. Gaps under the
      // data prefixes are read with their values (their entries are kept raw); the rest of
      // /calico/ is runtime data, read as keys only to count what is skipped.
      for (const prefix of [...ETCD_DATA_PREFIXES].sort()) {
        const within = claimed.filter((range) => range.key.startsWith(prefix));
        for (const gap of findGaps(prefix, within)) {
          for await (const kv of scanGap(gap, { pageSize: options.pageSize })) {
            yield decodeEtcdEntry(kv.key, kv.value, kv.modRevision);
          }
        }
      }
      const dataRanges = ETCD_DATA_PREFIXES.map((key): EtcdRange => ({ key, prefix: true }));
      for (const gap of findGaps('/calico/', [...claimed, ...dataRanges])) {
        for await (const kv of scanGap(gap, { keysOnly: true })) {
          const reason =
            SKIPPED_PREFIXES.find(([prefix]) => kv.key.startsWith(prefix))?.[1] ?? OTHER_REASON;
          skipped[reason] = (skipped[reason] ?? 0) + 1;
        }
      }
    },

    skipped: () => ({ ...skipped }),
  };
}
