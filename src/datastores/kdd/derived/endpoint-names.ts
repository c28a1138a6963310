/**
 * The two names Calico computes for a pod's endpoint: the WorkloadEndpoint name and the host-side
 * veth name. Both must be byte-identical to Calico's: the name is the etcd key the CNI plugin
 * deletes at teardown, and the interface name is the device Felix programs.
 * Source: libcalico-go/lib/names/workloadendpoint.go (CalculateWorkloadEndpointName,
 * escapeDashes) and libcalico-go/lib/backend/k8s/conversion/workload_endpoint_default.go
 * (VethNameForWorkload).
 */
import { createHash } from 'node:crypto';
import { ORCHESTRATOR_K8S } from './constants.js';

/** Why a WorkloadEndpoint name cannot be built (Calico's ErrorValidation), or the name. */
export type EndpointNameResult = { ok: true; name: string } | { ok: false; error: string };

/**
 * `<node>-k8s-<pod>-<endpoint>`, each segment with `-` doubled (names/workloadendpoint.go
 * CalculateWorkloadEndpointName for orchestrator `k8s`). A segment that is empty, or that begins or
 * ends with `-`, makes Calico fail the conversion.
 */
export function kubernetesEndpointName(
  node: string,
  pod: string,
  endpoint: string,
): EndpointNameResult {
  const segments: [string, string][] = [
    ['node', node],
    ['orchestrator', ORCHESTRATOR_K8S],
    ['pod', pod],
    ['endpoint', endpoint],
  ];
  const parts: string[] = [];
  for (const [field, value] of segments) {
    if (value === '') return { ok: false, error: `${field}: field should be assigned` };
    if (value.startsWith('-'))
      return { ok: false, error: `${field}: field must not begin with a '-'` };
    if (value.endsWith('-')) return { ok: false, error: `${field}: field must not end with a '-'` };
    parts.push(value.replaceAll('-', '--'));
  }
  return { ok: true, name: parts.join('-') };
}

/** Felix's default interface prefix for workload veths. */
export const DEFAULT_INTERFACE_PREFIX = 'cali';

/**
 * The host-side veth name: prefix + the first 11 hex digits of SHA-1(`<namespace>.<pod>`)
 * (VethNameForWorkload). The prefix is the first entry of the comma-separated
 * `FELIX_INTERFACEPREFIX` of the process doing the conversion, `cali` when unset; pass that value
 * as `interfacePrefix` for clusters that set it.
 */
export function vethNameForWorkload(
  namespace: string,
  pod: string,
  interfacePrefix: string = DEFAULT_INTERFACE_PREFIX,
): string {
  const prefix = interfacePrefix === '' ? DEFAULT_INTERFACE_PREFIX : interfacePrefix.split(',')[0]!;
  const digest = createHash('sha1').update(`${namespace}.${pod}`, 'utf8').digest('hex');
  return prefix + digest.slice(0, 11);
}
