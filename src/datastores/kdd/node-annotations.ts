/**
 * The Calico annotations of a Kubernetes Node and the checks Calico applies to their values on
 * read: an invalid value is ignored, as if the annotation were absent.
 * Sources: libcalico-go/lib/backend/k8s/resources/node.go (annotation names, getAnnotation),
 * libcalico-go/lib/validator/v3/validator.go (ValidateCIDRv4/v6, ValidateIPv4/v6Network,
 * ValidateMAC), libcalico-go/lib/net/ipnet.go (ParseCIDROrIP), api/pkg/lib/numorstring/asnumber.go.
 */
import type { Cidr } from '../../model/cidr.js';
import { parseCidr } from '../../model/cidr.js';

/** Annotation names (node.go constants). */
export const NodeAnnotation = {
  IPv4Address: 'projectcalico.org/IPv4Address',
  IPv6Address: 'projectcalico.org/IPv6Address',
  IPv4IPIPTunnelAddr: 'projectcalico.org/IPv4IPIPTunnelAddr',
  IPv4VXLANTunnelAddr: 'projectcalico.org/IPv4VXLANTunnelAddr',
  VXLANTunnelMACAddr: 'projectcalico.org/VXLANTunnelMACAddr',
  IPv6VXLANTunnelAddr: 'projectcalico.org/IPv6VXLANTunnelAddr',
  VXLANTunnelMACAddrV6: 'projectcalico.org/VXLANTunnelMACAddrV6',
  ASNumber: 'projectcalico.org/ASNumber',
  RouteReflectorClusterID: 'projectcalico.org/RouteReflectorClusterID',
  IPv4WireguardInterfaceAddr: 'projectcalico.org/IPv4WireguardInterfaceAddr',
  IPv6WireguardInterfaceAddr: 'projectcalico.org/IPv6WireguardInterfaceAddr',
  WireguardPublicKey: 'projectcalico.org/WireguardPublicKey',
  WireguardPublicKeyV6: 'projectcalico.org/WireguardPublicKeyV6',
  Interfaces: 'projectcalico.org/Interfaces',
  /** Calico-only labels, JSON map (resources.go labelsAnnotation). */
  Labels: 'projectcalico.org/labels',
  /** Calico annotations, JSON map (resources.go annotationsAnnotation). */
  Annotations: 'projectcalico.org/annotations',
  /** The Kubernetes labels, synthesized on read so writes can strip inherited labels; never stored. */
  KubeLabels: 'projectcalico.org/kube-labels',
} as const;

/** A value check: whether Calico accepts the annotation value. */
export type NodeValueCheck = (value: string) => boolean;

interface ParsedNetwork {
  version: 4 | 6;
  /** Whether the address has no host bits beyond the prefix (a bare IP always has none). */
  masked: boolean;
}

/** Go's `net.ParseIP`, as bytes of a /32 or /128 CIDR; `undefined` when not an IP. */
export function parseIp(text: string): Cidr | undefined {
  return parseCidr(`${text}/${text.includes(':') ? 128 : 32}`);
}

/**
 * cnet.ParseCIDROrIP: a CIDR (address as written plus prefix, Go `net.ParseCIDR`, which accepts
 * leading zeros in the prefix) or a bare IP (a /32 or /128 network).
 */
function parseCidrOrIp(text: string): ParsedNetwork | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) {
    const ip = parseIp(text);
    return ip && { version: ip.version, masked: true };
  }
  const address = parseIp(text.slice(0, slash));
  const prefix = text.slice(slash + 1);
  if (!address || !/^\d+$/.test(prefix)) return undefined;
  const length = Number(prefix);
  const network =
    length <= address.bytes.length * 8 ? parseCidr(`${text.slice(0, slash)}/${length}`) : undefined;
  if (!network) return undefined;
  const masked = network.bytes.every((byte, i) => byte === address.bytes[i]);
  return { version: address.version, masked };
}

/** ValidateCIDRv4: an IPv4 CIDR or address, host bits allowed (`projectcalico.org/IPv4Address`). */
export const isCidrV4: NodeValueCheck = (value) => parseCidrOrIp(value)?.version === 4;
/** ValidateCIDRv6: an IPv6 CIDR or address, host bits allowed (`projectcalico.org/IPv6Address`). */
export const isCidrV6: NodeValueCheck = (value) => parseCidrOrIp(value)?.version === 6;

