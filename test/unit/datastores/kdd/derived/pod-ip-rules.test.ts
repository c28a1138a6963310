import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workloadEndpointsFromPod } from '../../../../../src/datastores/kdd/derived/workload-endpoint.js';
import type { JsonObject } from '../../../../../src/model/json.js';
import { minimalPod } from './pod-fixtures.js';

// Inputs and expectations ported from libcalico-go/lib/backend/k8s/conversion/conversion_test.go
// ("Test Pod conversion"), each as one table row.

const A = 'cni.projectcalico.org/';

function spec(pod: JsonObject): JsonObject {
  const result = workloadEndpointsFromPod(pod);
  assert.equal(result.error, undefined, result.error);
  return result.endpoints[0]!.spec!;
}

describe('pod IPs (getPodIPs)', () => {
  const rows: [string, JsonObject, string[] | undefined][] = [
    ['calico podIP annotation', minimalPod({ [`${A}podIP`]: '192.168.0.1' }), ['192.168.0.1/32']],
    [
      'dual-stack calico podIPs annotation',
      minimalPod({ [`${A}podIP`]: '192.168.0.1', [`${A}podIPs`]: '192.168.0.1,fd5f:8067::1' }),
      ['192.168.0.1/32', 'fd5f:8067::1/128'],
    ],
    [
      'annotations with /32 and /128',
      minimalPod({
        [`${A}podIP`]: '192.168.0.1/32',
        [`${A}podIPs`]: '192.168.0.1/32,fd5f:8067::1/128',
      }),
      ['192.168.0.1/32', 'fd5f:8067::1/128'],
    ],
    [
      'AWS VPC CNI annotation',
      minimalPod({ 'vpc.amazonaws.com/pod-ips': '192.168.0.1' }),
      ['192.168.0.1/32'],
    ],
    [
      'status.podIP wins over the annotation',
      minimalPod({ [`${A}podIP`]: '192.168.0.1' }, { podIP: '192.168.0.2' }),
      ['192.168.0.2/32'],
    ],
    [
      'status.podIPs wins over status.podIP and the annotations',
      minimalPod(
        { [`${A}podIPs`]: '10.0.0.1/32' },
        { podIP: '192.168.0.1', podIPs: [{ ip: '192.168.0.1' }, { ip: 'fd5f:8067::1' }] },
      ),
      ['192.168.0.1/32', 'fd5f:8067::1/128'],
    ],
    ['no IP at all', minimalPod(), undefined],
    [
      'empty podIP annotation without deletionTimestamp: running',
      minimalPod({ [`${A}podIP`]: '' }, { podIP: '192.168.0.1', phase: 'Running' }),
      ['192.168.0.1/32'],
    ],
    [
      'empty podIP annotation with deletionTimestamp: finished',
      minimalPod(
        { [`${A}podIP`]: '' },
        { podIP: '192.168.0.1', phase: 'Running' },
        { deletionTimestamp: '2025-06-05T00:00:00Z' },
      ),
      undefined,
    ],
    [
      'no podIP annotation with deletionTimestamp: running',
      minimalPod(
        {},
        { podIP: '192.168.0.1', phase: 'Running' },
        { deletionTimestamp: '2025-06-05T00:00:00Z' },
      ),
      ['192.168.0.1/32'],
    ],
    [
      'empty AWS annotation with deletionTimestamp: finished',
      minimalPod(
        { 'vpc.amazonaws.com/pod-ips': '' },
        { podIP: '192.168.0.1', phase: 'Running' },
        { deletionTimestamp: '2025-06-05T00:00:00Z' },
      ),
      undefined,
    ],
  ];
  for (const [title, pod, expected] of rows) {
    it(title, () => assert.deepEqual(spec(pod).ipNetworks, expected));
  }

  // DescribeTable "PodToDefaultWorkloadEndpoint reject/accept phase tests".
  for (const [phase, keeps] of [
    ['Pending', true],
    ['Running', true],
    ['Unknown', true],
    ['Succeeded', false],
    ['Failed', false],
    ['Completed', false],
  ] as const) {
    it(`phase ${phase} ${keeps ? 'keeps' : 'drops'} the IPs`, () => {
      const pod = minimalPod({ [`${A}podIP`]: '192.168.0.1' }, { podIP: '192.168.0.1', phase });
      assert.deepEqual(spec(pod).ipNetworks, keeps ? ['192.168.0.1/32'] : undefined);
    });
  }
});

