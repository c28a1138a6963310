import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KddReadResult } from '../../../../src/datastores/kdd/codec-types.js';
import { readKubernetesNode } from '../../../../src/datastores/kdd/node-codec.js';
import { mergeCalicoNodeIntoKubernetesNode } from '../../../../src/datastores/kdd/node-write.js';
import type { JsonObject } from '../../../../src/model/json.js';
import { stringifyJson } from '../../../../src/model/json.js';
import type { CalicoResource } from '../../../../src/model/resource.js';

const P = 'projectcalico.org/';
const K8S_LABELS = {
  'kubernetes.io/hostname': 'worker-1',
  'node-role.kubernetes.io/worker': '',
  zone: 'a',
};

function k8sNode(annotations: Record<string, string> = {}, extra: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'worker-1',
      uid: 'a5a5a5a5-0000-4000-8000-000000000001',
      resourceVersion: '100',
      creationTimestamp: '2025-01-01T00:00:00Z',
      labels: { ...K8S_LABELS },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', ...annotations },
    },
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24', 'fd00:10:244:1::/64'] },
    status: {
      addresses: [
        { type: 'InternalIP', address: '10.0.0.11' },
        { type: 'Hostname', address: 'worker-1' },
        { type: 'ExternalIP', address: '203.0.113.5' },
      ],
    },
    ...extra,
  };
}

const FULL = {
  [`${P}IPv4Address`]: '10.0.0.11/24',
  [`${P}IPv6Address`]: 'fd00::11/64',
  [`${P}ASNumber`]: '64512',
  [`${P}RouteReflectorClusterID`]: '224.0.0.1',
  [`${P}IPv4IPIPTunnelAddr`]: '10.244.1.0',
  [`${P}IPv4VXLANTunnelAddr`]: '10.244.1.1',
  [`${P}VXLANTunnelMACAddr`]: '66:7a:1b:2c:3d:4e',
  [`${P}IPv6VXLANTunnelAddr`]: 'fd00:10:244::1',
  [`${P}VXLANTunnelMACAddrV6`]: '66:7a:1b:2c:3d:4f',
  [`${P}IPv4WireguardInterfaceAddr`]: '10.244.1.2',
  [`${P}IPv6WireguardInterfaceAddr`]: 'fd00:10:244::2',
  [`${P}WireguardPublicKey`]: 'pubkey4=',
  [`${P}WireguardPublicKeyV6`]: 'pubkey6=',
  [`${P}Interfaces`]: '[{"name":"eth0","addresses":["10.0.0.11","fe80::1"]}]',
  [`${P}labels`]: '{"calico-only":"yes","zone":"shadowed"}',
  [`${P}annotations`]: '{"note":"n"}',
};

function resourceOf(result: KddReadResult): CalicoResource {
  assert.equal(result.type, 'resource', stringifyJson(result));
  return (result as { resource: CalicoResource }).resource;
}

