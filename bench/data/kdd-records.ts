/**
 * The KDD storage form of generated objects in v1 CRD mode, written as Calico writes it (not
 * through src/): Calico CRs in `crd.projectcalico.org/v1` with the v3 metadata in the
 * `projectcalico.org/metadata` annotation (libcalico-go/lib/backend/k8s/resources/
 * customresource.go, calico-datastore-model.md §3.2), IPAM CRs per §2.3-2.4, Calico Node data as
 * annotations on Kubernetes Nodes (§4.2), and Namespaces, ServiceAccounts and Pods from which KDD
 * derives Profiles and WorkloadEndpoints.
 */
import { createHash } from 'node:crypto';
import { toJsonText } from '../lib/json-text.js';
import { Prng, seedFor } from '../lib/prng.js';
import { SEED_LABEL, SEED_LABEL_VALUE, cidrName, rfc3339 } from './naming.js';
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

/** One object to POST. */
export interface KddRecord {
  /** Collection path to POST to. */
  path: string;
  /** JSON text of the object. */
  body: string;
  /** Created before everything else (objects live in it). */
  isNamespace: boolean;
  /** Create if absent (409 is fine), never delete: cluster singletons carry no seed label. */
  singleton: boolean;
}

const CRD_GROUP = '/apis/crd.projectcalico.org/v1';
const SEEDED: StringMap = { [SEED_LABEL]: SEED_LABEL_VALUE };
/** v1 CRD plurals that differ from the v3 plural (calico-datastore-model.md §1.2). */
const V1_NAMES: Record<string, { plural: string; kind: string }> = {
  ipamconfigurations: { plural: 'ipamconfigs', kind: 'IPAMConfig' },
};
const POLICY_KINDS = new Set([
  'NetworkPolicy',
  'GlobalNetworkPolicy',
  'StagedNetworkPolicy',
  'StagedGlobalNetworkPolicy',
]);
const NO_META = '{"creationTimestamp":null}';

/** The path of a v1 CRD collection. */
export function crdCollection(plural: string, namespace?: string): string {
  return `${CRD_GROUP}/${namespace ? `namespaces/${namespace}/` : ''}${plural}`;
}

/** The KDD records of one generated object. */
export function toKddRecords(object: SeedObject): KddRecord[] {
  const [path, body, singleton = false] =
    object.type === 'resource'
      ? [
          crdCollection(V1_NAMES[object.plural]?.plural ?? object.plural, object.namespace),
          calicoCr(object),
          object.singleton,
        ]
      : object.type === 'node' ||
          object.type === 'namespace' ||
          object.type === 'service-account' ||
          object.type === 'pod'
        ? kubernetesObject(object)
        : ipamCr(object);
  return [{ path, body: toJsonText(body), isNamespace: object.type === 'namespace', singleton }];
}

/** A collection path, the object to POST there, and whether it is a cluster singleton. */
type Post = [path: string, body: unknown, singleton?: boolean];

/** Kubernetes objects: Calico Node data on a Node (§4.2), and what KDD derives objects from. */
function kubernetesObject(object: SeedNode | SeedNamespace | SeedServiceAccount | SeedPod): Post {
  const labels = { ...object.labels, ...SEEDED };
  switch (object.type) {
    case 'node':
      return [
        '/api/v1/nodes',
        {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: {
            name: object.name,
            labels,
            annotations: {
              'projectcalico.org/IPv4Address': `${object.ipv4Address}/${object.ipv4Prefix}`,
              'projectcalico.org/IPv4VXLANTunnelAddr': object.vxlanTunnelAddr,
              'projectcalico.org/VXLANTunnelMACAddr': object.vxlanTunnelMac,
              'projectcalico.org/IPv6VXLANTunnelAddr': object.vxlanV6TunnelAddr,
              'projectcalico.org/VXLANTunnelMACAddrV6': object.vxlanV6TunnelMac,
            },
          },
          spec: {},
        },
      ];
    case 'namespace':
      return [
        '/api/v1/namespaces',
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: object.name, labels } },
      ];
    case 'service-account':
      return [
        `/api/v1/namespaces/${object.namespace}/serviceaccounts`,
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: object.name, labels } },
      ];
    case 'pod':
      return [`/api/v1/namespaces/${object.namespace}/pods`, podObject(object, labels)];
  }
}

/** A scheduled pod with the Calico CNI plugin's annotations (resources/workloadendpoint.go). */
function podObject(pod: SeedPod, labels: StringMap) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      labels,
      annotations: {
        'cni.projectcalico.org/containerID': pod.containerId,
        'cni.projectcalico.org/podIP': `${pod.ipv4}/32`,
        'cni.projectcalico.org/podIPs': `${pod.ipv4}/32,${pod.ipv6}/128`,
      },
    },
    spec: {
      nodeName: pod.node,
      serviceAccountName: pod.serviceAccount,
      containers: [
        {
          name: 'app',
          image: `registry.example.com/${pod.labels.app}:1.4.2`,
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        },
      ],
    },
  };
}

