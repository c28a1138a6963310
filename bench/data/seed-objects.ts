/**
 * The generator's output: Calico data described once, independently of how either datastore
 * stores it. `etcd-records.ts` and `kdd-records.ts` turn each object into its storage form.
 */

/** A string map (labels, annotations, owner attributes). */
export type StringMap = Record<string, string>;

/** A `projectcalico.org/v3` object stored as itself (a v3 key in etcd, a Calico CR in KDD). */
export interface SeedResource {
  type: 'resource';
  kind: string;
  /** Lower-case plural of the etcd key and the v3 CRD. */
  plural: string;
  name: string;
  namespace?: string;
  labels?: StringMap;
  annotations?: StringMap;
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
  /** Exists once per cluster and may already be there: created if absent, never deleted. */
  singleton?: boolean;
}

/** A Calico Node: a v3 object in etcd, annotations on a Kubernetes Node in KDD. */
export interface SeedNode {
  type: 'node';
  name: string;
  labels: StringMap;
  ipv4Address: string;
  ipv4Prefix: number;
  vxlanTunnelAddr: string;
  vxlanTunnelMac: string;
  vxlanV6TunnelAddr: string;
  vxlanV6TunnelMac: string;
}

/** A namespace: Profile `kns.<name>` in etcd (kube-controllers), a Namespace in KDD. */
export interface SeedNamespace {
  type: 'namespace';
  name: string;
  labels: StringMap;
}

/** A service account: Profile `ksa.<ns>.<name>` in etcd, a ServiceAccount in KDD. */
export interface SeedServiceAccount {
  type: 'service-account';
  namespace: string;
  name: string;
  labels: StringMap;
}

/** A networked pod: a WorkloadEndpoint in etcd (CNI plugin), a Pod in KDD. */
export interface SeedPod {
  type: 'pod';
  name: string;
  namespace: string;
  node: string;
  serviceAccount: string;
  labels: StringMap;
  containerId: string;
  ipv4: string;
  ipv6: string;
}

/** One entry of a block's `attributes`. */
export interface SeedAttribute {
  handle_id: string;
  secondary: StringMap;
}

/** An IPAM allocation block (model fields; the storage forms rename a few). */
export interface SeedBlock {
  type: 'block';
  cidr: string;
  family: 4 | 6;
  host: string;
  claimTime: string;
  allocations: (number | null)[];
  unallocated: number[];
  attributes: SeedAttribute[];
  sequenceNumber: bigint;
  /** Ordinal (as text) to the sequence number of its allocation, in Go's sorted map-key order. */
  sequenceNumberForAllocation: [string, bigint][];
}

/** A host block affinity. */
export interface SeedAffinity {
  type: 'affinity';
  host: string;
  cidr: string;
  family: 4 | 6;
}

/** An IPAM handle. */
export interface SeedHandle {
  type: 'handle';
  id: string;
  /** Block CIDR to the number of addresses the handle holds in it. */
  blocks: Record<string, number>;
}

/** The IPAM library's configuration (created if absent, never deleted). */
export interface SeedIpamConfig {
  type: 'ipam-config';
  strictAffinity: boolean;
  autoAllocateBlocks: boolean;
}

/** Anything the generator produces. */
export type SeedObject =
  | SeedResource
  | SeedNode
  | SeedNamespace
  | SeedServiceAccount
  | SeedPod
  | SeedBlock
  | SeedAffinity
  | SeedHandle
  | SeedIpamConfig;
