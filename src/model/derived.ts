/**
 * Which objects are derived from other data, and by whom. Derived objects are exported (an etcd
 * disaster-recovery restore needs them) and marked as such in the archive manifest, so that a
 * migration to KDD, where Calico derives them itself, can leave them out.
 */
import type { CalicoResource } from './resource.js';

/** Label kube-controllers puts on the host endpoints it creates (kube-controllers/pkg/controllers/node/hostendpoints.go). */
export const AUTO_HEP_LABEL = 'projectcalico.org/created-by';
const AUTO_HEP_CREATOR = 'calico-kube-controllers';

/**
 * Names of the profiles Calico derives: `kns.<namespace>`, `ksa.<namespace>.<serviceaccount>`
 * (libcalico-go/lib/backend/k8s/conversion/constants.go), and the default-allow profile it
 * synthesizes on read in both datastores and never stores (libcalico-go/lib/resources/static.go).
 */
export const NAMESPACE_PROFILE_PREFIX = 'kns.';
export const SERVICE_ACCOUNT_PROFILE_PREFIX = 'ksa.';
export const DEFAULT_ALLOW_PROFILE_NAME = 'projectcalico-default-allow';

/** Name prefixes of derived objects, per kind. */
const DERIVED_PREFIXES: Record<string, readonly string[]> = {
  // kube-controllers writes kns./ksa. profiles from Namespaces and ServiceAccounts in etcd mode;
  // KDD synthesizes them (libcalico-go/lib/backend/k8s/conversion/conversion.go).
  Profile: [NAMESPACE_PROFILE_PREFIX, SERVICE_ACCOUNT_PROFILE_PREFIX],
  // kube-controllers' policy controller writes knp.default.<name> from networking.k8s.io
  // NetworkPolicies (kube-controllers/pkg/converter/networkpolicy_converter.go).
  NetworkPolicy: ['knp.default.'],
  // v3.30 and earlier derived these from (Baseline)AdminNetworkPolicies (libcalico-go/lib/names/policy.go at v3.30.0).
  GlobalNetworkPolicy: ['kanp.adminnetworkpolicy.', 'kbanp.baselineadminnetworkpolicy.'],
};

/** Kinds whose every object is derived. */
const ALWAYS_DERIVED = new Set(['WorkloadEndpoint', 'LiveMigration']);

/** Why an object is derived (for reports), or `undefined` if it is not. */
export function findDerivation(resource: CalicoResource): string | undefined {
  const { kind } = resource;
  const { name, labels } = resource.metadata;
  if (kind === 'WorkloadEndpoint') {
    return resource.spec?.orchestrator === 'openstack'
      ? 'written by the Neutron driver from the VM port (networking-calico plugins/ml2/drivers/calico/endpoints.py)'
      : 'written by the CNI plugin from the pod; derived from Pods in KDD';
  }
  if (ALWAYS_DERIVED.has(kind)) return `${kind} objects are derived from orchestrator data`;
  if (kind === 'HostEndpoint' && labels?.[AUTO_HEP_LABEL] === AUTO_HEP_CREATOR) {
    return 'automatic host endpoint created by kube-controllers';
  }
  const prefix = DERIVED_PREFIXES[kind]?.find((candidate) => name.startsWith(candidate));
  if (!prefix) return undefined;
  if (kind === 'Profile')
    return `${prefix}* profile derived from a Kubernetes ${prefix === NAMESPACE_PROFILE_PREFIX ? 'Namespace' : 'ServiceAccount'}`;
  return `${prefix}* policy derived from a Kubernetes policy object`;
}

/** Whether an object is derived from other data. */
export function isDerived(resource: CalicoResource): boolean {
  return findDerivation(resource) !== undefined;
}
