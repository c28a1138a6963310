/**
 * Where node names hide inside other names: tunnel-address handle IDs, per-node configuration
 * names and WorkloadEndpoint names. Each helper takes a lookup (source node name -> target node
 * name) and gives the rewritten name, or `undefined` when the name holds no mapped node.
 */

/** Maps a node name to its new name, or `undefined` when the node is not renamed. */
export type NodeLookup = (node: string) => string | undefined;

/**
 * Handle ID prefixes of the per-node tunnel addresses, as calico-node's tunnel-address allocator
 * builds them: `<prefix><node>` (node/pkg/allocateip/allocateip.go). calicoctl's migration knows
 * only the first, second and fourth (calicoctl/calicoctl/commands/datastore/migrate/migrateipam.go
 * ipamHandlePrefixes), so it leaves the IPv6 tunnel handles under the old node name.
 */
export const TUNNEL_HANDLE_PREFIXES: readonly string[] = [
  'ipip-tunnel-addr-',
  'vxlan-tunnel-addr-',
  'vxlan-v6-tunnel-addr-',
  'wireguard-tunnel-addr-',
  'wireguard-v6-tunnel-addr-',
];

/** The node a tunnel handle ID belongs to, or `undefined` if it is not a tunnel handle. */
export function findTunnelHandleNode(handleId: string): string | undefined {
  // No prefix is a prefix of another one ("vxlan-tunnel-addr-" vs "vxlan-v6-tunnel-addr-"), so at
  // most one matches.
  const prefix = TUNNEL_HANDLE_PREFIXES.find((candidate) => handleId.startsWith(candidate));
  return prefix === undefined ? undefined : handleId.slice(prefix.length);
}

/** `vxlan-tunnel-addr-<old>` -> `vxlan-tunnel-addr-<new>`; `undefined` if nothing to rename. */
export function renameTunnelHandle(handleId: string, lookup: NodeLookup): string | undefined {
  const node = findTunnelHandleNode(handleId);
  if (node === undefined) return undefined;
  const renamed = lookup(node);
  if (renamed === undefined || renamed === node) return undefined;
  return handleId.slice(0, handleId.length - node.length) + renamed;
}

/** Name prefix of per-node FelixConfiguration and BGPConfiguration objects. */
export const PER_NODE_CONFIG_PREFIX = 'node.';

/** The node of a per-node configuration name (`node.<node>`), or `undefined`. */
export function findPerNodeConfigNode(name: string): string | undefined {
  return name.startsWith(PER_NODE_CONFIG_PREFIX) && name.length > PER_NODE_CONFIG_PREFIX.length
    ? name.slice(PER_NODE_CONFIG_PREFIX.length)
    : undefined;
}

/**
 * The first segment of a WorkloadEndpoint name, unescaped: the node. Calico builds the name as
 * `<node>-<orchestrator>-<workload>-<endpoint>` with `-` doubled inside each segment, and splits it
 * at the first single dash after the first character (libcalico-go/lib/names/workloadendpoint.go
 * escapeDashes, extractParts).
 */
export function splitEndpointNode(name: string): { node: string; rest: string } | undefined {
  for (let i = 1; i < name.length; i++) {
    if (name[i] !== '-') continue;
    if (name[i + 1] === '-') {
      i++;
      continue;
    }
    return { node: name.slice(0, i).replaceAll('--', '-'), rest: name.slice(i) };
  }
  return undefined;
}

/**
 * The WorkloadEndpoint name with its node segment renamed, when that segment is `node`; else
 * `undefined`. The other segments are kept byte for byte.
 */
export function renameEndpointName(
  name: string,
  node: string,
  renamed: string,
): string | undefined {
  const parts = splitEndpointNode(name);
  if (!parts || parts.node !== node) return undefined;
  return renamed.replaceAll('-', '--') + parts.rest;
}

const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_SUBDOMAIN = new RegExp(`^${DNS_LABEL}(\\.${DNS_LABEL})*$`);

/**
 * Why a node name is invalid, or `undefined` if it is valid: Calico and Kubernetes both require a
 * DNS-1123 subdomain, at most 253 characters (libcalico-go/lib/validator/v3/validator.go
 * nameSubdomainFmt; Kubernetes ValidateNodeName).
 */
export function explainInvalidNodeName(name: string): string | undefined {
  if (name === '') return 'empty name';
  if (name.length > 253) return `name longer than 253 characters (${name.length})`;
  if (!DNS_SUBDOMAIN.test(name)) {
    return "not a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)";
  }
  return undefined;
}
