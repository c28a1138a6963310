/**
 * etcd keys of Calico data (calico-datastore-model.md §1.1, §2.1, §9): what a key under
 * `/calico/resources/v3/projectcalico.org/` or `/calico/ipam/v2/` is, and the key of an object.
 * Pure string work; no I/O.
 */
import type { Cidr } from '../../model/cidr.js';
import { formatCidr, parseCidr } from '../../model/cidr.js';
import { InternalError } from '../../model/errors.js';
import type { KindInfo } from '../../model/kinds.js';
import { isNamespaced, KINDS } from '../../model/kinds.js';

/** Root of every v3 resource key (libcalico-go/lib/backend/model/resource.go defaultDeletePath). */
export const RESOURCES_PREFIX = '/calico/resources/v3/projectcalico.org/';
/** Root of the IPAM model keys (libcalico-go/lib/backend/model/block*.go, ipam_*.go). */
export const IPAM_PREFIX = '/calico/ipam/v2/';
/** The IPAM library's configuration (libcalico-go/lib/backend/model/ipam_config.go). */
export const IPAM_CONFIG_KEY = '/calico/ipam/v2/config';
/** The prefixes that hold Calico data (everything else under `/calico/` is runtime state, §9). */
export const ETCD_DATA_PREFIXES: readonly string[] = [RESOURCES_PREFIX, IPAM_PREFIX];

/** Block affinity types (model/block.go IPAMAffinityTypeHost / IPAMAffinityTypeVirtual). */
export type AffinityType = 'host' | 'virtual';

/** What an etcd key is. */
export type EtcdKeyInfo =
  | { type: 'resource'; kind: KindInfo; name: string; namespace?: string }
  | { type: 'ipam-block'; cidr: Cidr }
  | { type: 'block-affinity'; affinityType: AffinityType; host: string; cidr: Cidr }
  | { type: 'ipam-handle'; handleId: string }
  | { type: 'ipam-config' }
  /** The legacy exact key `/calico/ipam/v2/host/<hostname>` (model/ipam_host.go IPAMHostKey). */
  | { type: 'ipam-host'; host: string }
  | { type: 'unrecognised'; reason: string };

/** A key range to read for a kind: one exact key, or every key under a prefix. */
export interface EtcdRange {
  key: string;
  prefix: boolean;
}

const resourceRows = new Map(
  KINDS.flatMap((row) => (row.etcd.type === 'resource' ? [[row.etcd.plural, row] as const] : [])),
);
const rowsByPlural = new Map(KINDS.map((row) => [row.plural, row]));

/** Parses any key; never throws. */
export function parseEtcdKey(key: string): EtcdKeyInfo {
  if (key.startsWith(RESOURCES_PREFIX)) return parseResourceKey(key.slice(RESOURCES_PREFIX.length));
  if (key.startsWith(IPAM_PREFIX)) return parseIpamKey(key.slice(IPAM_PREFIX.length));
  return unrecognised('outside the Calico data prefixes');
}

/**
 * `<plural>/<name>` or `<plural>/<namespace>/<name>` (model/keys.go keyFromDefaultPathInner, case
 * "resources"). `%2f` and `%25` in the segments are unescaped as that parser does
 * (model/name.go unescapeName), although no writer escapes v3 names: such a key does not come back
 * from `resourceKey`, which is how the decoder notices it.
 */
function parseResourceKey(rest: string): EtcdKeyInfo {
  const segments = rest.split('/').map(unescapeName);
  if (segments.length < 2 || segments.length > 3 || segments.some((s) => s === '')) {
    return unrecognised('not a v3 resource key');
  }
  const [plural, ...names] = segments as [string, ...string[]];
  const row = resourceRows.get(plural);
  if (!row) return unrecognised(describeUnstoredPlural(plural));
  if (isNamespaced(row) !== (names.length === 2)) {
    return unrecognised(`${row.kind} key with the wrong number of segments for its scope`);
  }
  return names.length === 2
    ? { type: 'resource', kind: row, namespace: names[0]!, name: names[1]! }
    : { type: 'resource', kind: row, name: names[0]! };
}

/** Why a v3 plural that is not a stored resource kind is kept raw (canonical-form.md, Raw entries). */
function describeUnstoredPlural(plural: string): string {
  if (plural === 'ipamconfigurations') {
    return 'etcd-only v3 IPAMConfiguration; the IPAM library reads /calico/ipam/v2/config instead';
  }
  if (plural === 'blockaffinities') {
    return 'etcd-only v3 BlockAffinity copy; affinities live under /calico/ipam/v2/{host,virtual}/';
  }
  const row = rowsByPlural.get(plural);
  if (row && row.etcd.type === 'none') return `${row.kind} is not stored in etcd (${row.etcd.why})`;
  return `unknown v3 resource type ${plural}`;
}

/** Go's unescapeName (libcalico-go/lib/backend/model/name.go): lower-case `%2f` only, then `%25`. */
function unescapeName(segment: string): string {
  return segment.replaceAll('%2f', '/').replaceAll('%25', '%');
}

