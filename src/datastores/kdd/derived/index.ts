/**
 * The Calico objects KDD derives from Kubernetes objects (Profiles from Namespaces and
 * ServiceAccounts, WorkloadEndpoints from Pods), built exactly as libcalico-go builds them, so that
 * calico-migrate can export them from KDD (marked as derived) and write them into etcd, where
 * kube-controllers and the CNI plugin would otherwise have written them. Pure functions: parsed
 * Kubernetes objects in, canonical `projectcalico.org/v3` objects out.
 */
export {
  defaultAllowProfile,
  profileFromNamespace,
  profileFromServiceAccount,
  serviceAccountProfileName,
} from './profiles.js';
export type { PodDerivation, WorkloadEndpointOptions } from './workload-endpoint.js';
export { workloadEndpointsFromPod } from './workload-endpoint.js';
export type { PodSkipReason } from './pod-filter.js';
export { isCalicoManagedPod, isFinishedPod, podHasIpAddress, podSkipReason } from './pod-filter.js';
export { kubernetesEndpointName, vethNameForWorkload } from './endpoint-names.js';
