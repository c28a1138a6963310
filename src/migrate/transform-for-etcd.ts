/**
 * The per-object TRANSFORM of a KDD -> etcd migration. In etcd mode nothing derives
 * WorkloadEndpoints: the CNI plugin writes one per networked pod, so the endpoints KDD showed for
 * running pods must be written for policy to keep applying after the switch. Node names stay the
 * Kubernetes names unless a `--node-map` gives a node its Calico name back.
 */
import type { CalicoResource } from '../model/resource.js';
import type { NodeMap } from './node-map.js';
import type { RenameOutcome } from './rename-nodes.js';
import { renameNodeReferences } from './rename-nodes.js';

/** What happens to one object. */
export interface EtcdTransform {
  /** `write`: write `resource` into etcd; `skip`: leave it out, for `reason`. */
  action: 'write' | 'skip';
  reason?: string;
  resource: CalicoResource;
  rename?: RenameOutcome;
}

/**
 * Why a WorkloadEndpoint read from KDD does not belong in etcd, or `undefined` when it does: it
 * must have addresses (`spec.ipNetworks` non-empty).
 *
 * This is the canonical-object form of `isCalicoManagedPod` (src/datastores/kdd/derived/
 * pod-filter.ts), which takes Pods and cannot be reused here. KDD derives endpoints without
 * `ipNetworks` exactly for pods that have no IP yet and for finished pods (phase Failed /
 * Succeeded / Completed, or deleted with the CNI IP annotation emptied)
 * (libcalico-go/lib/backend/k8s/conversion/workload_endpoint_default.go, conversion.go IsFinished),
 * and never derives one for host-networked or unscheduled pods, so "has ipNetworks" covers every
 * part of that rule but one: the endpoint does not show whether Calico CNI set the pod up
 * (`cni.projectcalico.org/podIP(s)` annotations). Pods networked by another CNI plugin (Calico for
 * policy only, e.g. with the Amazon VPC CNI) therefore pass here; for them the etcd endpoint is
 * what the Calico CNI plugin would never have written, and Felix polices an interface it did not
 * create. Felix drops endpoints without ipNetworks anyway (libcalico-go/lib/backend/syncersv1/
 * updateprocessors/workloadendpointprocessor.go), so the skipped ones carry no policy.
 */
export function explainEndpointNotForEtcd(endpoint: CalicoResource): string | undefined {
  const networks = endpoint.spec?.ipNetworks;
  if (Array.isArray(networks) && networks.length > 0) return undefined;
  return 'the pod has no IP address (not yet networked, or finished): the etcd-mode CNI plugin holds no endpoint for it';
}

/** Filters derived endpoints and renames nodes (identity without a --node-map). */
export function transformForEtcd(resource: CalicoResource, nodeMap: NodeMap): EtcdTransform {
  if (resource.kind === 'WorkloadEndpoint') {
    const reason = explainEndpointNotForEtcd(resource);
    if (reason) return { action: 'skip', reason, resource };
  }
  const rename = renameNodeReferences(resource, nodeMap);
  return {
    action: 'write',
    resource: rename.resource,
    ...(rename.changes.length > 0 ? { rename } : {}),
  };
}
