/**
 * The etcd storage form of generated objects, written as Calico writes it (not through src/):
 * v3 objects as `json.Marshal` of the whole object without resourceVersion under
 * `/calico/resources/v3/projectcalico.org/<plural>/[<namespace>/]<name>` (libcalico-go/lib/backend/
 * etcdv3/etcdv3.go, model/resource.go), IPAM model JSON under `/calico/ipam/v2/`
 * (libcalico-go/lib/backend/model/{block,block_affinity,ipam_handle,ipam_config}.go), as in
 * calico-datastore-model.md §2.1-2.2 and §3.1.
 */
import { toJsonText } from '../lib/json-text.js';
import { Prng, seedFor } from '../lib/prng.js';
import { cidrKey, rfc3339, wepSegment } from './naming.js';
import type {
  SeedAffinity,
  SeedBlock,
  SeedHandle,
  SeedIpamConfig,
  SeedNamespace,
  SeedNode,
  SeedObject,
  SeedPod,
  SeedResource,
  SeedServiceAccount,
  StringMap,
} from './seed-objects.js';

/** One key to write. */
export interface EtcdRecord {
  key: string;
  value: string;
  /** Create only if absent, never delete (cluster singletons). */
  singleton: boolean;
}

const V3_PREFIX = '/calico/resources/v3/projectcalico.org';
const IPAM_PREFIX = '/calico/ipam/v2';
/** Kinds whose stored JSON carries `projectcalico.org/metadata: {"name":...}` since v3.30 (§3.1). */
const POLICY_KINDS = new Set([
  'NetworkPolicy',
  'GlobalNetworkPolicy',
  'StagedNetworkPolicy',
  'StagedGlobalNetworkPolicy',
]);

/** The key a v3 object is stored under. */
export function v3Key(plural: string, name: string, namespace?: string): string {
  return `${V3_PREFIX}/${plural}/${namespace ? `${namespace}/` : ''}${name}`;
}

/** The etcd records of one generated object (none for objects etcd has no form of). */
export function toEtcdRecords(object: SeedObject, weps = true): EtcdRecord[] {
  switch (object.type) {
    case 'resource':
      return [v3Record(object)];
    case 'node':
      return [v3Record(calicoNode(object))];
    case 'namespace':
    case 'service-account':
      return [v3Record(profileOf(object))];
    case 'pod':
      return weps ? [workloadEndpointRecord(object)] : [];
    default:
      return [ipamRecord(object)];
  }
}

/** The v3 Node calico-node writes in etcd mode (libcalico-go/lib/apis/internalapi/node.go). */
function calicoNode(node: SeedNode): SeedResource {
  const address = `${node.ipv4Address}/${node.ipv4Prefix}`;
  return {
    type: 'resource',
    kind: 'Node',
    plural: 'nodes',
    name: node.name,
    labels: node.labels,
    // kube-controllers records the labels it synced (kube-controllers/pkg/controllers/node/labels.go).
    annotations: { 'projectcalico.org/kube-labels': JSON.stringify(node.labels) },
    spec: {
      bgp: { ipv4Address: address },
      ipv4VXLANTunnelAddr: node.vxlanTunnelAddr,
      vxlanTunnelMACAddr: node.vxlanTunnelMac,
      ipv6VXLANTunnelAddr: node.vxlanV6TunnelAddr,
      vxlanTunnelMACAddrV6: node.vxlanV6TunnelMac,
      orchRefs: [{ nodeName: node.name, orchestrator: 'k8s' }],
      addresses: [
        { address, type: 'CalicoNodeIP' },
        { address: node.ipv4Address, type: 'InternalIP' },
      ],
    },
    status: {},
  };
}

/**
 * The Profiles kube-controllers writes in etcd mode for namespaces (`kns.<ns>`) and service
 * accounts (`ksa.<ns>.<sa>`) (kube-controllers/pkg/converter/namespace_converter.go,
 * serviceaccount_converter.go).
 */
function profileOf(object: SeedNamespace | SeedServiceAccount): SeedResource {
  const profile = { type: 'resource', kind: 'Profile', plural: 'profiles' } as const;
  if (object.type === 'service-account') {
    return {
      ...profile,
      name: `ksa.${object.namespace}.${object.name}`,
      spec: { labelsToApply: { 'pcsa.projectcalico.org/name': object.name } },
    };
  }
  return {
    ...profile,
    name: `kns.${object.name}`,
    spec: {
      ingress: [{ action: 'Allow', source: {}, destination: {} }],
      egress: [{ action: 'Allow', source: {}, destination: {} }],
      labelsToApply: prefixed('pcns.', {
        ...object.labels,
        'kubernetes.io/metadata.name': object.name,
        'projectcalico.org/name': object.name,
      }),
    },
  };
}

