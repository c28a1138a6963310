/**
 * CIDR text exactly as Calico's Go code prints it. IPAM keys and object names are built from the
 * CIDR string (`libcalico-go/lib/names/cidr.go` CIDRToName, `model/block.go`), so a CIDR printed
 * differently from Go (upper-case hex, unmasked host bits, another `::` placement) would give a
 * different key or name and the block would be invisible to Calico.
 */

/** A parsed, masked CIDR. */
export interface Cidr {
  version: 4 | 6;
  /** Network address bytes (4 or 16), host bits cleared. */
  bytes: Uint8Array;
  prefixLength: number;
}

/** Parses `a.b.c.d/n` or an IPv6 CIDR and clears the host bits; `undefined` if invalid. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const lengthText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lengthText)) return undefined;
  const prefixLength = Number(lengthText);
  const bytes = address.includes(':') ? parseIpv6(address) : parseIpv4(address);
  if (!bytes || prefixLength > bytes.length * 8) return undefined;
  maskBytes(bytes, prefixLength);
  return { version: bytes.length === 4 ? 4 : 6, bytes, prefixLength };
}

/**
 * A CIDR, or a bare address read as its host CIDR (`/32`, `/128`), as Calico's ParseCIDROrIP
 * (libcalico-go/lib/net/ipnet.go) and net.IPNet's UnmarshalJSON take it; `undefined` if invalid.
 */
export function parseCidrOrIp(text: string): Cidr | undefined {
  return parseCidr(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`);
}

/** Prints a CIDR as Go's `net.IPNet.String()` / `netip.Prefix.String()` do. */
export function formatCidr(cidr: Cidr): string {
  const address = cidr.version === 4 ? [...cidr.bytes].join('.') : formatIpv6(cidr.bytes);
  return `${address}/${cidr.prefixLength}`;
}

/** Re-prints CIDR text in Calico's canonical form (masked, RFC 5952); `undefined` if invalid. */
export function canonicalCidr(text: string): string | undefined {
  const cidr = parseCidr(text);
  return cidr && formatCidr(cidr);
}

function maskBytes(bytes: Uint8Array, prefixLength: number): void {
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefixLength - i * 8));
    bytes[i]! &= (0xff << (8 - keep)) & 0xff;
  }
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (const [i, part] of parts.entries()) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255 || (part.length > 1 && part[0] === '0')) {
      return undefined;
    }
    bytes[i] = Number(part);
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | undefined {
  let head = text;
  let tail = '';
  const gap = text.indexOf('::');
  if (gap >= 0) {
    head = text.slice(0, gap);
    tail = text.slice(gap + 2);
    if (tail.includes('::')) return undefined;
  }
  const headGroups = parseGroups(head);
  const tailGroups = parseGroups(tail);
  if (!headGroups || !tailGroups) return undefined;
  const missing = 8 - headGroups.length - tailGroups.length;
  if ((gap >= 0 && missing < 1) || (gap < 0 && missing !== 0)) return undefined;
  const groups = [
    ...headGroups,
    ...new Array<number>(gap >= 0 ? missing : 0).fill(0),
    ...tailGroups,
  ];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) return undefined;
      groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

/** RFC 5952: lower-case, no leading zeros, the longest run (>= 2) of zero groups as `::`, leftmost on ties. */
function formatIpv6(bytes: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
