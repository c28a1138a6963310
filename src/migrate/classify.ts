/**
 * The hybrid split (etcd -> KDD): is an object Kubernetes-side, OpenStack-side or shared? By
 * default Kubernetes-side and shared objects move to KDD, OpenStack-side objects stay in etcd
 * (nothing is ever deleted from the source, so shared objects end up in both). What OpenStack
 * writes is described in `openstack.ts`; which hosts and blocks are whose, in `hybrid-context.ts`.
 *
 * Derived Kubernetes objects (kns./ksa. profiles, k8s endpoints, knp. policies, automatic host
 * endpoints of Kubernetes nodes) are Kubernetes-side; import then leaves them out of KDD, which
 * derives them itself (`src/model/derived.ts`).
 */
import { canonicalCidr } from '../model/cidr.js';
import { findDerivation } from '../model/derived.js';
import type { CalicoResource } from '../model/resource.js';
import type { Classification, HybridContext } from './hybrid-context.js';
import { classifyBlockFact, classifyHost, classifyNamespace } from './hybrid-context.js';
import { blockFactOf } from './hybrid-facts.js';
import { ORCHESTRATOR_K8S } from './node-map.js';
import { findPerNodeConfigNode, findTunnelHandleNode } from './node-names.js';
import {
  endpointOrchestrator,
  isOpenStackLiveMigration,
  OPENSTACK_LEGACY_PROFILE_PREFIX,
  OPENSTACK_POLICY_PREFIX,
} from './openstack.js';

export type { Classification, MigrationSide } from './hybrid-context.js';

type Classifier = (resource: CalicoResource, context: HybridContext) => Classification;

const CLASSIFIERS: Record<string, Classifier> = {
  Node: (node, context) => classifyHost(context, node.metadata.name),
  FelixConfiguration: classifyPerNodeConfig,
  BGPConfiguration: classifyPerNodeConfig,
  HostEndpoint: classifyBySpecNode,
  BGPPeer: classifyBySpecNode,
  CalicoNodeStatus: classifyBySpecNode,
  WorkloadEndpoint: classifyEndpoint,
  LiveMigration: classifyLiveMigration,
  Profile: classifyProfile,
  NetworkPolicy: classifyPolicy,
  StagedNetworkPolicy: classifyPolicy,
  StagedKubernetesNetworkPolicy: classifyPolicy,
  GlobalNetworkPolicy: classifyPolicy,
  StagedGlobalNetworkPolicy: classifyPolicy,
  NetworkSet: classifyPolicy,
  IPAMBlock: (block, context) => classifyBlockFact(context, blockFactOf(block)),
  BlockAffinity: classifyBlockAffinity,
  IPAMHandle: classifyHandle,
};

/** Classifies one canonical object of an etcd source, from the facts of the learn pass. */
export function classifyObject(resource: CalicoResource, context: HybridContext): Classification {
  const classify = CLASSIFIERS[resource.kind];
  return classify ? classify(resource, context) : shared(resource);
}

function shared(resource: CalicoResource): Classification {
  return {
    side: 'shared',
    reason: `${resource.kind} is cluster-wide, not tied to a node or to OpenStack`,
  };
}

function derivedKubernetes(derivation: string): Classification {
  return { side: 'kubernetes', reason: `derived Kubernetes object (${derivation})` };
}

/** Qualifies a host's classification with the field that names it. */
function byHost(context: HybridContext, host: string, field: string): Classification {
  const { side, reason } = classifyHost(context, host);
  return { side, reason: `${field} ${host}: ${reason}` };
}

/** `node.<name>` configuration follows its node; `default` and other names are cluster-wide. */
function classifyPerNodeConfig(config: CalicoResource, context: HybridContext): Classification {
  const node = findPerNodeConfigNode(config.metadata.name);
  return node === undefined ? shared(config) : byHost(context, node, 'per-node configuration of');
}

/** HostEndpoint, BGPPeer, CalicoNodeStatus: follow `spec.node`; a peer without one is global. */
function classifyBySpecNode(resource: CalicoResource, context: HybridContext): Classification {
  const node = resource.spec?.node;
  if (typeof node !== 'string' || node === '') return shared(resource);
  const classification = byHost(context, node, 'spec.node');
  const derivation = findDerivation(resource);
  if (derivation && classification.side === 'kubernetes') return derivedKubernetes(derivation);
  return classification;
}