describe('reading a Kubernetes Node as a Calico Node', () => {
  it('maps every Calico annotation to its renamed field and derives the rest (node.go K8sNodeToCalico)', () => {
    assert.deepEqual(resourceOf(readKubernetesNode(k8sNode(FULL))), {
      apiVersion: 'projectcalico.org/v3',
      kind: 'Node',
      metadata: {
        name: 'worker-1',
        uid: 'a5a5a5a5-0000-4000-8000-000000000001',
        resourceVersion: '100',
        creationTimestamp: '2025-01-01T00:00:00Z',
        labels: { 'calico-only': 'yes', ...K8S_LABELS },
        annotations: {
          note: 'n',
          [`${P}kube-labels`]:
            '{"kubernetes.io/hostname":"worker-1","node-role.kubernetes.io/worker":"","zone":"a"}',
        },
      },
      spec: {
        bgp: {
          asNumber: 64512,
          ipv4Address: '10.0.0.11/24',
          ipv6Address: 'fd00::11/64',
          ipv4IPIPTunnelAddr: '10.244.1.0',
          routeReflectorClusterID: '224.0.0.1',
        },
        ipv4VXLANTunnelAddr: '10.244.1.1',
        vxlanTunnelMACAddr: '66:7a:1b:2c:3d:4e',
        ipv6VXLANTunnelAddr: 'fd00:10:244::1',
        vxlanTunnelMACAddrV6: '66:7a:1b:2c:3d:4f',
        orchRefs: [{ nodeName: 'worker-1', orchestrator: 'k8s' }],
        wireguard: { interfaceIPv4Address: '10.244.1.2', interfaceIPv6Address: 'fd00:10:244::2' },
        addresses: [
          { address: '10.0.0.11/24', type: 'CalicoNodeIP' },
          { address: 'fd00::11/64', type: 'CalicoNodeIP' },
          { address: '10.0.0.11', type: 'InternalIP' },
          { address: '203.0.113.5', type: 'ExternalIP' },
        ],
        interfaces: [{ name: 'eth0', addresses: ['10.0.0.11', 'fe80::1'] }],
      },
      status: {
        wireguardPublicKey: 'pubkey4=',
        wireguardPublicKeyV6: 'pubkey6=',
        podCIDRs: ['10.244.1.0/24', 'fd00:10:244:1::/64'],
      },
    });
  });

  it('gives a bare Node orchRefs, empty status and kube-labels only', () => {
    const node = k8sNode({}, { spec: {}, status: {} });
    delete (node.metadata as JsonObject).labels;
    const resource = resourceOf(readKubernetesNode(node));
    assert.deepEqual(resource.spec, { orchRefs: [{ nodeName: 'worker-1', orchestrator: 'k8s' }] });
    assert.deepEqual(resource.status, {});
    assert.deepEqual(resource.metadata.annotations, { [`${P}kube-labels`]: 'null' });
    assert.equal(resource.metadata.labels, undefined);
  });

  const invalid: [string, string, string, string[]][] = [
    ['v6 address as IPv4Address', 'IPv4Address', 'fd00::1/64', ['spec', 'bgp']],
    ['out-of-range IPv4Address', 'IPv4Address', '10.0.0.300/24', ['spec', 'bgp']],
    ['v4 address as IPv6Address', 'IPv6Address', '10.0.0.1', ['spec', 'bgp']],
    ['unmasked IPIP tunnel network', 'IPv4IPIPTunnelAddr', '10.244.1.5/24', ['spec', 'bgp']],
    ['IPv6 route reflector cluster ID', 'RouteReflectorClusterID', 'fd00::1', ['spec', 'bgp']],
    ['non-numeric AS number', 'ASNumber', 'sixty', ['spec', 'bgp']],
    ['AS number above 32 bits', 'ASNumber', '4294967296', ['spec', 'bgp']],
    ['bad MAC', 'VXLANTunnelMACAddr', 'zz:7a:1b:2c:3d:4e', ['spec', 'vxlanTunnelMACAddr']],
    [
      'mixed MAC separators',
      'VXLANTunnelMACAddr',
      '66:7a:1b-2c:3d:4e',
      ['spec', 'vxlanTunnelMACAddr'],
    ],
    [
      'IPv6 VXLAN address not IPv6',
      'IPv6VXLANTunnelAddr',
      '10.0.0.1',
      ['spec', 'ipv6VXLANTunnelAddr'],
    ],
    ['bad WireGuard v4 address', 'IPv4WireguardInterfaceAddr', 'x', ['spec', 'wireguard']],
    ['empty value', 'IPv4VXLANTunnelAddr', '', ['spec', 'ipv4VXLANTunnelAddr']],
  ];
  for (const [title, annotation, value, path] of invalid) {
    it(`ignores an invalid value as Calico does: ${title}`, () => {
      const resource = resourceOf(readKubernetesNode(k8sNode({ [`${P}${annotation}`]: value })));
      let current: unknown = resource;
      for (const segment of path) current = (current as JsonObject | undefined)?.[segment];
      assert.equal(current, undefined);
    });
  }

  const valid: [string, string, string, string[], unknown][] = [
    ['bare IPv4 address', 'IPv4Address', '10.0.0.11', ['spec', 'bgp', 'ipv4Address'], '10.0.0.11'],
    [
      'masked tunnel network',
      'IPv4IPIPTunnelAddr',
      '10.244.1.0/24',
      ['spec', 'bgp', 'ipv4IPIPTunnelAddr'],
      '10.244.1.0/24',
    ],
    ['dotted AS number', 'ASNumber', '1.10', ['spec', 'bgp', 'asNumber'], 65546],
    ['AS number with leading zeros', 'ASNumber', '0064512', ['spec', 'bgp', 'asNumber'], 64512],
    [
      'hyphenated MAC',
      'VXLANTunnelMACAddr',
      '66-7A-1B-2C-3D-4E',
      ['spec', 'vxlanTunnelMACAddr'],
      '66-7A-1B-2C-3D-4E',
    ],
    [
      'dotted MAC',
      'VXLANTunnelMACAddrV6',
      '667a.1b2c.3d4e',
      ['spec', 'vxlanTunnelMACAddrV6'],
      '667a.1b2c.3d4e',
    ],
    [
      'unvalidated public key',
      'WireguardPublicKey',
      'anything',
      ['status', 'wireguardPublicKey'],
      'anything',
    ],
  ];
  for (const [title, annotation, value, path, expected] of valid) {
    it(`accepts ${title}`, () => {
      const resource = resourceOf(readKubernetesNode(k8sNode({ [`${P}${annotation}`]: value })));
      let current: unknown = resource;
      for (const segment of path) current = (current as JsonObject)[segment];
      assert.equal(current, expected);
    });
  }

  it('ignores label and annotation maps that do not parse', () => {
    const resource = resourceOf(
      readKubernetesNode(k8sNode({ [`${P}labels`]: '{bad', [`${P}annotations`]: '{"a":1}' })),
    );
    assert.deepEqual(resource.metadata.labels, K8S_LABELS);
    assert.deepEqual(Object.keys(resource.metadata.annotations!), [`${P}kube-labels`]);
  });

  it('ignores an Interfaces annotation that does not decode and drops invalid addresses', () => {
    const bad = resourceOf(readKubernetesNode(k8sNode({ [`${P}Interfaces`]: '{"name":"eth0"}' })));
    assert.equal(bad.spec!.interfaces, undefined);
    const mixed = resourceOf(
      readKubernetesNode(
        k8sNode({
          [`${P}Interfaces`]:
            '[{"name":"eth0","addresses":["bad","also-bad","10.0.0.1"]},{"name":"lo"}]',
        }),
      ),
    );
    assert.deepEqual(mixed.spec!.interfaces, [
      { name: 'eth0', addresses: ['10.0.0.1'] },
      { name: 'lo' },
    ]);
  });

  it('derives tunnel addresses from the pod CIDR with host-local IPAM', () => {
    const annotations = { ...FULL, [`${P}IPv4IPIPTunnelAddr`]: '10.9.9.9' };
    const resource = resourceOf(readKubernetesNode(k8sNode(annotations), { usePodCIDR: true }));
    assert.equal((resource.spec!.bgp as JsonObject).ipv4IPIPTunnelAddr, '10.244.1.1');
    assert.deepEqual(resource.spec!.wireguard, { interfaceIPv4Address: '10.244.1.1' });
    const noKey: Record<string, string> = { ...FULL };
    delete noKey[`${P}WireguardPublicKey`];
    assert.equal(
      resourceOf(readKubernetesNode(k8sNode(noKey), { usePodCIDR: true })).spec!.wireguard,
      undefined,
    );
    const wrap = k8sNode({}, { spec: { podCIDR: '10.244.1.255/32' } });
    assert.equal(
      (resourceOf(readKubernetesNode(wrap, { usePodCIDR: true })).spec!.bgp as JsonObject)
        .ipv4IPIPTunnelAddr,
      '10.244.1.0',
    );
    const v6 = k8sNode({}, { spec: { podCIDR: 'fd00::/64' } });
    assert.equal(resourceOf(readKubernetesNode(v6, { usePodCIDR: true })).spec!.bgp, undefined);
  });

  it('keeps a Node raw when Calico cannot convert it', () => {
    const badPodCidr = readKubernetesNode(k8sNode({}, { spec: { podCIDR: 'nonsense' } }), {
      usePodCIDR: true,
    });
    assert.equal(badPodCidr.type, 'raw');
    assert.equal(badPodCidr.type === 'raw' && badPodCidr.raw.key, '/api/v1/nodes/worker-1');
    assert.equal(readKubernetesNode({ metadata: {} }).type, 'raw');
  });
});

