/**
 * CIDR arithmetic for the pool split: containment of one CIDR in another, halving a CIDR, and a
 * numeric order. Built on the parsed form of `src/model/cidr.ts`, so results print exactly as
 * Calico prints CIDRs.
 */
import type { Cidr } from '../model/cidr.js';

/** Whether `inner` lies entirely inside `outer` (same family, no shorter prefix). */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  if (inner.version !== outer.version || inner.prefixLength < outer.prefixLength) return false;
  return prefixBitsEqual(inner.bytes, outer.bytes, outer.prefixLength);
}

function prefixBitsEqual(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  for (let i = 0; i < a.length && i * 8 < bits; i++) {
    const keep = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - keep)) & 0xff;
    if ((a[i]! & mask) !== (b[i]! & mask)) return false;
  }
  return true;
}

/** The two halves of a CIDR (`10.0.0.0/16` -> `10.0.0.0/17`, `10.0.128.0/17`); `undefined` for a single address. */
export function halveCidr(cidr: Cidr): [Cidr, Cidr] | undefined {
  const bits = cidr.bytes.length * 8;
  if (cidr.prefixLength >= bits) return undefined;
  const prefixLength = cidr.prefixLength + 1;
  const upper = new Uint8Array(cidr.bytes);
  const bit = cidr.prefixLength;
  upper[bit >> 3]! |= 0x80 >> (bit & 7);
  return [
    { version: cidr.version, bytes: new Uint8Array(cidr.bytes), prefixLength },
    { version: cidr.version, bytes: upper, prefixLength },
  ];
}

/** Orders CIDRs by family, then address, then prefix length. */
export function compareCidrs(a: Cidr, b: Cidr): number {
  if (a.version !== b.version) return a.version - b.version;
  for (let i = 0; i < a.bytes.length; i++) {
    if (a.bytes[i] !== b.bytes[i]) return a.bytes[i]! - b.bytes[i]!;
  }
  return a.prefixLength - b.prefixLength;
}
