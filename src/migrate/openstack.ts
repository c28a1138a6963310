/**
 * What Calico for OpenStack (networking-calico, the Neutron driver) writes into the etcd datastore,
 * so that a hybrid deployment can be split. Source: projectcalico/calico at 87c15906,
 * `networking-calico/networking_calico/` unless a comment says otherwise.
 *
 * networking-calico writes, in namespace `openstack` (no region configured) or
 * `openstack-region-<region>` (`[calico] openstack_region`; datamodel_v3.py get_namespace,
 * common/config.py get_region_string):
 * - a WorkloadEndpoint per VM port, `spec.orchestrator: openstack`, label
 *   `projectcalico.org/orchestrator: openstack`, named `<host>-openstack-<device_id>-<port_id>`
 *   (plugins/ml2/drivers/calico/endpoints.py endpoint_name, endpoint_spec, endpoint_labels);
 *   floating IPs are its `spec.ipNATs`, allowed address pairs its `allowedIps`;
 * - a LiveMigration per migrating port, `spec.{source,target}.workloadEndpoint.orchestratorID:
 *   openstack` (endpoints.py live_migration_spec);
 * - a NetworkPolicy `ossg.default.<security-group-id>` per security group, selecting
 *   `has(sg.projectcalico.org/openstack-<id>)` (plugins/ml2/drivers/calico/policy.py); before
 *   February 2018 security groups were Profiles `openstack-sg-<id>` (commit 7a42543808, "Model
 *   security groups as NetworkPolicy instead of Profiles"), which nothing deletes;
 * - and it adds `openstack` to ClusterInformation `clusterType` and `tap` to FelixConfiguration
 *   `default` `interfacePrefix` (resync/scope.py), both shared objects.
 *
 * It writes no Node, no IP pool and no IPAM data: VM addresses come from Neutron's own IPAM
 * (endpoint_spec takes `ipNetworks` from the port's fixed IPs), and "we don't run calico/node in
 * Calico for OpenStack" (resync/scope.py), so compute hosts have Calico Nodes (and blocks, for
 * tunnel addresses) only if an operator runs calico-node or calicoctl there; such nodes carry no
 * `k8s` orchRef (node/pkg/lifecycle/startup/startup.go sets it only from CALICO_K8S_NODE_REF).
 * Its DHCP subnets (`/calico/dhcp/v2/<region>/subnet/<id>`, subnets.py), Neutron election key
 * (`/calico/openstack/v2/<region>/neutron_election`) and Felix status keys
 * (`/calico/felix/v2/<region>/...`, datamodel_v2.py) live outside `/calico/resources/v3/` and
 * `/calico/ipam/v2/`: they are not exported, so they stay in etcd untouched.
 */
import { isJsonObject } from '../model/json.js';
import type { CalicoResource } from '../model/resource.js';

/** `spec.orchestrator` of OpenStack WorkloadEndpoints (endpoints.py endpoint_spec). */
export const ORCHESTRATOR_OPENSTACK = 'openstack';

/** Namespace of OpenStack objects without a region (datamodel_v3.py NO_REGION_NAMESPACE). */
export const OPENSTACK_NAMESPACE = 'openstack';

/**
 * Prefix of per-region namespaces: `openstack-` + `region-<region>` (datamodel_v3.py
 * REGION_NAMESPACE_PREFIX, datamodel_v2.py REGION_PREFIX; libcalico-go/lib/validator/v3/
 * validator.go checks FelixConfiguration openstackRegion against the same prefix).
 */
export const OPENSTACK_REGION_NAMESPACE_PREFIX = 'openstack-region-';

/** Name prefix of security-group policies (policy.py SG_NAME_PREFIX; libcalico-go/lib/names/policy.go OpenStackNetworkPolicyNamePrefix). */
export const OPENSTACK_POLICY_PREFIX = 'ossg.';

/** Name prefix of the security-group Profiles networking-calico wrote before 2018-02 (t_etcd.py OPENSTACK_SG_PREFIX). */
export const OPENSTACK_LEGACY_PROFILE_PREFIX = 'openstack-sg-';

const LABEL_ORCHESTRATOR = 'projectcalico.org/orchestrator';

/** Whether a namespace is one networking-calico writes to. */
export function isOpenStackNamespaceName(namespace: string | undefined): boolean {
  return (
    namespace === OPENSTACK_NAMESPACE ||
    (namespace !== undefined && namespace.startsWith(OPENSTACK_REGION_NAMESPACE_PREFIX))
  );
}

/** The orchestrator of a WorkloadEndpoint: `spec.orchestrator`, else its orchestrator label. */
export function endpointOrchestrator(endpoint: CalicoResource): string | undefined {
  const fromSpec = endpoint.spec?.orchestrator;
  if (typeof fromSpec === 'string' && fromSpec !== '') return fromSpec;
  return endpoint.metadata.labels?.[LABEL_ORCHESTRATOR];
}

/** Whether a LiveMigration describes an OpenStack port (endpoints.py live_migration_spec). */
export function isOpenStackLiveMigration(migration: CalicoResource): boolean {
  const spec = migration.spec;
  for (const side of ['source', 'target']) {
    const part = spec?.[side];
    const endpoint = isJsonObject(part) ? part.workloadEndpoint : undefined;
    if (isJsonObject(endpoint) && endpoint.orchestratorID === ORCHESTRATOR_OPENSTACK) return true;
  }
  return false;
}
