/**
 * The WorkloadEndpoint KDD derives from a Pod, as Calico's v3 API shows it. A KDD -> etcd
 * migration writes these into etcd, where the CNI plugin would have written them; README.md in
 * this directory lists how the two differ. Source:
 * libcalico-go/lib/backend/k8s/conversion/workload_endpoint_default.go
 * (podToDefaultWorkloadEndpoint, appendEndpointPorts), libcalico-go/lib/backend/k8s/resources/
 * workloadendpoint.go (which pods are shown), libcalico-go/lib/apis/internalapi/workloadendpoint.go
 * (JSON field names, order and omitempty).
 *
 * Open-source Calico has one converter, which derives exactly one endpoint per pod: `eth0`, the
 * pod's default network. Additional (Multus) networks get no endpoint; KDD only copies the pod's
 * `k8s.v1.cni.cncf.io/network-status` annotation onto the endpoint.
 */
import type { JsonObject, JsonValue } from '../../../model/json.js';
import { isJsonObject } from '../../../model/json.js';
import type { CalicoResource, ObjectMeta } from '../../../model/resource.js';
import { CALICO_API_VERSION } from '../../../model/resource.js';
import { sortedRecord } from '../go-json.js';
import {
  ANNOTATION_ALLOWED_SOURCE_PREFIXES,
  ANNOTATION_CONTAINER_ID,
  ANNOTATION_FLOATING_IPS,
  ANNOTATION_NETWORK_STATUS,
  DEFAULT_ENDPOINT,
  LABEL_NAMESPACE,
  LABEL_ORCHESTRATOR,
  LABEL_SERVICE_ACCOUNT,
  NAMESPACE_PROFILE_PREFIX,
  ORCHESTRATOR_K8S,
} from './constants.js';
import { kubernetesEndpointName, vethNameForWorkload } from './endpoint-names.js';
import { creationTimestampOf, objectField, stringField, stringMapField } from './k8s-fields.js';
import type { PodSkipReason } from './pod-filter.js';
import { isFinishedPod, podSkipReason } from './pod-filter.js';
import { allowedSourcePrefixes, floatingIpNats, podIpNetworks } from './pod-ips.js';
import { endpointPorts } from './pod-ports.js';
import { serviceAccountProfileName } from './profiles.js';
import { qosControlsFromAnnotations } from './qos-controls.js';

/** Options of the derivation. */
export interface WorkloadEndpointOptions {
  /**
   * `FELIX_INTERFACEPREFIX` of the cluster (comma-separated; the first entry is used), default
   * `cali`. Calico reads it from the environment of the process that converts the pod.
   */
  interfacePrefix?: string;
}

/** What KDD derives from one Pod. */
export interface PodDerivation {
  /** The endpoints Calico's v3 API shows for the pod: one (`eth0`), or none when skipped or failed. */
  endpoints: CalicoResource[];
  /** Set when Calico does not show the pod at all (host-networked, or not scheduled). */
  skipped?: PodSkipReason;
  /**
   * Set when Calico's conversion fails (malformed IP, floating IP or source prefix annotation,
   * invalid name segment). Calico's List then leaves the pod out with a warning
   * (resources/list_pager.go pagedList) and its Get returns the error.
   */
  error?: string;
  /** Problems Calico only logs (invalid QoS annotations, clamped to their range or ignored). */
  warnings: string[];
}

/**
 * Derives the WorkloadEndpoint(s) KDD shows for a Pod (podToDefaultWorkloadEndpoint, behind
 * the filter of resources/workloadendpoint.go). A pod without IPs, or finished
 * (`isFinishedPod`), still gets an endpoint, without `ipNetworks`; use `isCalicoManagedPod` to
 * choose the pods whose endpoints belong in an etcd datastore.
 */
export function workloadEndpointsFromPod(
  pod: JsonValue,
  options: WorkloadEndpointOptions = {},
): PodDerivation {
  if (!isJsonObject(pod)) return { endpoints: [], error: 'not a Kubernetes Pod', warnings: [] };
  const skipped = podSkipReason(pod);
  if (skipped) return { endpoints: [], skipped, warnings: [] };
  const built = buildEndpoint(pod, options);
  if ('error' in built) return { endpoints: [], error: built.error, warnings: [] };
  return { endpoints: [built.endpoint], warnings: built.warnings };
}

type Built = { endpoint: CalicoResource; warnings: string[] } | { error: string };

