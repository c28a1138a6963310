/**
 * Address arithmetic for the generated IP pools: IPv4 and IPv6 addresses from integers, written
 * the way Go's net package prints them (RFC 5952 for IPv6: lower case, the longest run of two or
 * more zero groups shortened to `::`, the leftmost on a tie), as calico-datastore-model.md §2.6
 * requires for block CIDRs.
 */

/** Dotted-quad text of a 32-bit address. */
export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join('.');
}

/** RFC 5952 text of a 128-bit address. */
export function formatIpv6(address: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((address >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = (part: number[]) => part.map((group) => group.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/** Parses dotted-quad text (for pool bases given as text). */
export function parseIpv4(text: string): number {
  return text.split('.').reduce((value, part) => ((value << 8) | Number(part)) >>> 0, 0);
}

/** Parses full (uncompressed or `::`-compressed) IPv6 text (for pool bases given as text). */
export function parseIpv6(text: string): bigint {
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}
