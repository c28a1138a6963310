/**
 * Which Pods have a WorkloadEndpoint. Three different questions, answered by three predicates:
 *
 * - `podSkipReason`: does KDD show a WorkloadEndpoint for the pod at all? Calico's WEP Get, List
 *   and Watch keep only pods that are not host-networked and are scheduled
 *   (conversion.go IsValidCalicoWorkloadEndpoint, used by resources/workloadendpoint.go
 *   convertAndFilterPodFn and Get). Pods without IPs and finished pods ARE listed, with no
 *   `ipNetworks`.
 * - `isFinishedPod`: has the pod given its IPs back (conversion.go IsFinished)? KDD then derives
 *   the endpoint without `ipNetworks`.
 * - `isCalicoManagedPod`: is the pod running with a network that Calico CNI set up? Those are the
 *   pods for which the etcd-mode CNI plugin would hold a WorkloadEndpoint in etcd, so the ones a
 *   KDD -> etcd migration must write (see the function).
 */
import type { JsonObject, JsonValue } from '../../../model/json.js';
import { isJsonObject } from '../../../model/json.js';
import { ANNOTATION_AWS_POD_IPS, ANNOTATION_POD_IP, ANNOTATION_POD_IPS } from './constants.js';
import { hasDeletionTimestamp, objectField, stringField, stringMapField } from './k8s-fields.js';

/** Why KDD shows no WorkloadEndpoint for a pod. */
export type PodSkipReason = 'host-network' | 'not-scheduled';

/**
 * Why Calico's WorkloadEndpoint API leaves the pod out, or `undefined` when it shows it
 * (IsValidCalicoWorkloadEndpoint): `spec.hostNetwork: true` (the pod uses the node's network
 * namespace; there is no Calico interface to police), or an empty `spec.nodeName` (not scheduled:
 * no node, so no endpoint name and no interface yet).
 */
export function podSkipReason(pod: JsonObject): PodSkipReason | undefined {
  const spec = objectField(pod.spec);
  if (spec.hostNetwork === true) return 'host-network';
  if (stringField(spec.nodeName) === '') return 'not-scheduled';
  return undefined;
}

/**
 * conversion.go HasIPAddress: `status.podIP`, or annotation `cni.projectcalico.org/podIP`, or
 * `vpc.amazonaws.com/pod-ips` is non-empty (the plural fields cannot be set without the singular).
 */
export function podHasIpAddress(pod: JsonObject): boolean {
  const annotations = stringMapField(objectField(pod.metadata).annotations) ?? {};
  return (
    stringField(objectField(pod.status).podIP) !== '' ||
    !!annotations[ANNOTATION_POD_IP] ||
    !!annotations[ANNOTATION_AWS_POD_IPS]
  );
}

/** Pod phases in which the pod no longer owns its IPs (`Completed` is documented, not in the API). */
const FINISHED_PHASES = new Set(['Failed', 'Succeeded', 'Completed']);

/**
 * conversion.go IsFinished: phase Failed / Succeeded / Completed, or the pod is being deleted
 * (`deletionTimestamp` set) and Calico CNI (`cni.projectcalico.org/podIP`) or the AWS CNI
 * (`vpc.amazonaws.com/pod-ips`) has set its IP annotation to the empty string at teardown.
 */
export function isFinishedPod(pod: JsonObject): boolean {
  const meta = objectField(pod.metadata);
  if (hasDeletionTimestamp(meta)) {
    const annotations = stringMapField(meta.annotations) ?? {};
    if (annotations[ANNOTATION_POD_IP] === '' || annotations[ANNOTATION_AWS_POD_IPS] === '') {
      return true;
    }
  }
  return FINISHED_PHASES.has(stringField(objectField(pod.status).phase));
}

/**
 * Whether a pod is running on a network that Calico CNI set up, i.e. whether the etcd-mode CNI
 * plugin would hold a WorkloadEndpoint for it (it writes the endpoint after a successful CNI ADD and
 * deletes it at CNI DEL; cni-plugin/pkg/k8s/k8s.go CmdAddK8s, cni-plugin/pkg/plugin/plugin.go):
 *
 * - KDD lists the pod (`podSkipReason` is `undefined`: not host-networked, scheduled);
 * - it is not finished (`isFinishedPod`): a finished pod's sandbox was torn down, CNI DEL ran;
 * - it has an address (conversion.go HasIPAddress);
 * - Calico CNI wrote its IP annotation: `cni.projectcalico.org/podIP` or `.../podIPs` is non-empty
 *   (the KDD CNI plugin patches both in at ADD and empties them at DEL;
 *   resources/workloadendpoint.go calcCNIAnnotations / patchOutAnnotations). This leaves out pods
 *   networked by another CNI plugin (e.g. Amazon VPC CNI with Calico for policy only), for which no
 *   Calico CNI would write an etcd endpoint.
 *
 * It is stricter than Calico's listing filter, which also shows pods without IPs and finished
 * pods; Felix ignores those endpoints anyway (syncersv1/updateprocessors/
 * workloadendpointprocessor.go drops endpoints without ipNetworks). The pod phase is not tested:
 * a Pending pod whose sandbox already has its IP (containers still starting) is networked.
 */
export function isCalicoManagedPod(pod: JsonValue): boolean {
  if (!isJsonObject(pod)) return false;
  if (podSkipReason(pod) !== undefined || isFinishedPod(pod) || !podHasIpAddress(pod)) return false;
  const annotations = stringMapField(objectField(pod.metadata).annotations) ?? {};
  return !!annotations[ANNOTATION_POD_IP] || !!annotations[ANNOTATION_POD_IPS];
}
