/**
 * Calico Node <-> Kubernetes Node (calico-datastore-model.md §4.2). In KDD a Calico Node has no
 * object of its own: its data lives in `projectcalico.org/*` annotations of the core/v1 Node, and
 * part of it is derived from the Node. Source: libcalico-go/lib/backend/k8s/resources/node.go
 * (K8sNodeToCalico, mergeCalicoNodeIntoK8sNode) and resources.go (Set*Metadata* helpers).
 */
import type { JsonObject, JsonValue } from '../../model/json.js';
import { isJsonObject, parseJson } from '../../model/json.js';
import type { CalicoResource, ObjectMeta } from '../../model/resource.js';
import { CALICO_API_VERSION } from '../../model/resource.js';
import type { KddReadOptions, KddReadResult } from './codec-types.js';
import { rawKddEntry } from './codec-types.js';
import { nodePath } from './crd-paths.js';
import { marshalGoStringMap } from './go-json.js';
import {
  NODE_STRING_FIELDS,
  NodeAnnotation as A,
  parseAsNumber,
  parseIp,
} from './node-annotations.js';
import { decodeStringMap } from './object-meta.js';

/** Options of a Node read. */
export interface NodeReadOptions extends KddReadOptions {
  /**
   * Calico runs with host-local IPAM (`usePodCIDR`, CALICO_IPAM env / FELIX config): the IPIP and
   * WireGuard v4 tunnel addresses are derived from `spec.podCIDR` instead of read from annotations.
   */
  usePodCIDR?: boolean;
}

/** Fields that host-local IPAM derives from the pod CIDR instead (node.go K8sNodeToCalico). */
const POD_CIDR_DERIVED: readonly string[] = [
  A.IPv4IPIPTunnelAddr,
  A.IPv4WireguardInterfaceAddr,
  A.IPv6WireguardInterfaceAddr,
];

/**
 * Builds the canonical Calico Node from a Kubernetes Node (node.go K8sNodeToCalico). Invalid
 * annotation values are ignored as Calico ignores them; the result is raw only when Calico itself
 * fails (no name, or an unparsable `spec.podCIDR` with `usePodCIDR`).
 */
export function readKubernetesNode(node: JsonValue, options: NodeReadOptions = {}): KddReadResult {
  const meta = isJsonObject(node) && isJsonObject(node.metadata) ? node.metadata : undefined;
  const name = typeof meta?.name === 'string' ? meta.name : '';
  const key = nodePath(name || undefined);
  const raw = (reason: string) => rawKddEntry(key, node, reason, options.bytes);
  if (!isJsonObject(node) || !meta || name === '')
    return raw('not a Kubernetes Node with metadata.name');
  const annotations = decodeStringMap(meta.annotations);
  const k8sLabels = decodeStringMap(meta.labels);
  if (!annotations.ok || !k8sLabels.ok)
    return raw('metadata labels or annotations are not string maps');
  const ann = annotations.value ?? {};
  const nodeSpec = isJsonObject(node.spec) ? node.spec : {};

  const spec: JsonObject = {};
  const status: JsonObject = {};
  const parts: Record<string, JsonObject> = { spec, status, bgp: {}, wireguard: {} };
  for (const field of NODE_STRING_FIELDS) {
    if (options.usePodCIDR && nodeSpec.podCIDR && POD_CIDR_DERIVED.includes(field.annotation))
      continue;
    const value = ann[field.annotation];
    // getAnnotation: an empty or invalid value is ignored.
    if (!value || (field.check && !field.check(value))) continue;
    const [top, second, third] = field.path;
    if (third === undefined) parts[top]![second] = value;
    else parts[second]![third] = value;
  }
  const asText = ann[A.ASNumber];
  const asNumber = asText === undefined ? undefined : parseAsNumber(asText);
  if (asNumber !== undefined) parts.bgp = { asNumber, ...parts.bgp };
  if (options.usePodCIDR && typeof nodeSpec.podCIDR === 'string' && nodeSpec.podCIDR !== '') {
    const tunnel = staticTunnelAddress(nodeSpec.podCIDR);
    if (tunnel === undefined) return raw(`spec.podCIDR is not a CIDR: ${nodeSpec.podCIDR}`);
    if (tunnel) {
      parts.bgp!.ipv4IPIPTunnelAddr = tunnel;
      if (ann[A.WireguardPublicKey]) parts.wireguard!.interfaceIPv4Address = tunnel;
    }
  }
  const resource = assembleNode(name, meta, ann, k8sLabels.value, nodeSpec, node.status, parts);
  return { type: 'resource', resource, storedName: name };
}

function assembleNode(
  name: string,
  meta: JsonObject,
  ann: Record<string, string>,
  k8sLabels: Record<string, string> | undefined,
  nodeSpec: JsonObject,
  nodeStatus: JsonValue | undefined,
  parts: Record<string, JsonObject>,
): CalicoResource {
  const { spec, status, bgp, wireguard } = parts as Record<string, JsonObject>;
  // Go field order of internalapi.NodeSpec: bgp first, then the VXLAN fields, orchRefs, wireguard.
  const ordered: JsonObject = {};
  if (Object.keys(bgp!).length > 0) ordered.bgp = orderBgp(bgp!);
  Object.assign(ordered, spec);
  ordered.orchRefs = [{ nodeName: name, orchestrator: 'k8s' }];
  if (Object.keys(wireguard!).length > 0) ordered.wireguard = wireguard!;
  const addresses = nodeAddresses(bgp!, nodeStatus);
  if (addresses.length > 0) ordered.addresses = addresses;
  const interfaces = readInterfaces(ann[A.Interfaces]);
  if (interfaces.length > 0) ordered.interfaces = interfaces;
  const podCidrs = Array.isArray(nodeSpec.podCIDRs) ? nodeSpec.podCIDRs : [];
  if (podCidrs.length > 0) status!.podCIDRs = podCidrs;
  return {
    apiVersion: CALICO_API_VERSION,
    kind: 'Node',
    metadata: nodeMetadata(name, meta, ann, k8sLabels),
    spec: ordered,
    status: status!,
  };
}