/** Endpoints by orchestrator (endpoints.py writes `openstack`, the CNI plugin `k8s`), else by node. */
function classifyEndpoint(endpoint: CalicoResource, context: HybridContext): Classification {
  const orchestrator = endpointOrchestrator(endpoint);
  if (orchestrator === 'openstack') return { side: 'openstack', reason: 'OpenStack VM port' };
  if (orchestrator === ORCHESTRATOR_K8S)
    return derivedKubernetes(findDerivation(endpoint) ?? 'pod');
  const node = endpoint.spec?.node;
  return typeof node === 'string' && node !== ''
    ? byHost(context, node, `${orchestrator ?? 'unknown'} endpoint on node`)
    : shared(endpoint);
}

/** networking-calico's live migrations stay; the others are KubeVirt's, derived in KDD. */
function classifyLiveMigration(migration: CalicoResource, context: HybridContext): Classification {
  if (isOpenStackLiveMigration(migration)) {
    return { side: 'openstack', reason: 'live migration of an OpenStack VM port' };
  }
  const namespace = migration.metadata.namespace;
  const byNamespace = namespace ? classifyNamespace(context, namespace) : undefined;
  if (byNamespace?.side === 'openstack') return byNamespace;
  return derivedKubernetes(findDerivation(migration) ?? 'KubeVirt live migration');
}

/** kns./ksa. are derived; `openstack-sg-*` are networking-calico's pre-2018 security groups. */
function classifyProfile(profile: CalicoResource): Classification {
  const derivation = findDerivation(profile);
  if (derivation) return derivedKubernetes(derivation);
  if (profile.metadata.name.startsWith(OPENSTACK_LEGACY_PROFILE_PREFIX)) {
    return { side: 'openstack', reason: 'OpenStack security group (profile written before 2018)' };
  }
  return { side: 'shared', reason: 'user-created profile' };
}

/**
 * Policies and network sets: `ossg.` security-group policies are OpenStack's, derived ones
 * Kubernetes', namespaced ones in an OpenStack-only namespace OpenStack's (they can only select
 * endpoints in their namespace); the rest is shared.
 */
function classifyPolicy(policy: CalicoResource, context: HybridContext): Classification {
  if (policy.kind !== 'NetworkSet' && policy.metadata.name.startsWith(OPENSTACK_POLICY_PREFIX)) {
    return { side: 'openstack', reason: 'OpenStack security group policy (ossg.)' };
  }
  const derivation = findDerivation(policy);
  if (derivation) return derivedKubernetes(derivation);
  const namespace = policy.metadata.namespace;
  const byNamespace = namespace ? classifyNamespace(context, namespace) : undefined;
  return byNamespace ?? shared(policy);
}

/** Host affinities follow the host; virtual ones are Service LoadBalancer addresses. */
function classifyBlockAffinity(affinity: CalicoResource, context: HybridContext): Classification {
  const spec = affinity.spec ?? {};
  const node = typeof spec.node === 'string' ? spec.node : '';
  if (spec.type === 'virtual') {
    return {
      side: 'kubernetes',
      reason: `virtual affinity ${node}: Kubernetes Service LoadBalancer addresses`,
    };
  }
  return byHost(context, node, 'affinity host');
}

/**
 * A handle follows the blocks it counts addresses in (`spec.block`); handles in blocks of both
 * sides are shared. A handle that names no known block follows its node if it is a tunnel handle.
 */
function classifyHandle(handle: CalicoResource, context: HybridContext): Classification {
  const spec = handle.spec ?? {};
  const blocks =
    spec.block !== null && typeof spec.block === 'object' ? Object.keys(spec.block) : [];
  const sides = new Set<string>();
  for (const cidr of blocks) {
    const side = context.blockSides.get(canonicalCidr(cidr) ?? cidr)?.side;
    if (side) sides.add(side);
  }
  if (sides.size === 1) {
    const [side] = [...sides] as Classification['side'][];
    return { side: side!, reason: `its addresses are in ${side} blocks` };
  }
  if (sides.size > 1)
    return { side: 'shared', reason: 'its addresses are in blocks of both sides' };
  const node = typeof spec.handleID === 'string' ? findTunnelHandleNode(spec.handleID) : undefined;
  if (node !== undefined) return byHost(context, node, 'tunnel address of');
  return { side: 'shared', reason: 'its addresses are in no block of the source' };
}