describe('floating IPs and allowed source prefixes', () => {
  it('maps a floating IP to the pod IPv4 address', () => {
    const pod = minimalPod({ [`${A}podIP`]: '192.168.0.1', [`${A}floatingIPs`]: '["1.1.1.1"]' });
    assert.deepEqual(spec(pod).ipNATs, [{ internalIP: '192.168.0.1', externalIP: '1.1.1.1' }]);
  });

  it('drops a floating IP whose family the pod lacks', () => {
    const pod = minimalPod({
      [`${A}podIP`]: '192.168.0.1',
      [`${A}floatingIPs`]: '["fd80::10","1.1.1.1"]',
    });
    assert.deepEqual(spec(pod).ipNATs, [{ internalIP: '192.168.0.1', externalIP: '1.1.1.1' }]);
  });

  it('ignores floating IPs of a pod without IPs, even when they are not JSON', () => {
    assert.equal(spec(minimalPod({ [`${A}floatingIPs`]: 'nonsense' })).ipNATs, undefined);
  });

  it('normalises allowed source prefixes', () => {
    const pod = minimalPod({
      [`${A}podIP`]: '192.168.0.1',
      [`${A}allowedSourcePrefixes`]: '["8.8.8.8/32","1.1.1.1/16"]',
    });
    assert.deepEqual(spec(pod).allowSpoofedSourcePrefixes, ['8.8.8.8/32', '1.1.0.0/16']);
  });

  it('treats an empty allowedSourcePrefixes annotation as none', () => {
    assert.equal(
      spec(minimalPod({ [`${A}allowedSourcePrefixes`]: '' })).allowSpoofedSourcePrefixes,
      undefined,
    );
  });
});

describe('pods whose conversion fails in Calico', () => {
  const rows: [string, Record<string, string>, JsonObject?][] = [
    ['bad podIP annotation', { [`${A}podIP`]: 'foobar' }],
    ['bad podIPs annotation', { [`${A}podIPs`]: 'foobar' }],
    ['space after the comma in podIPs', { [`${A}podIPs`]: '10.0.0.1/32, fd00::1/128' }],
    [
      'empty string in allowedSourcePrefixes',
      { [`${A}podIP`]: '192.168.0.1', [`${A}allowedSourcePrefixes`]: '[""]' },
    ],
    [
      'invalid CIDR in allowedSourcePrefixes',
      { [`${A}podIP`]: '192.168.0.1', [`${A}allowedSourcePrefixes`]: '["gumbo"]' },
    ],
    ['bare address in allowedSourcePrefixes', { [`${A}allowedSourcePrefixes`]: '["10.1.2.3"]' }],
    [
      'empty floatingIPs annotation on a pod with IPs',
      { [`${A}podIP`]: '192.168.0.1', [`${A}floatingIPs`]: '' },
    ],
    [
      'floating IPs against a non-/32 pod IP',
      { [`${A}podIP`]: '10.0.0.0/24', [`${A}floatingIPs`]: '["1.1.1.1"]' },
    ],
  ];
  for (const [title, annotations] of rows) {
    it(title, () => {
      const result = workloadEndpointsFromPod(minimalPod(annotations));
      assert.deepEqual(result.endpoints, []);
      assert.equal(typeof result.error, 'string');
      assert.equal(result.skipped, undefined);
    });
  }

  it('reports QoS problems as warnings without failing', () => {
    const result = workloadEndpointsFromPod(
      minimalPod({
        'qos.projectcalico.org/ingressBandwidth': '1',
        'qos.projectcalico.org/dscp': 'gold',
      }),
    );
    assert.equal(result.endpoints.length, 1);
    assert.deepEqual(result.endpoints[0]!.spec!.qosControls, {
      ingressBandwidth: 1000,
      ingressBurst: 4294967296,
    });
    assert.equal(result.warnings.length, 2);
  });
});
