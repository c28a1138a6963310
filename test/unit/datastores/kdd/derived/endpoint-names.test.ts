import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  kubernetesEndpointName,
  vethNameForWorkload,
} from '../../../../../src/datastores/kdd/derived/endpoint-names.js';

describe('kubernetesEndpointName', () => {
  // Rows from libcalico-go/lib/names/workloadendpoint_test.go and conversion_test.go.
  const valid: [string, string, string, string][] = [
    ['node-1', 'pod-name', 'eth0', 'node--1-k8s-pod--name-eth0'],
    ['nodeA', 'podA', 'eth0', 'nodeA-k8s-podA-eth0'],
    ['node', 'pod-name', 'eth0', 'node-k8s-pod--name-eth0'],
    [
      'ip-10-0-1-23.eu-west-1.compute.internal',
      'payment-gateway-canary-6b9f8d7c5d-qz4lm',
      'eth0',
      'ip--10--0--1--23.eu--west--1.compute.internal-k8s-payment--gateway--canary--6b9f8d7c5d--qz4lm-eth0',
    ],
    ['worker-1', 'a--b', 'eth0', 'worker--1-k8s-a----b-eth0'],
  ];
  for (const [node, pod, endpoint, expected] of valid) {
    it(`${node} / ${pod} -> ${expected}`, () => {
      assert.deepEqual(kubernetesEndpointName(node, pod, endpoint), { ok: true, name: expected });
    });
  }

  it('fails like CalculateWorkloadEndpointName on empty or dash-bounded segments', () => {
    for (const [node, pod] of [
      ['', 'pod'],
      ['node', ''],
      ['-node', 'pod'],
      ['node', 'pod-'],
    ] as const) {
      const result = kubernetesEndpointName(node, pod, 'eth0');
      assert.equal(result.ok, false, `${node}/${pod}`);
    }
  });
});

describe('vethNameForWorkload', () => {
  // Calico's pinned values (conversion_test.go: "If this fails, fix the code not this expect!").
  it('matches the interface names Calico pins in its tests', () => {
    assert.equal(vethNameForWorkload('default', 'podA'), 'cali7f94ce7c295');
    assert.equal(vethNameForWorkload('default', 'podB'), 'cali92cf1f5e9f6');
  });

  it('uses the first FELIX_INTERFACEPREFIX entry (conversion_test "right prefix")', () => {
    assert.equal(vethNameForWorkload('namespace', 'podname', 'eni,veth,foo'), 'eni82111e10a96');
    assert.equal(vethNameForWorkload('namespace', 'podname', ''), 'cali82111e10a96');
  });

  it('is 15 characters with the default prefix (the Linux interface name limit)', () => {
    // sha1("team-a-prod.payment-gateway-canary-6b9f8d7c5d-qz4lm") starts with 40960034480.
    const name = vethNameForWorkload('team-a-prod', 'payment-gateway-canary-6b9f8d7c5d-qz4lm');
    assert.equal(name, 'cali40960034480');
    assert.equal(name.length, 15);
  });
});