describe('writing a Calico Node onto its Kubernetes Node', () => {
  it('gives back the same Kubernetes Node for a Node read from it (except a shadowed Calico label)', () => {
    const live = k8sNode(FULL);
    const calico = resourceOf(readKubernetesNode(live));
    const written = mergeCalicoNodeIntoKubernetesNode(calico, live);
    const expected = k8sNode({ ...FULL, [`${P}labels`]: '{"calico-only":"yes"}' });
    assert.deepEqual(written, expected);
    assert.deepEqual(resourceOf(readKubernetesNode(written)), { ...calico });
  });

  it('changes only Calico annotations: removes cleared fields, keeps Kubernetes labels, spec and resourceVersion', () => {
    const live = k8sNode(FULL);
    const calico: CalicoResource = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'Node',
      metadata: { name: 'worker-1', labels: { rack: 'r1' }, annotations: { note: '<b>' } },
      spec: {
        bgp: { asNumber: '1.10', ipv4Address: '10.0.0.12/24' },
        orchRefs: [{ nodeName: 'worker-1', orchestrator: 'k8s' }],
      },
      status: {},
    };
    const written = mergeCalicoNodeIntoKubernetesNode(calico, live);
    const metadata = written.metadata as JsonObject;
    assert.deepEqual(metadata.annotations, {
      'node.alpha.kubernetes.io/ttl': '0',
      [`${P}IPv4Address`]: '10.0.0.12/24',
      [`${P}ASNumber`]: '65546',
      [`${P}labels`]: '{"rack":"r1"}',
      [`${P}annotations`]: '{"note":"\\u003cb\\u003e"}',
    });
    assert.deepEqual(metadata.labels, K8S_LABELS);
    assert.equal(metadata.resourceVersion, '100');
    assert.deepEqual(written.spec, (live as JsonObject).spec);
    assert.equal(
      ((live.metadata as JsonObject).annotations as JsonObject)[`${P}IPv4Address`],
      '10.0.0.11/24',
      'live Node untouched',
    );
  });

  it('does not copy inherited Kubernetes labels into projectcalico.org/labels (kube-labels, or equal to the live labels)', () => {
    const live = k8sNode();
    const fromEtcd: CalicoResource = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'Node',
      metadata: {
        name: 'worker-1',
        labels: { 'kubernetes.io/hostname': 'worker-1', zone: 'b', 'old-k8s': 'x', mine: 'y' },
        annotations: { [`${P}kube-labels`]: '{"old-k8s":"x"}' },
      },
      spec: {},
    };
    const annotations = (mergeCalicoNodeIntoKubernetesNode(fromEtcd, live).metadata as JsonObject)
      .annotations as JsonObject;
    assert.equal(annotations[`${P}labels`], '{"mine":"y","zone":"b"}');
    assert.equal(annotations[`${P}annotations`], undefined);
    assert.equal(annotations[`${P}kube-labels`], undefined);
  });

  it('writes interfaces as Go does and removes the annotation when there are none', () => {
    const live = k8sNode(FULL);
    const calico = resourceOf(readKubernetesNode(live));
    calico.spec!.interfaces = [{ name: 'eth1', addresses: ['10.1.0.1'] }, { addresses: [] }];
    let annotations = (mergeCalicoNodeIntoKubernetesNode(calico, live).metadata as JsonObject)
      .annotations as JsonObject;
    assert.equal(annotations[`${P}Interfaces`], '[{"name":"eth1","addresses":["10.1.0.1"]},{}]');
    delete calico.spec!.interfaces;
    annotations = (mergeCalicoNodeIntoKubernetesNode(calico, live).metadata as JsonObject)
      .annotations as JsonObject;
    assert.equal(annotations[`${P}Interfaces`], undefined);
  });

  it('refuses a Node of another name, a bad AS number or bad kube-labels', () => {
    const live = k8sNode();
    const calico = resourceOf(readKubernetesNode(live));
    assert.throws(
      () =>
        mergeCalicoNodeIntoKubernetesNode(
          { ...calico, metadata: { ...calico.metadata, name: 'other' } },
          live,
        ),
      {
        name: 'InvalidObjectError',
      },
    );
    const badAs = { ...calico, spec: { bgp: { asNumber: 'many' } } };
    assert.throws(() => mergeCalicoNodeIntoKubernetesNode(badAs, live), {
      name: 'InvalidObjectError',
    });
    const badKube = {
      ...calico,
      metadata: { ...calico.metadata, annotations: { [`${P}kube-labels`]: '{x' } },
    };
    assert.throws(() => mergeCalicoNodeIntoKubernetesNode(badKube, live), {
      name: 'InvalidObjectError',
    });
  });
});
