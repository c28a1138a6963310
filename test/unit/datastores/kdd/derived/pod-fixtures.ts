/**
 * Realistic Pods, as the Kubernetes API server returns them from a cluster where Calico CNI runs
 * in KDD mode (it patches `cni.projectcalico.org/containerID`, `podIP` and `podIPs` in at CNI ADD).
 */
import type { JsonObject } from '../../../../../src/model/json.js';
import { parseJson, stringifyJson } from '../../../../../src/model/json.js';

/** The web Deployment pod: IPv4, a service account, named ports in two containers and a sidecar. */
export function webPod(): JsonObject {
  return parsed({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-7d9c5b8f4-x2x9q',
      generateName: 'web-7d9c5b8f4-',
      namespace: 'shop',
      uid: '0b6a9e4e-3f0c-4a7e-9d55-2b1f7c8e9a10',
      resourceVersion: '88121',
      creationTimestamp: '2025-06-01T10:00:00Z',
      labels: { app: 'web', 'pod-template-hash': '7d9c5b8f4', tier: 'frontend' },
      annotations: {
        'cni.projectcalico.org/containerID':
          '5f3c1e0a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e',
        'cni.projectcalico.org/podIP': '10.244.1.17/32',
        'cni.projectcalico.org/podIPs': '10.244.1.17/32',
        'kubectl.kubernetes.io/restartedAt': '2025-06-01T09:59:00Z',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-7d9c5b8f4',
          uid: '8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      nodeName: 'worker-1',
      serviceAccountName: 'web',
      serviceAccount: 'web',
      initContainers: [
        {
          name: 'envoy',
          image: 'envoyproxy/envoy:v1.30',
          restartPolicy: 'Always',
          ports: [{ name: 'admin', containerPort: 9901, protocol: 'TCP' }],
        },
      ],
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          ports: [
            { name: 'http', containerPort: 8080, protocol: 'TCP' },
            { containerPort: 8443, protocol: 'TCP' },
          ],
        },
        {
          name: 'metrics',
          image: 'prom/statsd-exporter:v0.26',
          ports: [
            { name: 'statsd', containerPort: 9125, protocol: 'UDP' },
            { containerPort: 9102, hostPort: 19102, protocol: 'TCP' },
          ],
        },
      ],
    },
    status: {
      phase: 'Running',
      hostIP: '10.0.0.11',
      podIP: '10.244.1.17',
      podIPs: [{ ip: '10.244.1.17' }],
    },
  });
}

/** A dual-stack StatefulSet pod with floating IPs and allowed source prefixes. */
export function dualStackPod(): JsonObject {
  return parsed({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'orders-db-0',
      generateName: 'orders-db-',
      namespace: 'shop',
      uid: '1c7b0f5f-4a1d-4b8f-ae66-3c2a8d9fab21',
      resourceVersion: '90210',
      creationTimestamp: '2025-06-02T08:30:00Z',
      labels: { app: 'orders-db', 'statefulset.kubernetes.io/pod-name': 'orders-db-0' },
      annotations: {
        'cni.projectcalico.org/containerID': 'c0ffee00aa11bb22cc33dd44ee55ff66',
        'cni.projectcalico.org/podIP': '10.244.2.9/32',
        'cni.projectcalico.org/podIPs': '10.244.2.9/32,fd00:10:244:2::9/128',
        'cni.projectcalico.org/floatingIPs': '["203.0.113.10","2001:db8:100::10"]',
        'cni.projectcalico.org/allowedSourcePrefixes': '["192.0.2.77/24","2001:db8:7::/48"]',
      },
    },
    spec: {
      nodeName: 'worker-2',
      serviceAccountName: 'default',
      containers: [
        {
          name: 'postgres',
          image: 'postgres:16',
          ports: [{ name: 'pg', containerPort: 5432, protocol: 'TCP' }],
        },
      ],
    },
    status: {
      phase: 'Running',
      podIP: '10.244.2.9',
      podIPs: [{ ip: '10.244.2.9' }, { ip: 'fd00:10:244:2::9' }],
    },
  });
}

/** kube-proxy: host-networked, so Calico shows no endpoint for it. */
export function hostNetworkPod(): JsonObject {
  return parsed({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'kube-proxy-abc12',
      namespace: 'kube-system',
      uid: '2d8c1a6b-5b2e-4c90-bf77-4d3b9eac0c32',
      labels: { 'k8s-app': 'kube-proxy' },
    },
    spec: { nodeName: 'worker-1', hostNetwork: true, serviceAccountName: 'kube-proxy' },
    status: { phase: 'Running', podIP: '10.0.0.11', podIPs: [{ ip: '10.0.0.11' }] },
  });
}