/** podToDefaultWorkloadEndpoint, steps in Calico's order (the first failing step decides the error). */
function buildEndpoint(pod: JsonObject, options: WorkloadEndpointOptions): Built {
  const meta = objectField(pod.metadata);
  const spec = objectField(pod.spec);
  const podName = stringField(meta.name);
  const namespace = stringField(meta.namespace);
  const nodeName = stringField(spec.nodeName);
  const serviceAccount = stringField(spec.serviceAccountName);
  const annotations = stringMapField(meta.annotations) ?? {};

  const name = kubernetesEndpointName(nodeName, podName, DEFAULT_ENDPOINT);
  if (!name.ok) return { error: `invalid WorkloadEndpoint name: ${name.error}` };
  const ips = podIpNetworks(pod, annotations);
  if (!ips.ok) return { error: ips.error };
  // A finished pod's IPs are back in the pool: the endpoint must not claim them.
  const podNets = isFinishedPod(pod) ? [] : ips.value;
  const nats = floatingIpNats(annotations[ANNOTATION_FLOATING_IPS], podNets);
  if (!nats.ok) return { error: nats.error };
  const prefixes = allowedSourcePrefixes(annotations[ANNOTATION_ALLOWED_SOURCE_PREFIXES]);
  if (!prefixes.ok) return { error: prefixes.error };
  const qos = qosControlsFromAnnotations(annotations);

  const profiles = [NAMESPACE_PROFILE_PREFIX + namespace];
  if (serviceAccount !== '') profiles.push(serviceAccountProfileName(namespace, serviceAccount));
  const ports = endpointPorts(spec);
  // internalapi.WorkloadEndpointSpec field order; empty strings and lists are omitted (omitempty).
  const wepSpec: JsonObject = { orchestrator: ORCHESTRATOR_K8S, node: nodeName };
  if (annotations[ANNOTATION_CONTAINER_ID])
    wepSpec.containerID = annotations[ANNOTATION_CONTAINER_ID];
  if (podName !== '') wepSpec.pod = podName;
  wepSpec.endpoint = DEFAULT_ENDPOINT;
  if (serviceAccount !== '') wepSpec.serviceAccountName = serviceAccount;
  if (podNets.length > 0) wepSpec.ipNetworks = podNets.map((net) => net.text);
  if (nats.value.length > 0) wepSpec.ipNATs = nats.value;
  wepSpec.profiles = profiles;
  wepSpec.interfaceName = vethNameForWorkload(namespace, podName, options.interfacePrefix);
  if (ports.length > 0) wepSpec.ports = ports;
  if (prefixes.value.length > 0) wepSpec.allowSpoofedSourcePrefixes = prefixes.value;
  if (qos.qosControls) wepSpec.qosControls = qos.qosControls;

  return {
    endpoint: {
      apiVersion: CALICO_API_VERSION,
      kind: 'WorkloadEndpoint',
      metadata: endpointMeta(name.name, meta, namespace, serviceAccount, annotations),
      spec: wepSpec,
    },
    warnings: qos.warnings,
  };
}

/**
 * Endpoint metadata: the pod's uid (not converted) and creationTimestamp, its generateName, the
 * pod's labels plus the namespace / orchestrator / service-account labels, the network-status
 * annotation, and the pod's resourceVersion (the KVPair revision the v3 API shows).
 */
function endpointMeta(
  name: string,
  podMeta: JsonObject,
  namespace: string,
  serviceAccount: string,
  annotations: Record<string, string>,
): ObjectMeta {
  const labels: Record<string, string> = { ...stringMapField(podMeta.labels) };
  labels[LABEL_NAMESPACE] = namespace;
  labels[LABEL_ORCHESTRATOR] = ORCHESTRATOR_K8S;
  // "For backwards compatibility, include the label if less than 63 characters" (bytes, in Go).
  if (serviceAccount !== '' && Buffer.byteLength(serviceAccount, 'utf8') < 63) {
    labels[LABEL_SERVICE_ACCOUNT] = serviceAccount;
  }
  // metav1.ObjectMeta field order.
  const meta: ObjectMeta = { name };
  const generateName = stringField(podMeta.generateName);
  if (generateName !== '') meta.generateName = generateName;
  if (namespace !== '') meta.namespace = namespace;
  const uid = stringField(podMeta.uid);
  if (uid !== '') meta.uid = uid;
  const revision = stringField(podMeta.resourceVersion);
  if (revision !== '') meta.resourceVersion = revision;
  const created = creationTimestampOf(podMeta);
  if (created !== undefined) meta.creationTimestamp = created;
  meta.labels = sortedRecord(labels);
  const networkStatus = annotations[ANNOTATION_NETWORK_STATUS];
  if (networkStatus !== undefined)
    meta.annotations = { [ANNOTATION_NETWORK_STATUS]: networkStatus };
  return meta;
}
