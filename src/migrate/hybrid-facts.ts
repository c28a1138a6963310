/**
 * The LEARN pass of a migration: one look at every object of the source archive, keeping only the
 * small facts the per-object transform needs (nodes and their Kubernetes names, where OpenStack
 * workloads run, which namespaces belong to whom, pools, and each block's CIDR and owner). The
 * caller streams the archive once through `learnFromObject`, then streams it again through the
 * transform; no object is held.
 */
import { canonicalCidr } from '../model/cidr.js';
import { NAMESPACE_PROFILE_PREFIX } from '../model/derived.js';
import { isJsonObject } from '../model/json.js';
import type { CalicoResource } from '../model/resource.js';
import type { CalicoNodeFact } from './node-map.js';
import { findK8sNodeName, ORCHESTRATOR_K8S } from './node-map.js';
import {
  endpointOrchestrator,
  isOpenStackLiveMigration,
  ORCHESTRATOR_OPENSTACK,
} from './openstack.js';

/** What a block is affine to (`spec.affinity` `host:<node>` or `virtual:<owner>`). */
export interface BlockAffinityFact {
  type: 'host' | 'virtual';
  name: string;
}

/** One IPAM block, as far as the split needs it. */
export interface BlockFact {
  name: string;
  /** Canonical CIDR text. */
  cidr: string;
  affinity?: BlockAffinityFact;
  /** Nodes its allocations belong to (`secondary.node`); kept only for blocks without affinity. */
  allocationNodes?: string[];
}

/** One IP pool, as far as the split needs it. */
export interface PoolFact {
  name: string;
  /** Canonical CIDR text (the stored text when it does not parse). */
  cidr: string;
  /** `spec.blockSize`, when set. */
  blockSize?: number;
  nodeSelector?: string;
  disabled?: boolean;
}

/** Everything the learn pass collects. */
export interface HybridFacts {
  nodes: Map<string, CalicoNodeFact>;
  /** `spec.node` of OpenStack WorkloadEndpoints. */
  openstackEndpointHosts: Set<string>;
  /** Namespaces holding OpenStack endpoints or live migrations. */
  openstackNamespaces: Set<string>;
  /** Namespaces known to be Kubernetes namespaces (a `kns.` profile or a k8s endpoint). */
  kubernetesNamespaces: Set<string>;
  pools: PoolFact[];
  blocks: BlockFact[];
}

/** An empty fact set, to be filled by `learnFromObject`. */
export function createHybridFacts(): HybridFacts {
  return {
    nodes: new Map(),
    openstackEndpointHosts: new Set(),
    openstackNamespaces: new Set(),
    kubernetesNamespaces: new Set(),
    pools: [],
    blocks: [],
  };
}

/** kube-controllers writes one `kns.<namespace>` profile per Namespace in etcd mode (conversion.go NamespaceToProfile). */

/** Records what one archived object tells about the deployment. Order of calls does not matter. */
export function learnFromObject(facts: HybridFacts, resource: CalicoResource): void {
  const { name, namespace } = resource.metadata;
  switch (resource.kind) {
    case 'Node': {
      const others: string[] = [];
      const k8sName = findK8sNodeName(resource, others);
      facts.nodes.set(name, {
        name,
        ...(k8sName !== undefined ? { k8sName } : {}),
        ...(others.length > 0 ? { conflictingK8sNames: others } : {}),
      });
      return;
    }
    case 'WorkloadEndpoint':
      learnFromEndpoint(facts, resource);
      return;
    case 'LiveMigration':
      if (namespace && isOpenStackLiveMigration(resource)) facts.openstackNamespaces.add(namespace);
      return;
    case 'Profile':
      if (name.startsWith(NAMESPACE_PROFILE_PREFIX)) {
        facts.kubernetesNamespaces.add(name.slice(NAMESPACE_PROFILE_PREFIX.length));
      }
      return;
    case 'IPPool':
      facts.pools.push(poolFactOf(resource));
      return;
    case 'IPAMBlock':
      facts.blocks.push(blockFactOf(resource));
      return;
  }
}

function learnFromEndpoint(facts: HybridFacts, endpoint: CalicoResource): void {
  const namespace = endpoint.metadata.namespace;
  const orchestrator = endpointOrchestrator(endpoint);
  if (orchestrator === ORCHESTRATOR_OPENSTACK) {
    const node = endpoint.spec?.node;
    if (typeof node === 'string' && node !== '') facts.openstackEndpointHosts.add(node);
    if (namespace) facts.openstackNamespaces.add(namespace);
  } else if (orchestrator === ORCHESTRATOR_K8S && namespace) {
    facts.kubernetesNamespaces.add(namespace);
  }
}

/** The pool facts of an IPPool. */
export function poolFactOf(pool: CalicoResource): PoolFact {
  const spec = pool.spec ?? {};
  const cidr = typeof spec.cidr === 'string' ? spec.cidr : '';
  const fact: PoolFact = { name: pool.metadata.name, cidr: canonicalCidr(cidr) ?? cidr };
  if (typeof spec.blockSize === 'number') fact.blockSize = spec.blockSize;
  if (typeof spec.nodeSelector === 'string') fact.nodeSelector = spec.nodeSelector;
  if (spec.disabled === true) fact.disabled = true;
  return fact;
}

/** The block facts of an IPAMBlock (also used to classify the block itself). */
export function blockFactOf(block: CalicoResource): BlockFact {
  const spec = block.spec ?? {};
  const cidr = typeof spec.cidr === 'string' ? spec.cidr : '';
  const fact: BlockFact = { name: block.metadata.name, cidr: canonicalCidr(cidr) ?? cidr };
  const affinity = parseBlockAffinity(spec.affinity);
  if (affinity) {
    fact.affinity = affinity;
    return fact;
  }
  const nodes = new Set<string>();
  for (const attribute of Array.isArray(spec.attributes) ? spec.attributes : []) {
    const secondary = isJsonObject(attribute) ? attribute.secondary : undefined;
    const node = isJsonObject(secondary) ? secondary.node : undefined;
    if (typeof node === 'string' && node !== '') nodes.add(node);
  }
  fact.allocationNodes = [...nodes].sort();
  return fact;
}

/** `host:<node>` / `virtual:<owner>` (libcalico-go/lib/backend/model/block.go Host, AffinityType). */
export function parseBlockAffinity(affinity: unknown): BlockAffinityFact | undefined {
  if (typeof affinity !== 'string') return undefined;
  for (const type of ['host', 'virtual'] as const) {
    if (affinity.startsWith(`${type}:`)) return { type, name: affinity.slice(type.length + 1) };
  }
  return undefined;
}