/**
 * IPAM keys (regexes of model/block.go, block_affinity.go, ipam_handle.go; exact keys of
 * ipam_config.go, ipam_host.go). A key Calico would not write back identically (an unmasked or
 * non-canonical CIDR, an `ipvN` segment that does not match the CIDR) is unrecognised.
 */
function parseIpamKey(rest: string): EtcdKeyInfo {
  if (rest === 'config') return { type: 'ipam-config' };
  const segments = rest.split('/');
  if (segments.some((s) => s === '')) return unrecognised('unrecognised IPAM key');
  const [head, second] = segments;
  if (head === 'assignment' && segments.length === 4 && segments[2] === 'block') {
    const cidr = parseCidrSegment(segments[1]!, segments[3]!);
    return typeof cidr === 'string' ? unrecognised(cidr) : { type: 'ipam-block', cidr };
  }
  if (head === 'handle' && segments.length === 2) return { type: 'ipam-handle', handleId: second! };
  if (head === 'host' && segments.length === 2) return { type: 'ipam-host', host: second! };
  if ((head === 'host' || head === 'virtual') && segments.length === 5 && segments[3] === 'block') {
    const cidr = parseCidrSegment(segments[2]!, segments[4]!);
    if (typeof cidr === 'string') return unrecognised(cidr);
    return { type: 'block-affinity', affinityType: head, host: second!, cidr };
  }
  return unrecognised('unrecognised IPAM key');
}

/** `ipvN` + `<cidr-key>` -> the CIDR, or why not. */
function parseCidrSegment(family: string, cidrKey: string): Cidr | string {
  const cidr = parseCidr(cidrKey.replace('-', '/'));
  if (!cidr) return `invalid CIDR ${cidrKey} in IPAM key`;
  if (cidrKeySegment(cidr) !== cidrKey)
    return `CIDR ${cidrKey} in IPAM key is not in canonical form`;
  if (family !== `ipv${cidr.version}`)
    return `${family} does not match CIDR ${cidrKey} in IPAM key`;
  return cidr;
}

function unrecognised(reason: string): EtcdKeyInfo {
  return { type: 'unrecognised', reason };
}

/**
 * The key of a v3 resource: names are not escaped (model/resource.go defaultDeletePath). For
 * policies `name` is the storage name (`model/policy-names.ts` storagePolicyName).
 */
export function resourceKey(kind: KindInfo, name: string, namespace?: string): string {
  if (kind.etcd.type !== 'resource') {
    throw new InternalError(`${kind.kind} is not stored as a v3 resource`);
  }
  const path = isNamespaced(kind) ? `${namespace ?? ''}/${name}` : name;
  return `${RESOURCES_PREFIX}${kind.etcd.plural}/${path}`;
}

/**
 * `<cidr-key>`: the masked CIDR as Go prints it with its one `/` replaced by `-`, colons kept
 * (model/block.go BlockKey.defaultPath).
 */
export function cidrKeySegment(cidr: Cidr): string {
  return formatCidr(cidr).replace('/', '-');
}

/** `/calico/ipam/v2/assignment/ipvN/block/<cidr-key>` (model/block.go BlockKey.defaultPath). */
export function blockKey(cidr: Cidr): string {
  return `${IPAM_PREFIX}assignment/ipv${cidr.version}/block/${cidrKeySegment(cidr)}`;
}

/**
 * `/calico/ipam/v2/<type>/<host>/ipvN/block/<cidr-key>`; an empty type means `host`
 * (model/block_affinity.go BlockAffinityKey.defaultPath).
 */
export function blockAffinityKey(
  affinityType: AffinityType | '',
  host: string,
  cidr: Cidr,
): string {
  const type = affinityType || 'host';
  return `${IPAM_PREFIX}${type}/${host}/ipv${cidr.version}/block/${cidrKeySegment(cidr)}`;
}

/** `/calico/ipam/v2/handle/<handleID>`, the ID verbatim (model/ipam_handle.go). */
export function ipamHandleKey(handleId: string): string {
  return `${IPAM_PREFIX}handle/${handleId}`;
}

/**
 * The key ranges that hold a kind's objects. The BlockAffinity `host/` prefix also holds legacy
 * exact `host/<hostname>` keys, and prefixes may hold stray keys: the decoder returns those raw.
 */
export function etcdRangesFor(kind: KindInfo): EtcdRange[] {
  const prefix = (key: string): EtcdRange => ({ key, prefix: true });
  if (kind.etcd.type === 'resource') return [prefix(`${RESOURCES_PREFIX}${kind.etcd.plural}/`)];
  switch (kind.kind) {
    case 'IPAMBlock':
      return [prefix(`${IPAM_PREFIX}assignment/`)];
    case 'BlockAffinity':
      return [prefix(`${IPAM_PREFIX}host/`), prefix(`${IPAM_PREFIX}virtual/`)];
    case 'IPAMHandle':
      return [prefix(`${IPAM_PREFIX}handle/`)];
    case 'IPAMConfiguration':
      return [{ key: IPAM_CONFIG_KEY, prefix: false }];
    default:
      return [];
  }
}