/** ValidateIPv4Network: an IPv4 address or a strictly masked IPv4 network. */
export const isIpv4Network: NodeValueCheck = (value) => {
  const parsed = parseCidrOrIp(value);
  return parsed?.version === 4 && parsed.masked;
};

/** ValidateIPv6Network: an IPv6 address or a strictly masked IPv6 network. */
export const isIpv6Network: NodeValueCheck = (value) => {
  const parsed = parseCidrOrIp(value);
  return parsed?.version === 6 && parsed.masked;
};

/**
 * ValidateMAC (Go `net.ParseMAC`): 6, 8 or 20 octets as two-hex-digit groups separated by one
 * consistent `:` or `-`, or as four-hex-digit groups separated by `.`.
 */
export const isMac: NodeValueCheck = (value) => {
  const octetCounts = [6, 8, 20];
  const dotted = /^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4})*$/;
  if (value.length < 14) return false;
  if (value[2] === ':' || value[2] === '-') {
    const sep = value[2] === ':' ? ':' : '-';
    const groups = value.split(sep);
    return octetCounts.includes(groups.length) && groups.every((g) => /^[0-9a-fA-F]{2}$/.test(g));
  }
  if (value[4] === '.' && dotted.test(value))
    return octetCounts.includes(value.split('.').length * 2);
  return false;
};

/**
 * numorstring.ASNumberFromString: a decimal uint32 (leading zeros allowed), or dotted `a.b` with
 * two uint16 halves. `undefined` when invalid.
 */
export function parseAsNumber(text: string): number | undefined {
  const decimal = /^\d+$/.test(text) ? Number(text) : NaN;
  if (decimal <= 0xffffffff) return decimal;
  if (/^\d+$/.test(text)) return undefined;
  const parts = text.split('.');
  if (parts.length !== 2 || !parts.every((p) => /^\d+$/.test(p) && Number(p) <= 0xffff))
    return undefined;
  return Number(parts[0]) * 65536 + Number(parts[1]);
}

/**
 * Annotation-backed string fields of a Calico Node: where the value goes and how Calico checks it on
 * read (node.go K8sNodeToCalico / mergeCalicoNodeIntoK8sNode; `path` is [top, field] or [top, struct, field]).
 */
export const NODE_STRING_FIELDS: {
  annotation: string;
  path: [string, string, string?];
  check?: NodeValueCheck;
}[] = [
  { annotation: NodeAnnotation.IPv4Address, path: ['spec', 'bgp', 'ipv4Address'], check: isCidrV4 },
  { annotation: NodeAnnotation.IPv6Address, path: ['spec', 'bgp', 'ipv6Address'], check: isCidrV6 },
  {
    annotation: NodeAnnotation.IPv4IPIPTunnelAddr,
    path: ['spec', 'bgp', 'ipv4IPIPTunnelAddr'],
    check: isIpv4Network,
  },
  {
    annotation: NodeAnnotation.RouteReflectorClusterID,
    path: ['spec', 'bgp', 'routeReflectorClusterID'],
    check: isIpv4Network,
  },
  {
    annotation: NodeAnnotation.IPv4VXLANTunnelAddr,
    path: ['spec', 'ipv4VXLANTunnelAddr'],
    check: isIpv4Network,
  },
  {
    annotation: NodeAnnotation.VXLANTunnelMACAddr,
    path: ['spec', 'vxlanTunnelMACAddr'],
    check: isMac,
  },
  {
    annotation: NodeAnnotation.IPv6VXLANTunnelAddr,
    path: ['spec', 'ipv6VXLANTunnelAddr'],
    check: isIpv6Network,
  },
  {
    annotation: NodeAnnotation.VXLANTunnelMACAddrV6,
    path: ['spec', 'vxlanTunnelMACAddrV6'],
    check: isMac,
  },
  {
    annotation: NodeAnnotation.IPv4WireguardInterfaceAddr,
    path: ['spec', 'wireguard', 'interfaceIPv4Address'],
    check: isIpv4Network,
  },
  {
    annotation: NodeAnnotation.IPv6WireguardInterfaceAddr,
    path: ['spec', 'wireguard', 'interfaceIPv6Address'],
    check: isIpv6Network,
  },
  { annotation: NodeAnnotation.WireguardPublicKey, path: ['status', 'wireguardPublicKey'] },
  { annotation: NodeAnnotation.WireguardPublicKeyV6, path: ['status', 'wireguardPublicKeyV6'] },
];
