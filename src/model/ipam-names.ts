/**
 * Names of the IPAM objects, as the Calico KDD backend derives them. The canonical (archive) names
 * of IPAMBlock, BlockAffinity and IPAMHandle are these, whatever the source backend, so an etcd
 * export and a KDD export of the same data name every object the same way.
 */
import { createHash } from 'node:crypto';
import type { Cidr } from './cidr.js';
import { formatCidr } from './cidr.js';

/** Label keys Calico puts on every BlockAffinity CR (libcalico-go/lib/backend/model/block_affinity.go). */
export const LABEL_HOSTNAME_HASH = 'projectcalico.org/hostname-hash';
export const LABEL_AFFINITY_TYPE = 'projectcalico.org/affinity-type';
export const LABEL_IP_VERSION = 'projectcalico.org/ip-version';

/**
 * `10.0.0.0/30` -> `10-0-0-0-30`, `fd00:10:244::/122` -> `fd00-10-244---122`: at most 3 dots,
 * 7 colons and 1 slash replaced, as `names.CIDRToName` does (libcalico-go/lib/names/cidr.go).
 */
export function cidrToName(cidr: Cidr): string {
  return replaceFirst(replaceFirst(replaceFirst(formatCidr(cidr), '.', 3), ':', 7), '/', 1);
}

function replaceFirst(text: string, char: string, count: number): string {
  let result = text;
  for (let i = 0; i < count && result.includes(char); i++) result = result.replace(char, '-');
  return result;
}

/**
 * `<host>-<cidrname>`; when that reaches 253 characters, the host is cut and an 11-hex-digit
 * SHA-256 of `<host>+<cidrname>` appended (blockAffinityClientV1.parseKey,
 * libcalico-go/lib/backend/k8s/resources/ipam_affinity_v1.go).
 */
export function blockAffinityName(host: string, cidr: Cidr): string {
  const cidrName = cidrToName(cidr);
  const name = `${host}-${cidrName}`;
  if (name.length < 253) return name;
  const hash = createHash('sha256').update(`${host}+${cidrName}`).digest('hex').slice(0, 11);
  return `${host.slice(0, 252 - cidrName.length - 13)}-${cidrName}-${hash}`;
}

/** The IPAMHandle name: the handle ID lower-cased (the ID itself is kept in `spec.handleID`). */
export function ipamHandleName(handleId: string): string {
  return handleId.toLowerCase();
}

/** base32 (standard alphabet, no padding) of SHA3-256 of the host name (hashHostnameForLabel). */
export function hashHostnameForLabel(hostname: string): string {
  return encodeBase32(createHash('sha3-256').update(hostname).digest());
}

/** The three labels Calico requires on a BlockAffinity CR; lookups by host use only these. */
export function blockAffinityLabels(spec: {
  node: string;
  type: string;
  cidr: string;
}): Record<string, string> {
  return {
    [LABEL_AFFINITY_TYPE]: spec.type,
    [LABEL_HOSTNAME_HASH]: hashHostnameForLabel(spec.node),
    [LABEL_IP_VERSION]: spec.cidr.includes(':') ? '6' : '4',
  };
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}
