/**
 * The learned facts turned into answers: which side each host, namespace and block belongs to.
 * Built once after the learn pass; `classify.ts` then asks it about every object.
 *
 * A host is Kubernetes-side when it is a Calico node with a `k8s` orchestrator reference or a
 * `--node-map` entry (the node map names exactly the nodes that exist in KDD). Every other host is
 * OpenStack-side: a Calico node without a `k8s` orchRef (kube-controllers treats such nodes as
 * "not Kubernetes" and never garbage-collects their IPAM: kube-controllers/pkg/controllers/node/
 * ipam.go handleNodeUpdate, controller.go getK8sNodeName), a host that only OpenStack endpoints
 * name, or a host with no Calico Node at all (IPAM left behind by a deleted node). The last kind
 * stays in etcd too: KDD can hold node-bound data only for a Kubernetes Node, and copying another
 * host's blocks would let Calico in KDD reclaim and reuse addresses that host may still use.
 */
import type { NodeMapEntry } from './node-map-file.js';
import type { NodeMap } from './node-map.js';
import { buildEtcdToKddNodeMap } from './node-map.js';
import type { BlockFact, HybridFacts } from './hybrid-facts.js';
import { isOpenStackNamespaceName } from './openstack.js';

/** Which datastore an object belongs to after the split. */
export type MigrationSide = 'kubernetes' | 'openstack' | 'shared';

/** A side and why (one line, for the plan and the report). */
export interface Classification {
  side: MigrationSide;
  reason: string;
}

/** The learned facts plus the node map, ready to classify objects. */
export interface HybridContext {
  readonly facts: HybridFacts;
  /** The etcd -> KDD node map. */
  readonly nodeMap: NodeMap;
  /** Side of each block, by canonical CIDR. */
  readonly blockSides: ReadonlyMap<string, Classification>;
  /** Warnings from the node map and from contradictory facts. */
  readonly warnings: readonly string[];
}

/** Builds the context; throws `ConfigError` when the node map is invalid (`buildEtcdToKddNodeMap`). */
export function buildHybridContext(
  facts: HybridFacts,
  fileEntries: readonly NodeMapEntry[] = [],
  fileName?: string,
): HybridContext {
  const nodeMap = buildEtcdToKddNodeMap(facts.nodes.values(), fileEntries, fileName);
  const warnings = [...nodeMap.warnings];
  for (const host of [...facts.openstackEndpointHosts].sort()) {
    if (nodeMap.names.has(host)) {
      warnings.push(
        `Kubernetes node ${host} also runs OpenStack workload endpoints; its node-bound data moves to KDD, the endpoints stay in etcd`,
      );
    }
  }
  const partial = { facts, nodeMap };
  const blockSides = new Map<string, Classification>();
  for (const block of facts.blocks) blockSides.set(block.cidr, classifyBlockFact(partial, block));
  return { facts, nodeMap, blockSides, warnings };
}

type HostContext = Pick<HybridContext, 'facts' | 'nodeMap'>;

/** The side of a host (a node name as IPAM and endpoints use it). */
export function classifyHost(context: HostContext, host: string): Classification {
  const target = context.nodeMap.names.get(host);
  const source = context.nodeMap.sources.get(host);
  if (target !== undefined) {
    const how =
      source?.type === 'file' ? `--node-map line ${source.line}` : 'its k8s orchestrator reference';
    return {
      side: 'kubernetes',
      reason: `Kubernetes node ${target} (${how})`,
    };
  }
  if (context.facts.nodes.has(host)) {
    return {
      side: 'openstack',
      reason: 'Calico node without a k8s orchestrator reference (not a Kubernetes node)',
    };
  }
  if (context.facts.openstackEndpointHosts.has(host)) {
    return {
      side: 'openstack',
      reason: 'host of OpenStack workload endpoints, without a Calico node',
    };
  }
  return {
    side: 'openstack',
    reason:
      'no Calico node of this name (a deleted node, or a host without a Node object); not a Kubernetes node, so its data stays in etcd',
  };
}

/**
 * Whether a namespace holds only OpenStack objects: one networking-calico writes to (or that holds
 * OpenStack endpoints) and that is not also a Kubernetes namespace (openstack-helm, for one,
 * deploys the OpenStack control plane into a Kubernetes namespace named `openstack`).
 */
export function classifyNamespace(
  context: HostContext,
  namespace: string,
): Classification | undefined {
  const { openstackNamespaces, kubernetesNamespaces } = context.facts;
  if (!isOpenStackNamespaceName(namespace) && !openstackNamespaces.has(namespace)) return undefined;
  if (kubernetesNamespaces.has(namespace)) {
    return {
      side: 'shared',
      reason: `namespace ${namespace} holds both OpenStack and Kubernetes workloads`,
    };
  }
  return { side: 'openstack', reason: `namespace ${namespace} is OpenStack's (networking-calico)` };
}

/**
 * The side of a block: that of its affinity host; Kubernetes for a `virtual` affinity (Service
 * LoadBalancer addresses, claimed by kube-controllers for `virtual:load-balancer`,
 * libcalico-go/lib/ipam/ipam.go); for a block without affinity, that of the nodes its allocations
 * belong to, shared when they are mixed or absent.
 */
export function classifyBlockFact(context: HostContext, block: BlockFact): Classification {
  if (block.affinity?.type === 'host') {
    const host = classifyHost(context, block.affinity.name);
    return { side: host.side, reason: `affine to host ${block.affinity.name}: ${host.reason}` };
  }
  if (block.affinity?.type === 'virtual') {
    return {
      side: 'kubernetes',
      reason: `virtual affinity ${block.affinity.name}: Kubernetes Service LoadBalancer addresses`,
    };
  }
  const sides = new Set(
    (block.allocationNodes ?? []).map((node) => classifyHost(context, node).side),
  );
  if (sides.size === 1) {
    const [side] = sides as Set<MigrationSide>;
    return { side: side!, reason: `no affinity; all allocations belong to ${side} hosts` };
  }
  return {
    side: 'shared',
    reason:
      sides.size === 0
        ? 'no affinity and no allocation with a node'
        : 'no affinity; allocations belong to Kubernetes and OpenStack hosts',
  };
}
