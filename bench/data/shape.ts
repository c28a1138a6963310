/**
 * The shape of a generated cluster, chosen from a target number of objects. Proportions follow
 * the "large cluster" reference dataset (/work/shared/reference/peer-tools.md §5.4): about 30 pods
 * per node, one IPAMHandle per pod plus per-node tunnel handles, one /26 IPv4 and one /122 IPv6
 * block (and block affinity) per node at that density, one per-node FelixConfiguration, and
 * policies and network sets in proportion to namespaces. Handles are the largest kind.
 */

/** Which datastore a dataset is written for; a few objects exist in one of them only. */
export type Backend = 'etcd' | 'kdd';

/** Everything the generator needs; the same shape always generates the same objects. */
export interface ClusterShape {
  backend: Backend;
  nodes: number;
  podsPerNode: number;
  namespaces: number;
  serviceAccountsPerNamespace: number;
  policiesPerNamespace: number;
  networkSetsPerNamespace: number;
  /** etcd only: `knp.default.*` NetworkPolicies kube-controllers writes from Kubernetes ones. */
  kubernetesPoliciesPerNamespace: number;
  globalPolicies: number;
  globalNetworkSets: number;
  /** etcd only: one WorkloadEndpoint per pod (written by the CNI plugin in etcd mode). */
  workloadEndpoints: boolean;
  /**
   * IPAM handles whose pods are gone (leaked handles are real backup content: projectcalico/calico
   * #8548); they top the dataset up to exactly the target number of objects.
   */
  leakedHandles: number;
}

/** Cluster-wide objects: 4 default configurations, IPAM config, 5 tiers, 2 pools, 2 BGP peers. */
const CLUSTER_WIDE_FIXED = 14;

/** Addresses per block: /26 (IPv4) and /122 (IPv6), Calico's default block sizes. */
export const BLOCK_ADDRESSES = 64;
/** /26 blocks in the generated /10 IPv4 pool (data/naming.ts). */
const MAX_BLOCKS = 2 ** 16;
/** Pods per namespace in the reference dataset (150,000 pods over about 1,000 namespaces). */
const PODS_PER_NAMESPACE = 150;

/** Blocks each node needs per address family: its pods plus one tunnel address. */
export function blocksPerNode(podsPerNode: number): number {
  return Math.ceil((podsPerNode + 1) / BLOCK_ADDRESSES);
}

/** Objects one node brings: Node, its FelixConfiguration, blocks, affinities, handles, pods. */
function objectsPerNode(backend: Backend, podsPerNode: number, weps: boolean): number {
  const ipam = 2 * blocksPerNode(podsPerNode) * 2; // v4 + v6 blocks, one affinity each
  const handles = podsPerNode + 2; // one per pod + vxlan and vxlan-v6 tunnel handles
  // etcd: a WorkloadEndpoint per pod; KDD: a Pod per pod (exported as a derived WorkloadEndpoint).
  const pods = backend === 'kdd' || weps ? podsPerNode : 0;
  return 2 + ipam + handles + pods;
}

/** Objects one namespace brings (its Profile, service-account Profiles, policies, sets). */
function objectsPerNamespace(
  shape: Pick<
    ClusterShape,
    | 'backend'
    | 'serviceAccountsPerNamespace'
    | 'policiesPerNamespace'
    | 'networkSetsPerNamespace'
    | 'kubernetesPoliciesPerNamespace'
  >,
): number {
  return (
    1 +
    shape.serviceAccountsPerNamespace +
    shape.policiesPerNamespace +
    shape.networkSetsPerNamespace +
    (shape.backend === 'etcd' ? shape.kubernetesPoliciesPerNamespace : 0)
  );
}

/** Options of `shapeForObjects`. */
export interface ShapeOptions {
  podsPerNode?: number;
  /** etcd: write WorkloadEndpoints (default true). */
  workloadEndpoints?: boolean;
}

/** The exact number of objects the generator yields for `shape` (one datastore object each). */
export function countObjects(shape: ClusterShape): number {
  return (
    CLUSTER_WIDE_FIXED +
    shape.globalPolicies +
    shape.globalNetworkSets +
    shape.namespaces * objectsPerNamespace(shape) +
    shape.nodes * objectsPerNode(shape.backend, shape.podsPerNode, shape.workloadEndpoints) +
    shape.leakedHandles
  );
}

/** A cluster shape with exactly `target` objects (or the smallest cluster, if that is more). */
export function shapeForObjects(
  backend: Backend,
  target: number,
  options: ShapeOptions = {},
): ClusterShape {
  const podsPerNode = options.podsPerNode ?? 30;
  const base = {
    backend,
    podsPerNode,
    serviceAccountsPerNamespace: 3,
    policiesPerNamespace: 3,
    networkSetsPerNamespace: 1,
    kubernetesPoliciesPerNamespace: 1,
    workloadEndpoints: options.workloadEndpoints ?? true,
  };
  const perNode =
    objectsPerNode(backend, podsPerNode, base.workloadEndpoints) +
    (objectsPerNamespace(base) * podsPerNode) / PODS_PER_NAMESPACE +
    0.15; // global policies and sets
  const nodes = Math.max(1, Math.floor((target - CLUSTER_WIDE_FIXED) / perNode));
  if (nodes * blocksPerNode(podsPerNode) > MAX_BLOCKS) {
    throw new Error(`${target} objects need more /26 blocks than the generated IPv4 pool holds`);
  }
  const shape: ClusterShape = {
    ...base,
    nodes,
    namespaces: Math.max(2, Math.ceil((nodes * podsPerNode) / PODS_PER_NAMESPACE)),
    globalPolicies: Math.max(4, Math.round(nodes / 10)),
    globalNetworkSets: Math.max(2, Math.round(nodes / 20)),
    leakedHandles: 0,
  };
  return { ...shape, leakedHandles: Math.max(0, target - countObjects(shape)) };
}
