import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workloadEndpointsFromPod } from '../../../../../src/datastores/kdd/derived/workload-endpoint.js';
import type { JsonObject } from '../../../../../src/model/json.js';
import { stringifyJson } from '../../../../../src/model/json.js';
import type { CalicoResource } from '../../../../../src/model/resource.js';
import {
  calicoTestPodA,
  completedJobPod,
  dualStackPod,
  hostNetworkPod,
  minimalPod,
  podWithoutIp,
  unscheduledPod,
  webPod,
} from './pod-fixtures.js';

// Interface names: 'cali' + the first 11 hex digits of sha1("<namespace>.<pod>"), computed with
// sha1sum; Calico pins cali7f94ce7c295 for default/podA in conversion_test.go.

/** The single endpoint derived from a pod (fails the test otherwise). */
function onlyEndpoint(pod: JsonObject): CalicoResource {
  const result = workloadEndpointsFromPod(pod);
  assert.equal(result.error, undefined);
  assert.equal(result.skipped, undefined);
  assert.equal(result.endpoints.length, 1);
  return result.endpoints[0]!;
}

describe('workloadEndpointsFromPod: full objects', () => {
  const cases: { title: string; pod: () => JsonObject; expected: CalicoResource }[] = [
    {
      title: 'IPv4 Deployment pod: named ports from containers then sidecars, service account',
      pod: webPod,
      expected: {
        apiVersion: 'projectcalico.org/v3',
        kind: 'WorkloadEndpoint',
        metadata: {
          name: 'worker--1-k8s-web--7d9c5b8f4--x2x9q-eth0',
          generateName: 'web-7d9c5b8f4-',
          namespace: 'shop',
          uid: '0b6a9e4e-3f0c-4a7e-9d55-2b1f7c8e9a10',
          resourceVersion: '88121',
          creationTimestamp: '2025-06-01T10:00:00Z',
          labels: {
            app: 'web',
            'pod-template-hash': '7d9c5b8f4',
            'projectcalico.org/namespace': 'shop',
            'projectcalico.org/orchestrator': 'k8s',
            'projectcalico.org/serviceaccount': 'web',
            tier: 'frontend',
          },
        },
        spec: {
          orchestrator: 'k8s',
          node: 'worker-1',
          containerID: '5f3c1e0a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e',
          pod: 'web-7d9c5b8f4-x2x9q',
          endpoint: 'eth0',
          serviceAccountName: 'web',
          ipNetworks: ['10.244.1.17/32'],
          profiles: ['kns.shop', 'ksa.shop.web'],
          interfaceName: 'cali590068f44de',
          ports: [
            { name: 'http', protocol: 'TCP', port: 8080, hostPort: 0, hostIP: '' },
            { name: 'statsd', protocol: 'UDP', port: 9125, hostPort: 0, hostIP: '' },
            { name: '', protocol: 'TCP', port: 9102, hostPort: 19102, hostIP: '' },
            { name: 'admin', protocol: 'TCP', port: 9901, hostPort: 0, hostIP: '' },
          ],
        },
      },
    },
    {
      title: 'dual-stack pod: status.podIPs order, floating IPs per family, normalised prefixes',
      pod: dualStackPod,
      expected: {
        apiVersion: 'projectcalico.org/v3',
        kind: 'WorkloadEndpoint',
        metadata: {
          name: 'worker--2-k8s-orders--db--0-eth0',
          generateName: 'orders-db-',
          namespace: 'shop',
          uid: '1c7b0f5f-4a1d-4b8f-ae66-3c2a8d9fab21',
          resourceVersion: '90210',
          creationTimestamp: '2025-06-02T08:30:00Z',
          labels: {
            app: 'orders-db',
            'projectcalico.org/namespace': 'shop',
            'projectcalico.org/orchestrator': 'k8s',
            'projectcalico.org/serviceaccount': 'default',
            'statefulset.kubernetes.io/pod-name': 'orders-db-0',
          },
        },
        spec: {
          orchestrator: 'k8s',
          node: 'worker-2',
          containerID: 'c0ffee00aa11bb22cc33dd44ee55ff66',
          pod: 'orders-db-0',
          endpoint: 'eth0',
          serviceAccountName: 'default',
          ipNetworks: ['10.244.2.9/32', 'fd00:10:244:2::9/128'],
          ipNATs: [
            { internalIP: '10.244.2.9', externalIP: '203.0.113.10' },
            { internalIP: 'fd00:10:244:2::9', externalIP: '2001:db8:100::10' },
          ],
          profiles: ['kns.shop', 'ksa.shop.default'],
          interfaceName: 'cali45015adc167',
          ports: [{ name: 'pg', protocol: 'TCP', port: 5432, hostPort: 0, hostIP: '' }],
          allowSpoofedSourcePrefixes: ['192.0.2.0/24', '2001:db8:7::/48'],
        },
      },
    },
    {
      title: 'pod without IPs: listed, with no ipNetworks (Calico "valid but not ready")',
      pod: podWithoutIp,
      expected: {
        apiVersion: 'projectcalico.org/v3',
        kind: 'WorkloadEndpoint',
        metadata: {
          name: 'worker--3-k8s-api--5f6d7c--k8m2p-eth0',
          namespace: 'dual',
          uid: '4fae3c8d-7d40-4eb2-9199-6f5dbace2e54',
          creationTimestamp: '2025-06-03T12:00:00Z',
          labels: {
            app: 'api',
            'projectcalico.org/namespace': 'dual',
            'projectcalico.org/orchestrator': 'k8s',
            'projectcalico.org/serviceaccount': 'default',
          },
        },
        spec: {
          orchestrator: 'k8s',
          node: 'worker-3',
          pod: 'api-5f6d7c-k8m2p',
          endpoint: 'eth0',
          serviceAccountName: 'default',
          profiles: ['kns.dual', 'ksa.dual.default'],
          interfaceName: 'cali2fccaf32b4c',
        },
      },
    },
    {
      title: 'completed Job pod: listed, its IP and floating IP dropped (IsFinished)',
      pod: completedJobPod,
      expected: {
        apiVersion: 'projectcalico.org/v3',
        kind: 'WorkloadEndpoint',
        metadata: {
          name: 'worker--3-k8s-report--28861440--abcde-eth0',
          generateName: 'report-28861440-',
          namespace: 'batch',
          uid: '5a0b4d9e-8e51-4fc3-a2aa-7a6ecbdf3f65',
          resourceVersion: '120001',
          creationTimestamp: '2025-06-04T00:00:00Z',
          labels: {
            'batch.kubernetes.io/job-name': 'report-28861440',
            'job-name': 'report-28861440',
            'projectcalico.org/namespace': 'batch',
            'projectcalico.org/orchestrator': 'k8s',
            'projectcalico.org/serviceaccount': 'reporter',
          },
        },
        spec: {
          orchestrator: 'k8s',
          node: 'worker-3',
          containerID: 'deadbeef0123',
          pod: 'report-28861440-abcde',
          endpoint: 'eth0',
          serviceAccountName: 'reporter',
          profiles: ['kns.batch', 'ksa.batch.reporter'],
          interfaceName: 'calidecd0fbbd4f',
        },
      },
    },
    {
      title: "Calico's podA (conversion_test.go): ports, labels, pinned interface name",
      pod: calicoTestPodA,
      expected: {
        apiVersion: 'projectcalico.org/v3',
        kind: 'WorkloadEndpoint',
        metadata: {
          name: 'nodeA-k8s-podA-eth0',
          namespace: 'default',
          resourceVersion: '1234',
          labels: {
            labelA: 'valueA',
            labelB: 'valueB',
            'projectcalico.org/namespace': 'default',
            'projectcalico.org/orchestrator': 'k8s',
          },
        },
        spec: {
          orchestrator: 'k8s',
          node: 'nodeA',
          pod: 'podA',
          endpoint: 'eth0',
          ipNetworks: ['192.168.0.1/32'],
          profiles: ['kns.default'],
          interfaceName: 'cali7f94ce7c295',
          ports: [
            { name: 'no-proto', protocol: 'TCP', port: 1234, hostPort: 0, hostIP: '' },
            { name: 'tcp-proto', protocol: 'TCP', port: 1024, hostPort: 0, hostIP: '' },
            {
              name: 'tcp-proto-with-host-port',
              protocol: 'TCP',
              port: 8080,
              hostPort: 5678,
              hostIP: '',
            },
            {
              name: 'tcp-proto-with-host-port-and-ip',
              protocol: 'TCP',
              port: 8081,
              hostPort: 6789,
              hostIP: '1.2.3.4',
            },
            { name: '', protocol: 'TCP', port: 500, hostPort: 5000, hostIP: '' },
            { name: 'udp-proto', protocol: 'UDP', port: 432, hostPort: 0, hostIP: '' },
            { name: 'sctp-proto', protocol: 'SCTP', port: 891, hostPort: 0, hostIP: '' },
            { name: 'init-port', protocol: 'TCP', port: 3000, hostPort: 0, hostIP: '' },
          ],
        },
      },
    },
  ];
  for (const { title, pod, expected } of cases) {
    it(title, () => {
      const input = pod();
      const before = stringifyJson(input);
      const result = workloadEndpointsFromPod(input);
      assert.deepEqual(result, { endpoints: [expected], warnings: [] });
      assert.equal(stringifyJson(input), before, 'input not modified');
      assert.deepEqual(
        Object.keys(result.endpoints[0]!.spec!),
        Object.keys(expected.spec!),
        'spec fields in Go struct order',
      );
    });
  }
});