/** IPAM model keys and values (libcalico-go/lib/backend/model/{block,block_affinity,ipam_handle,ipam_config}.go). */
function ipamRecord(object: SeedBlock | SeedAffinity | SeedHandle | SeedIpamConfig): EtcdRecord {
  const record = (key: string, value: string, singleton = false) => ({ key, value, singleton });
  switch (object.type) {
    case 'block':
      return record(
        `${IPAM_PREFIX}/assignment/ipv${object.family}/block/${cidrKey(object.cidr)}`,
        // model.AllocationBlock field order and names (affinity is not omitempty).
        toJsonText({
          cidr: object.cidr,
          affinity: `host:${object.host}`,
          affinity_claim_time: object.claimTime,
          allocations: object.allocations,
          unallocated: object.unallocated,
          attributes: object.attributes,
          sequenceNumber: object.sequenceNumber,
          sequenceNumberForAllocation: Object.fromEntries(object.sequenceNumberForAllocation),
          deleted: false,
        }),
      );
    case 'affinity':
      return record(
        `${IPAM_PREFIX}/host/${object.host}/ipv${object.family}/block/${cidrKey(object.cidr)}`,
        '{"state":"confirmed","deleted":false}',
      );
    case 'handle':
      return record(
        `${IPAM_PREFIX}/handle/${object.id}`,
        toJsonText({ block: object.blocks, deleted: false }),
      );
    case 'ipam-config':
      // Every field is omitempty: false values are left out.
      return record(
        `${IPAM_PREFIX}/config`,
        toJsonText({
          ...(object.strictAffinity ? { strict_affinity: true } : {}),
          ...(object.autoAllocateBlocks ? { auto_allocate_blocks: true } : {}),
        }),
        true,
      );
  }
}

/** Metadata clientv3 stores: name, namespace, uid, creationTimestamp, labels, annotations. */
function storedMetadata(key: string, object: SeedResource, annotations?: StringMap) {
  const random = new Prng(seedFor(key, 0));
  const uid = [8, 4, 4, 4, 12].map((length) => random.hex(length));
  uid[2] = `4${uid[2]!.slice(1)}`; // version 4
  uid[3] = `${(8 + random.int(4)).toString(16)}${uid[3]!.slice(1)}`; // RFC 4122 variant
  return {
    name: object.name,
    ...(object.namespace ? { namespace: object.namespace } : {}),
    uid: uid.join('-'),
    creationTimestamp: rfc3339(random.int(86_400 * 90)),
    ...(object.labels && Object.keys(object.labels).length > 0 ? { labels: object.labels } : {}),
    ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

function v3Record(object: SeedResource): EtcdRecord {
  const key = v3Key(object.plural, object.name, object.namespace);
  const annotations = POLICY_KINDS.has(object.kind)
    ? { ...object.annotations, 'projectcalico.org/metadata': JSON.stringify({ name: object.name }) }
    : object.annotations;
  const value = {
    kind: object.kind,
    apiVersion: 'projectcalico.org/v3',
    metadata: storedMetadata(key, object, annotations),
    spec: object.spec,
    ...(object.status ? { status: object.status } : {}),
  };
  return { key, value: toJsonText(value), singleton: object.singleton ?? false };
}

/** The endpoint the etcd-mode CNI plugin writes for a pod (cni-plugin/pkg/k8s/k8s.go). */
function workloadEndpointRecord(pod: SeedPod): EtcdRecord {
  const name = `${wepSegment(pod.node)}-k8s-${wepSegment(pod.name)}-eth0`;
  return v3Record({
    type: 'resource',
    kind: 'WorkloadEndpoint',
    plural: 'workloadendpoints',
    name,
    namespace: pod.namespace,
    labels: {
      ...pod.labels,
      'projectcalico.org/namespace': pod.namespace,
      'projectcalico.org/orchestrator': 'k8s',
      'projectcalico.org/serviceaccount': pod.serviceAccount,
    },
    spec: {
      orchestrator: 'k8s',
      node: pod.node,
      containerID: pod.containerId,
      pod: pod.name,
      endpoint: 'eth0',
      serviceAccountName: pod.serviceAccount,
      ipNetworks: [`${pod.ipv4}/32`, `${pod.ipv6}/128`],
      profiles: [`kns.${pod.namespace}`, `ksa.${pod.namespace}.${pod.serviceAccount}`],
      interfaceName: `cali${pod.containerId.slice(0, 11)}`,
      ports: [{ name: 'http', protocol: 'TCP', port: 8080, hostPort: 0, hostIP: '' }],
    },
  });
}

function prefixed(prefix: string, labels: StringMap): StringMap {
  return Object.fromEntries(
    Object.entries(labels).map(([key, value]) => [`${prefix}${key}`, value]),
  );
}
