/**
 * Names Calico uses when it derives Profiles and WorkloadEndpoints from Kubernetes objects.
 * Source: libcalico-go/lib/backend/k8s/conversion/constants.go,
 * api/pkg/apis/projectcalico/v3/constants.go, libcalico-go/lib/resources/static.go.
 */

export {
  DEFAULT_ALLOW_PROFILE_NAME,
  NAMESPACE_PROFILE_PREFIX,
  SERVICE_ACCOUNT_PROFILE_PREFIX,
} from '../../../model/derived.js';
/** Prefix of the Namespace labels a `kns.` profile applies to its endpoints. */
export const NAMESPACE_LABEL_PREFIX = 'pcns.';
/** Prefix of the ServiceAccount labels a `ksa.` profile applies to its endpoints. */
export const SERVICE_ACCOUNT_LABEL_PREFIX = 'pcsa.';
/** Label (after the prefix) carrying the Namespace / ServiceAccount name, for exact-name selectors. */
export const NAME_LABEL = 'projectcalico.org/name';

/** WorkloadEndpoint labels Calico adds to the pod's own labels. */
export const LABEL_NAMESPACE = 'projectcalico.org/namespace';
export const LABEL_ORCHESTRATOR = 'projectcalico.org/orchestrator';
export const LABEL_SERVICE_ACCOUNT = 'projectcalico.org/serviceaccount';
/** `spec.orchestrator` of Kubernetes workload endpoints. */
export const ORCHESTRATOR_K8S = 'k8s';
/** The only endpoint (interface) name KDD derives for a pod. */
export const DEFAULT_ENDPOINT = 'eth0';

/** Pod annotations written by the Calico CNI plugin in KDD mode (resources/workloadendpoint.go calcCNIAnnotations). */
export const ANNOTATION_POD_IP = 'cni.projectcalico.org/podIP';
export const ANNOTATION_POD_IPS = 'cni.projectcalico.org/podIPs';
export const ANNOTATION_CONTAINER_ID = 'cni.projectcalico.org/containerID';
/** Pod IPs written by the Amazon VPC CNI plugin. */
export const ANNOTATION_AWS_POD_IPS = 'vpc.amazonaws.com/pod-ips';
/** User-set pod annotations that Calico reads when it derives the endpoint. */
export const ANNOTATION_FLOATING_IPS = 'cni.projectcalico.org/floatingIPs';
export const ANNOTATION_ALLOWED_SOURCE_PREFIXES = 'cni.projectcalico.org/allowedSourcePrefixes';
/** Multus network status; KDD copies it onto the endpoint's annotations. */
export const ANNOTATION_NETWORK_STATUS = 'k8s.v1.cni.cncf.io/network-status';