describe('workloadEndpointsFromPod: pods Calico does not show', () => {
  it('skips host-networked pods', () => {
    assert.deepEqual(workloadEndpointsFromPod(hostNetworkPod()), {
      endpoints: [],
      skipped: 'host-network',
      warnings: [],
    });
  });

  it('skips pods that are not scheduled', () => {
    assert.deepEqual(workloadEndpointsFromPod(unscheduledPod()), {
      endpoints: [],
      skipped: 'not-scheduled',
      warnings: [],
    });
  });
});

describe('workloadEndpointsFromPod: names', () => {
  it('doubles dashes in node and pod names; drops the SA label for names of 63+ bytes', () => {
    const longSa = 'serviceaccount-name-that-is-too-long-to-be-used-as-a-kubernetes-label';
    const pod = minimalPod(
      {},
      { podIP: '10.8.0.5' },
      { name: 'payment-gateway-canary-6b9f8d7c5d-qz4lm', namespace: 'team-a-prod' },
    );
    (pod.spec as JsonObject).nodeName = 'ip-10-0-1-23.eu-west-1.compute.internal';
    (pod.spec as JsonObject).serviceAccountName = longSa;
    const endpoint = onlyEndpoint(pod);
    assert.equal(
      endpoint.metadata.name,
      'ip--10--0--1--23.eu--west--1.compute.internal-k8s-payment--gateway--canary--6b9f8d7c5d--qz4lm-eth0',
    );
    assert.deepEqual(endpoint.metadata.labels, {
      'projectcalico.org/namespace': 'team-a-prod',
      'projectcalico.org/orchestrator': 'k8s',
    });
    assert.equal(endpoint.spec!.serviceAccountName, longSa);
    assert.deepEqual(endpoint.spec!.profiles, ['kns.team-a-prod', `ksa.team-a-prod.${longSa}`]);
    assert.equal(endpoint.spec!.interfaceName, 'cali40960034480');
  });

  it('keeps the SA label below 63 bytes only', () => {
    for (const [sa, labelled] of [
      ['a'.repeat(62), true],
      ['a'.repeat(63), false],
    ] as const) {
      const pod = minimalPod({}, { podIP: '10.8.0.5' });
      (pod.spec as JsonObject).serviceAccountName = sa;
      const labels = onlyEndpoint(pod).metadata.labels!;
      assert.equal(labels['projectcalico.org/serviceaccount'], labelled ? sa : undefined);
    }
  });

  it('uses the FELIX_INTERFACEPREFIX given as an option', () => {
    const result = workloadEndpointsFromPod(minimalPod(), { interfacePrefix: 'eni,veth' });
    assert.equal(result.endpoints[0]!.spec!.interfaceName, 'eni7f94ce7c295');
  });

  it('a pod label cannot override the namespace and orchestrator labels', () => {
    const pod = minimalPod(
      {},
      {},
      {
        labels: { 'projectcalico.org/namespace': 'other', 'projectcalico.org/orchestrator': 'x' },
      },
    );
    assert.deepEqual(onlyEndpoint(pod).metadata.labels, {
      'projectcalico.org/namespace': 'default',
      'projectcalico.org/orchestrator': 'k8s',
    });
  });
});

describe('workloadEndpointsFromPod: Multus', () => {
  it('derives only eth0 and copies the network-status annotation, nothing else', () => {
    const status =
      '[{"name":"k8s-pod-network","ips":["172.16.166.191"],"default":true,"dns":{}},{"name":"shop/macvlan","interface":"net1","ips":["192.168.50.7"]}]';
    const pod = minimalPod({
      'k8s.v1.cni.cncf.io/network-status': status,
      'k8s.v1.cni.cncf.io/networks': 'macvlan',
      'cni.projectcalico.org/podIP': '172.16.166.191/32',
    });
    const result = workloadEndpointsFromPod(pod);
    assert.equal(result.endpoints.length, 1);
    const endpoint = result.endpoints[0]!;
    assert.equal(endpoint.spec!.endpoint, 'eth0');
    assert.deepEqual(endpoint.metadata.annotations, {
      'k8s.v1.cni.cncf.io/network-status': status,
    });
    assert.deepEqual(endpoint.spec!.ipNetworks, ['172.16.166.191/32']);
  });
});