/** A pod the scheduler has not placed yet. */
export function unscheduledPod(): JsonObject {
  return parsed({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'pending-0', namespace: 'shop', uid: '3e9d2b7c-6c3f-4da1-8088-5e4cafbd1d43' },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] },
  });
}

/** Scheduled, sandbox not yet networked: no IP anywhere. */
export function podWithoutIp(): JsonObject {
  return parsed({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'api-5f6d7c-k8m2p',
      namespace: 'dual',
      uid: '4fae3c8d-7d40-4eb2-9199-6f5dbace2e54',
      creationTimestamp: '2025-06-03T12:00:00Z',
      labels: { app: 'api' },
    },
    spec: { nodeName: 'worker-3', serviceAccountName: 'default', containers: [{ name: 'api' }] },
    status: { phase: 'Pending' },
  });
}

/** A finished Job pod: it still carries its IP fields, but the IP is back in the pool. */
export function completedJobPod(): JsonObject {
  return parsed({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'report-28861440-abcde',
      generateName: 'report-28861440-',
      namespace: 'batch',
      uid: '5a0b4d9e-8e51-4fc3-a2aa-7a6ecbdf3f65',
      resourceVersion: '120001',
      creationTimestamp: '2025-06-04T00:00:00Z',
      labels: { 'batch.kubernetes.io/job-name': 'report-28861440', 'job-name': 'report-28861440' },
      annotations: {
        'cni.projectcalico.org/containerID': 'deadbeef0123',
        'cni.projectcalico.org/podIP': '10.244.3.40/32',
        'cni.projectcalico.org/podIPs': '10.244.3.40/32',
        'cni.projectcalico.org/floatingIPs': '["203.0.113.40"]',
      },
    },
    spec: { nodeName: 'worker-3', serviceAccountName: 'reporter', restartPolicy: 'Never' },
    status: { phase: 'Succeeded', podIP: '10.244.3.40', podIPs: [{ ip: '10.244.3.40' }] },
  });
}

/** The pod of Calico's conversion_test.go "should parse a Pod with an IP to a WorkloadEndpoint". */
export function calicoTestPodA(): JsonObject {
  return parsed({
    metadata: {
      name: 'podA',
      namespace: 'default',
      annotations: { arbitrary: 'annotation' },
      labels: { labelA: 'valueA', labelB: 'valueB' },
      resourceVersion: '1234',
    },
    spec: {
      nodeName: 'nodeA',
      initContainers: [{ ports: [{ name: 'init-port', containerPort: 3000 }] }],
      containers: [
        { ports: [{ containerPort: 5678 }, { name: 'no-proto', containerPort: 1234 }] },
        {
          ports: [
            { name: 'tcp-proto', protocol: 'TCP', containerPort: 1024 },
            {
              name: 'tcp-proto-with-host-port',
              protocol: 'TCP',
              containerPort: 8080,
              hostPort: 5678,
            },
            {
              name: 'tcp-proto-with-host-port-and-ip',
              protocol: 'TCP',
              containerPort: 8081,
              hostPort: 6789,
              hostIP: '1.2.3.4',
            },
            { protocol: 'TCP', containerPort: 500, hostPort: 5000 },
            { name: 'udp-proto', protocol: 'UDP', containerPort: 432 },
            { name: 'sctp-proto', protocol: 'SCTP', containerPort: 891 },
            { name: 'unkn-proto', protocol: 'unknown', containerPort: 567 },
          ],
        },
      ],
    },
    status: { podIP: '192.168.0.1' },
  });
}

/** A minimal scheduled pod in `default` on `nodeA`, for single-rule cases. */
export function minimalPod(
  annotations: Record<string, string> = {},
  status: JsonObject = {},
  extraMeta: JsonObject = {},
): JsonObject {
  return parsed({
    metadata: {
      name: 'podA',
      namespace: 'default',
      resourceVersion: '1234',
      annotations,
      ...extraMeta,
    },
    spec: { nodeName: 'nodeA', containers: [] },
    status,
  });
}

/** Through JSON text, as the adapter receives objects. */
function parsed(value: JsonObject): JsonObject {
  return parseJson(stringifyJson(value)) as JsonObject;
}
