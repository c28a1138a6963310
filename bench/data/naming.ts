/** Names and fixed facts shared by the generator's modules. */
import { parseIpv4, parseIpv6 } from './addresses.js';

/** Label on every Kubernetes object and Calico CR the KDD seeder creates, for bulk deletion. */
export const SEED_LABEL = 'calico-migrate-bench';
export const SEED_LABEL_VALUE = 'seeded';

/**
 * The generated IPv4 pool (100.64.0.0/10, room for 65,536 /26 blocks; chosen to stay clear of the
 * 10.x pools test fixtures use) and IPv6 pool (/48).
 */
export const IPV4_POOL = { cidr: '100.64.0.0/10', base: parseIpv4('100.64.0.0'), prefix: 10 };
export const IPV6_POOL = { cidr: 'fd5e:7a1b:c0de::/48', base: parseIpv6('fd5e:7a1b:c0de::') };
/** Node addresses: 172.16.0.0/12. */
export const NODE_NETWORK = { base: parseIpv4('172.16.0.10'), prefix: 12 };

/** Base time of every generated timestamp. */
const EPOCH_MS = Date.UTC(2026, 0, 5, 9, 30, 0);

/** RFC 3339 time (seconds precision, as Kubernetes metadata prints it) `seconds` after the epoch. */
export function rfc3339(seconds: number): string {
  return new Date(EPOCH_MS + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Go `time.Time.String()` text, as Calico writes block attribute timestamps. */
export function goTimeString(seconds: number, nanos: number): string {
  const iso = new Date(EPOCH_MS + seconds * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(nanos).padStart(9, '0')} +0000 UTC`;
}

/** `bench-node-00042`. */
export const nodeName = (index: number) => `bench-node-${String(index).padStart(5, '0')}`;
/** `bench-ns-0007`. */
export const namespaceName = (index: number) => `bench-ns-${String(index).padStart(4, '0')}`;

/** Service accounts of every namespace; pods use them round-robin. */
export function serviceAccountNames(count: number): string[] {
  return ['default', ...Array.from({ length: count - 1 }, (_, i) => `app-sa-${i + 1}`)];
}

/** Characters of Kubernetes generated name suffixes (k8s.io/apimachinery rand.String). */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * A CIDR as an etcd IPAM key segment: the one `/` becomes `-` (calico-datastore-model.md §2.1,
 * libcalico-go/lib/backend/model/block.go).
 */
export const cidrKey = (cidr: string) => cidr.replace('/', '-');

/**
 * A CIDR as a Kubernetes object name (libcalico-go/lib/names/cidr.go CIDRToName): `.`, `:` and
 * `/` become `-`.
 */
export const cidrName = (cidr: string) => cidr.replace(/[.:/]/g, '-');

/**
 * A WorkloadEndpoint name segment: dashes doubled (libcalico-go/lib/names/workloadendpoint.go).
 */
export const wepSegment = (text: string) => text.replace(/-/g, '--');
