/**
 * `spec.ports` of a derived WorkloadEndpoint: the pod's named ports and host ports, which policy
 * rules can reference by name. Source: libcalico-go/lib/backend/k8s/conversion/
 * workload_endpoint_default.go (appendEndpointPorts), internalapi.WorkloadEndpointPort (JSON).
 */
import type { JsonObject } from '../../../model/json.js';
import { arrayField, intField, objectField, stringField } from './k8s-fields.js';

/** core/v1 protocol -> numorstring.ProtocolFromString result; other protocols are skipped. */
const PROTOCOLS: Record<string, string> = { TCP: 'TCP', '': 'TCP', UDP: 'UDP', SCTP: 'SCTP' };

/**
 * The ports of `spec.containers`, then of `spec.initContainers` (sidecars), in declaration order:
 * every port with a non-zero `containerPort` that has a name or a `hostPort`. A missing protocol is
 * TCP (the Kubernetes default); a protocol other than TCP, UDP, SCTP (exact case) skips the port.
 * Every field is written, empty ones included, as Go marshals the struct (no `omitempty`).
 */
export function endpointPorts(podSpec: JsonObject): JsonObject[] {
  const ports: JsonObject[] = [];
  for (const list of [podSpec.containers, podSpec.initContainers]) {
    for (const container of arrayField(list)) {
      for (const entry of arrayField(objectField(container).ports)) {
        const port = objectField(entry);
        const containerPort = intField(port.containerPort);
        const hostPort = intField(port.hostPort);
        const name = stringField(port.name);
        if (containerPort === 0 || (hostPort === 0 && name === '')) continue;
        const protocol = PROTOCOLS[stringField(port.protocol)];
        if (protocol === undefined) continue;
        ports.push({
          name,
          protocol,
          // uint16(...) of the int32 Kubernetes fields.
          port: containerPort & 0xffff,
          hostPort: hostPort & 0xffff,
          hostIP: stringField(port.hostIP),
        });
      }
    }
  }
  return ports;
}