function orderBgp(bgp: JsonObject): JsonObject {
  const order = [
    'asNumber',
    'ipv4Address',
    'ipv6Address',
    'ipv4IPIPTunnelAddr',
    'routeReflectorClusterID',
  ];
  return Object.fromEntries(order.filter((k) => bgp[k] !== undefined).map((k) => [k, bgp[k]!]));
}

/**
 * Metadata (resources.go SetCalicoMetadataFromK8sAnnotations, node.go mergeCalicoAndK8sLabels):
 * resourceVersion, creationTimestamp and uid of the Kubernetes Node; labels = Calico labels from
 * `projectcalico.org/labels` overlaid by the Kubernetes labels; annotations = Calico annotations
 * from `projectcalico.org/annotations` plus `projectcalico.org/kube-labels` (JSON of the Kubernetes
 * labels). A label or annotation map that does not parse is ignored, as Calico ignores it.
 */
function nodeMetadata(
  name: string,
  meta: JsonObject,
  ann: Record<string, string>,
  k8sLabels: Record<string, string> | undefined,
): ObjectMeta {
  const out: ObjectMeta = { name };
  for (const field of ['uid', 'resourceVersion', 'creationTimestamp']) {
    if (typeof meta[field] === 'string' && meta[field] !== '') out[field] = meta[field];
  }
  const labels = { ...parseJsonMap(ann[A.Labels]), ...k8sLabels };
  if (Object.keys(labels).length > 0) out.labels = labels;
  out.annotations = {
    ...parseJsonMap(ann[A.Annotations]),
    [A.KubeLabels]: marshalGoStringMap(k8sLabels),
  };
  return out;
}

function parseJsonMap(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  try {
    const map = decodeStringMap(parseJson(text));
    return map.ok ? map.value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * node.go getStaticTunnelAddress: the IP part of the pod CIDR (as written, not masked) with its
 * last byte incremented (wrapping); `''` for an IPv6 pod CIDR, `undefined` when it does not parse.
 */
function staticTunnelAddress(podCidr: string): string | undefined {
  const slash = podCidr.indexOf('/');
  const ip = slash > 0 ? parseIp(podCidr.slice(0, slash)) : undefined;
  const prefix = podCidr.slice(slash + 1);
  if (!ip || !/^\d+$/.test(prefix) || Number(prefix) > ip.bytes.length * 8) return undefined;
  if (ip.version === 6) return '';
  const bytes = [...ip.bytes];
  bytes[3] = (bytes[3]! + 1) & 0xff;
  return bytes.join('.');
}

/** node.go fillAllAddresses: BGP addresses (CalicoNodeIP), then InternalIP / ExternalIP of the Node. */
function nodeAddresses(bgp: JsonObject, nodeStatus: JsonValue | undefined): JsonObject[] {
  const out: JsonObject[] = [];
  for (const field of ['ipv4Address', 'ipv6Address']) {
    if (typeof bgp[field] === 'string') out.push({ address: bgp[field], type: 'CalicoNodeIP' });
  }
  const k8sAddresses =
    isJsonObject(nodeStatus) && Array.isArray(nodeStatus.addresses) ? nodeStatus.addresses : [];
  for (const entry of k8sAddresses) {
    if (!isJsonObject(entry) || (entry.type !== 'InternalIP' && entry.type !== 'ExternalIP'))
      continue;
    out.push({ address: typeof entry.address === 'string' ? entry.address : '', type: entry.type });
  }
  return out;
}

/**
 * node.go fillAllInterfaces: the `projectcalico.org/Interfaces` JSON array, invalid IP addresses
 * removed; the whole annotation is ignored when it does not decode. (Calico removes entries while
 * iterating, which can keep an invalid address that follows another; this removes every invalid one.)
 */
function readInterfaces(text: string | undefined): JsonObject[] {
  if (text === undefined) return [];
  let parsed: JsonValue;
  try {
    parsed = parseJson(text);
  } catch {
    return [];
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) return [];
  const out: JsonObject[] = [];
  for (const item of parsed) {
    if (item !== null && !isJsonObject(item)) return [];
    const iface: JsonObject = {};
    const name = item?.name ?? null;
    const addresses = item?.addresses ?? null;
    if (name !== null && typeof name !== 'string') return [];
    if (
      addresses !== null &&
      !(Array.isArray(addresses) && addresses.every((a) => typeof a === 'string'))
    ) {
      return [];
    }
    if (name) iface.name = name;
    const valid = ((addresses ?? []) as string[]).filter(
      (address) => parseIp(address) !== undefined,
    );
    if (valid.length > 0) iface.addresses = valid;
    out.push(iface);
  }
  return out;
}
