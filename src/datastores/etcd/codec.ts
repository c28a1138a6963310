/**
 * The etcd codec: Calico's etcd v3 storage (key + value bytes) ⇄ canonical `projectcalico.org/v3`
 * objects (docs/canonical-form.md). Pure functions; the etcd client and paging call them.
 *
 * - `decodeEtcdEntry` turns one stored key-value into a listed item: a canonical object (with
 *   `metadata.resourceVersion` = the mod-revision) or, for anything it cannot map, a raw entry
 *   with a reason. It never throws and never drops an entry.
 * - `encodeEtcdEntry` gives the key and value libcalico-go of the target's version would write.
 * - `encodeRawEntry` gives back a raw entry's exact key and bytes.
 */
import { UnsupportedOperationError } from '../../model/errors.js';
import type { CalicoResource, RawEntry } from '../../model/resource.js';
import type { ListedItem } from '../datastore.js';
import type { EtcdWrite } from './codec/common.js';
import { decodeUtf8, formatRevision, makeRawEntry } from './codec/common.js';
import type { EtcdTarget } from './codec/target.js';
import { decodeIpam, encodeIpam, IPAM_KINDS } from './ipam-codec.js';
import { parseEtcdKey } from './keys.js';
import { decodeResource, encodeResource } from './resource-codec.js';

export type { EtcdWrite } from './codec/common.js';
export type { AttributeFormat, EtcdTarget } from './codec/target.js';
export { etcdTargetFor } from './codec/target.js';

/** Reason given to the legacy exact `/calico/ipam/v2/host/<hostname>` key (§9). */
const IPAM_HOST_REASON =
  'legacy IPAM host key (libcalico-go/lib/backend/model/ipam_host.go); not used by current Calico';

/**
 * Decodes one stored entry. `modRevision` is the key's etcd mod-revision (decimal text or number);
 * it becomes `metadata.resourceVersion`, as in libcalico-go/lib/backend/etcdv3/conversion.go.
 */
export function decodeEtcdEntry(
  key: string,
  value: Uint8Array,
  modRevision: string | number | bigint,
): ListedItem {
  const raw = (reason: string): ListedItem => ({
    type: 'raw',
    raw: makeRawEntry(key, value, reason),
  });
  try {
    const info = parseEtcdKey(key);
    if (info.type === 'unrecognised') return raw(info.reason);
    if (info.type === 'ipam-host') return raw(IPAM_HOST_REASON);
    const text = decodeUtf8(value);
    if (text === undefined) return raw('value is not valid UTF-8');
    const resourceVersion = formatRevision(modRevision);
    const decoded =
      info.type === 'resource'
        ? decodeResource(info, key, text, resourceVersion)
        : decodeIpam(info, text, resourceVersion);
    return decoded.ok ? { type: 'resource', resource: decoded.resource } : raw(decoded.reason);
  } catch (error) {
    return raw(`cannot decode: ${(error as Error).message}`);
  }
}

/**
 * The key and value the target's libcalico-go would store for a canonical object. Throws
 * UnsupportedOperationError for kinds etcd does not store (and the synthesized
 * projectcalico-default-allow profile), InvalidObjectError for an object that cannot be stored.
 */
export function encodeEtcdEntry(resource: CalicoResource, target: EtcdTarget): EtcdWrite {
  return IPAM_KINDS.has(resource.kind)
    ? encodeIpam(resource, target)
    : encodeResource(resource, target);
}

/** The key a canonical object is stored under in the target (see `encodeEtcdEntry`). */
export function etcdKeyOf(resource: CalicoResource, target: EtcdTarget): string {
  return encodeEtcdEntry(resource, target).key;
}

/** A raw entry's exact key and bytes, for writing back into an etcd datastore. */
export function encodeRawEntry(raw: RawEntry): { key: string; value: Buffer } {
  if (raw.source !== 'etcd') {
    throw new UnsupportedOperationError(`raw entry ${raw.key} comes from ${raw.source}, not etcd`);
  }
  return { key: raw.key, value: Buffer.from(raw.value) };
}