/** IPAM CRs in v1 CRD mode (calico-datastore-model.md §2.2-2.4). */
function ipamCr(object: SeedBlock | SeedAffinity | SeedHandle | SeedIpamConfig): Post {
  const cr = (kind: string, metadata: unknown, spec: unknown) => ({
    apiVersion: 'crd.projectcalico.org/v1',
    kind,
    metadata,
    spec,
  });
  switch (object.type) {
    case 'block':
      return [
        crdCollection('ipamblocks'),
        cr('IPAMBlock', ipamMetadata(cidrName(object.cidr)), {
          cidr: object.cidr,
          affinity: `host:${object.host}`,
          affinityClaimTime: object.claimTime,
          allocations: object.allocations,
          unallocated: object.unallocated,
          attributes: object.attributes,
          sequenceNumber: object.sequenceNumber,
          sequenceNumberForAllocation: Object.fromEntries(object.sequenceNumberForAllocation),
          deleted: false,
          strictAffinity: false,
        }),
      ];
    case 'affinity':
      return [crdCollection('blockaffinities'), blockAffinityCr(object)];
    case 'handle':
      return [
        crdCollection('ipamhandles'),
        cr('IPAMHandle', ipamMetadata(object.id.toLowerCase()), {
          handleID: object.id,
          block: object.blocks,
          deleted: false,
        }),
      ];
    case 'ipam-config':
      return [
        crdCollection('ipamconfigs'),
        cr(
          'IPAMConfig',
          { name: 'default', annotations: { 'projectcalico.org/metadata': NO_META } },
          { strictAffinity: object.strictAffinity, autoAllocateBlocks: object.autoAllocateBlocks },
        ),
        true,
      ];
  }
}

/** A host affinity with the three labels host lookups use (§2.3). */
function blockAffinityCr(affinity: SeedAffinity) {
  const labels = {
    'projectcalico.org/affinity-type': 'host',
    'projectcalico.org/hostname-hash': hostnameHash(affinity.host),
    'projectcalico.org/ip-version': String(affinity.family),
  };
  return {
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'BlockAffinity',
    metadata: {
      name: `${affinity.host}-${cidrName(affinity.cidr)}`,
      labels: { ...labels, ...SEEDED },
      annotations: {
        'projectcalico.org/metadata': JSON.stringify({ creationTimestamp: null, labels }),
      },
    },
    // v1 BlockAffinity.spec.deleted is a string (calico-datastore-model.md §2.2).
    spec: {
      state: 'confirmed',
      node: affinity.host,
      type: 'host',
      cidr: affinity.cidr,
      deleted: 'false',
    },
  };
}

function ipamMetadata(name: string) {
  return { name, labels: SEEDED, annotations: { 'projectcalico.org/metadata': NO_META } };
}

/**
 * A v3 object as a v1 CR: only Calico labels on the CR itself, the full metadata (name only for
 * policies) in `projectcalico.org/metadata` (resources/customresource.go).
 */
function calicoCr(object: SeedResource) {
  const random = new Prng(seedFor(`${object.plural}/${object.namespace ?? ''}/${object.name}`, 0));
  const labels = object.labels ?? {};
  const meta = {
    ...(POLICY_KINDS.has(object.kind) ? { name: object.name } : {}),
    creationTimestamp: rfc3339(random.int(86_400 * 90)),
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(object.annotations ? { annotations: object.annotations } : {}),
  };
  const calicoLabels = Object.fromEntries(
    Object.entries(labels).filter(([key]) => key.includes('projectcalico.org/')),
  );
  return {
    apiVersion: 'crd.projectcalico.org/v1',
    kind: V1_NAMES[object.plural]?.kind ?? object.kind,
    metadata: {
      name: object.name,
      ...(object.namespace ? { namespace: object.namespace } : {}),
      labels: object.singleton ? calicoLabels : { ...calicoLabels, ...SEEDED },
      annotations: { 'projectcalico.org/metadata': JSON.stringify(meta) },
    },
    spec: object.spec,
  };
}

/**
 * Label `projectcalico.org/hostname-hash`: base32 (standard alphabet, no padding) of the SHA3-256
 * of the host name (libcalico-go/lib/backend/k8s/resources/ipam_affinity*.go, §2.3).
 */
export function hostnameHash(host: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let text = '';
  for (const byte of createHash('sha3-256').update(host).digest()) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      text += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? text + alphabet[(value << (5 - bits)) & 31] : text;
}
