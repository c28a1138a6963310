/**
 * IP network text as Calico's Go code parses and prints it, for the pod IPs, floating IPs and
 * allowed source prefixes of a derived WorkloadEndpoint. Source: libcalico-go/lib/net/ipnet.go
 * (ParseCIDR, ParseCIDROrIP), libcalico-go/lib/net/ip.go (Network), and Go's net package
 * (ParseCIDR, ParseIP, IPNet.String, IP.String, IP.To4), whose IPv4-mapped IPv6 handling
 * (`::ffff:a.b.c.d`) is reproduced: such addresses print in dotted form.
 */
import type { Cidr } from '../../../model/cidr.js';
import { formatCidr, parseCidr } from '../../../model/cidr.js';

/** A parsed `cnet.IPNet`, with what the conversion reads from it. */
export interface GoIpNet {
  /** `IPNet.String()`: what goes into `spec.ipNetworks` / `allowSpoofedSourcePrefixes`. */
  text: string;
  /** `IPNet.IP.String()`: the address (masked), used as a floating IP's internal IP. */
  address: string;
  /** `IP.To4() != nil`: an IPv4 (or IPv4-mapped) address. */
  isIpv4: boolean;
  /** The number of one bits of the mask (`Mask.Size()`), out of 32 or 128 as Go stores it. */
  maskOnes: number;
}

/**
 * Go's `net.ParseCIDR` via `cnet.ParseCIDR`: `address/length` with the host bits cleared;
 * `undefined` where Go returns an error (zones, leading zeros in IPv4 octets, bad lengths).
 */
export function parseGoCidr(text: string): GoIpNet | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const lengthText = text.slice(slash + 1);
  // Go's dtoi: one or more decimal digits, leading zeros allowed.
  if (!/^\d+$/.test(lengthText)) return undefined;
  const cidr = parseCidr(`${address}/${Number(lengthText)}`);
  return cidr && fromCidr(cidr);
}

/**
 * `cnet.ParseCIDROrIP`: a CIDR, else a bare address as a /32 or /128 network. As in Go, the empty
 * string parses as a nil IP whose network prints `<nil>` (net.IP.UnmarshalText accepts it).
 */
export function parseGoCidrOrIp(text: string): GoIpNet | undefined {
  const cidr = parseGoCidr(text);
  if (cidr) return cidr;
  if (text === '') return { text: '<nil>', address: '<nil>', isIpv4: false, maskOnes: 128 };
  if (text.includes('/')) return undefined;
  const parsed = parseCidr(`${text}/${text.includes(':') ? 128 : 32}`);
  if (!parsed) return undefined;
  // cnet.IP.Network: an address with To4() != nil (IPv4-mapped included) becomes a 4-byte /32.
  const v4 = mappedIpv4(parsed);
  if (v4) return fromCidr({ version: 4, bytes: v4, prefixLength: 32 });
  return fromCidr(parsed);
}

function fromCidr(cidr: Cidr): GoIpNet {
  const v4 = cidr.version === 6 ? mappedIpv4(cidr) : undefined;
  if (v4) {
    // IPNet.String of a 16-byte IPv4-mapped network: dotted address, mask bits counted over the
    // last 4 bytes (net/ip.go networkNumberAndMask); only reachable with length >= 96, as a
    // shorter mask clears the ffff marker.
    const address = [...v4].join('.');
    return {
      text: `${address}/${cidr.prefixLength - 96}`,
      address,
      isIpv4: true,
      maskOnes: cidr.prefixLength,
    };
  }
  const text = formatCidr(cidr);
  return {
    text,
    address: text.slice(0, text.indexOf('/')),
    isIpv4: cidr.version === 4,
    maskOnes: cidr.prefixLength,
  };
}

/** The IPv4 bytes of an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), as Go's `To4` finds them. */
function mappedIpv4(cidr: Cidr): Uint8Array | undefined {
  if (cidr.version !== 6) return undefined;
  const b = cidr.bytes;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return undefined;
  if (b[10] !== 0xff || b[11] !== 0xff) return undefined;
  return b.slice(12, 16);
}
