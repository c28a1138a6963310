import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeMap } from '../../../src/migrate/node-map.js';
import { buildEtcdToKddNodeMap, buildKddToEtcdNodeMap } from '../../../src/migrate/node-map.js';
import { parseNodeMapFile } from '../../../src/migrate/node-map-file.js';
import type { FieldChange } from '../../../src/migrate/rename-nodes.js';
import { renameNodeReferences } from '../../../src/migrate/rename-nodes.js';
import type { CalicoResource } from '../../../src/model/resource.js';
import { affinity, attr, block, C1, handle, node, obj, W1, W2 } from './hybrid-fixture.js';

const toKdd = buildEtcdToKddNodeMap([
  { name: W1, k8sName: 'worker-1' },
  { name: W2, k8sName: 'worker-2' },
  { name: 'master-0', k8sName: 'master-0' },
  { name: C1 },
]);

interface Case {
  title: string;
  input: CalicoResource;
  output: CalicoResource;
  changes: FieldChange[];
  identity?: [string, string];
  map?: NodeMap;
}

const cases: Case[] = [
  {
    title: 'Node: name; the k8s orchRef already points at it',
    input: node(W1, 'worker-1'),
    output: node('worker-1', 'worker-1'),
    changes: [{ path: 'metadata.name', from: W1, to: 'worker-1' }],
    identity: [W1, 'worker-1'],
  },
  {
    title: 'FelixConfiguration node.<name>',
    input: obj('FelixConfiguration', `node.${W1}`, { logSeverityScreen: 'Debug' }),
    output: obj('FelixConfiguration', 'node.worker-1', { logSeverityScreen: 'Debug' }),
    changes: [{ path: 'metadata.name', from: `node.${W1}`, to: 'node.worker-1' }],
    identity: [`node.${W1}`, 'node.worker-1'],
  },
  {
    title: 'BGPConfiguration node.<name>',
    input: obj('BGPConfiguration', `node.${W2}`, { listenPort: 1790 }),
    output: obj('BGPConfiguration', 'node.worker-2', { listenPort: 1790 }),
    changes: [{ path: 'metadata.name', from: `node.${W2}`, to: 'node.worker-2' }],
    identity: [`node.${W2}`, 'node.worker-2'],
  },
  {
    title: 'BlockAffinity (host): spec.node, name recomputed, stale hostname-hash label dropped',
    input: {
      ...affinity(`${W1}-fd00-10-244---122`, W1, 'fd00:10:244::/122'),
      metadata: {
        name: `${W1}-fd00-10-244---122`,
        labels: { 'projectcalico.org/hostname-hash': 'STALE' },
      },
    },
    output: affinity('worker-1-fd00-10-244---122', 'worker-1', 'fd00:10:244::/122'),
    changes: [
      { path: 'spec.node', from: W1, to: 'worker-1' },
      { path: 'metadata.name', from: `${W1}-fd00-10-244---122`, to: 'worker-1-fd00-10-244---122' },
    ],
    identity: [`${W1}-fd00-10-244---122`, 'worker-1-fd00-10-244---122'],
  },
  {
    title: 'IPAMBlock: host affinity, secondary and alternate owner nodes, IPv4 tunnel handles',
    input: block('10-244-0-0-26', '10.244.0.0/26', `host:${W1}`, [
      attr(`ipip-tunnel-addr-${W1}`, { node: W1, type: 'ipipTunnelAddress' }),
      attr(`vxlan-tunnel-addr-${W1}`, { node: W1, type: 'vxlanTunnelAddress' }),
      attr(`wireguard-tunnel-addr-${W1}`, { node: W1, type: 'wireguardTunnelAddress' }),
      attr(
        'k8s-pod-network.4f2cd1e0',
        { namespace: 'default', node: W1, pod: 'web-0' },
        { alternateOwnerAttrs: { namespace: 'default', node: W2, pod: 'web-0' } },
      ),
      attr(`ipip-tunnel-addr-${C1}`, { node: C1, type: 'ipipTunnelAddress' }),
    ]),
    output: block('10-244-0-0-26', '10.244.0.0/26', 'host:worker-1', [
      attr('ipip-tunnel-addr-worker-1', { node: 'worker-1', type: 'ipipTunnelAddress' }),
      attr('vxlan-tunnel-addr-worker-1', { node: 'worker-1', type: 'vxlanTunnelAddress' }),
      attr('wireguard-tunnel-addr-worker-1', { node: 'worker-1', type: 'wireguardTunnelAddress' }),
      attr(
        'k8s-pod-network.4f2cd1e0',
        { namespace: 'default', node: 'worker-1', pod: 'web-0' },
        { alternateOwnerAttrs: { namespace: 'default', node: 'worker-2', pod: 'web-0' } },
      ),
      attr(`ipip-tunnel-addr-${C1}`, { node: C1, type: 'ipipTunnelAddress' }),
    ]),
    changes: [
      { path: 'spec.affinity', from: `host:${W1}`, to: 'host:worker-1' },
      {
        path: 'spec.attributes[0].handle_id',
        from: `ipip-tunnel-addr-${W1}`,
        to: 'ipip-tunnel-addr-worker-1',
      },
      { path: 'spec.attributes[0].secondary.node', from: W1, to: 'worker-1' },
      {
        path: 'spec.attributes[1].handle_id',
        from: `vxlan-tunnel-addr-${W1}`,
        to: 'vxlan-tunnel-addr-worker-1',
      },
      { path: 'spec.attributes[1].secondary.node', from: W1, to: 'worker-1' },
      {
        path: 'spec.attributes[2].handle_id',
        from: `wireguard-tunnel-addr-${W1}`,
        to: 'wireguard-tunnel-addr-worker-1',
      },
      { path: 'spec.attributes[2].secondary.node', from: W1, to: 'worker-1' },
      { path: 'spec.attributes[3].secondary.node', from: W1, to: 'worker-1' },
      { path: 'spec.attributes[3].alternateOwnerAttrs.node', from: W2, to: 'worker-2' },
    ],
  },
  {
    title: 'IPAMBlock: IPv6 tunnel handles',
    input: block('fd00-10-244---122', 'fd00:10:244::/122', `host:${W1}`, [
      attr(`vxlan-v6-tunnel-addr-${W1}`, { node: W1, type: 'vxlanV6TunnelAddress' }),
      attr(`wireguard-v6-tunnel-addr-${W1}`, { node: W1, type: 'wireguardV6TunnelAddress' }),
    ]),
    output: block('fd00-10-244---122', 'fd00:10:244::/122', 'host:worker-1', [
      attr('vxlan-v6-tunnel-addr-worker-1', { node: 'worker-1', type: 'vxlanV6TunnelAddress' }),
      attr('wireguard-v6-tunnel-addr-worker-1', {
        node: 'worker-1',
        type: 'wireguardV6TunnelAddress',
      }),
    ]),
    changes: [
      { path: 'spec.affinity', from: `host:${W1}`, to: 'host:worker-1' },
      {
        path: 'spec.attributes[0].handle_id',
        from: `vxlan-v6-tunnel-addr-${W1}`,
        to: 'vxlan-v6-tunnel-addr-worker-1',
      },
      { path: 'spec.attributes[0].secondary.node', from: W1, to: 'worker-1' },
      {
        path: 'spec.attributes[1].handle_id',
        from: `wireguard-v6-tunnel-addr-${W1}`,
        to: 'wireguard-v6-tunnel-addr-worker-1',
      },
      { path: 'spec.attributes[1].secondary.node', from: W1, to: 'worker-1' },
    ],
  },
  ...['ipip', 'vxlan', 'vxlan-v6', 'wireguard', 'wireguard-v6'].map((kind): Case => ({
    title: `IPAMHandle ${kind}-tunnel-addr-: handleID and lower-cased name`,
    input: handle(`${kind}-tunnel-addr-${W1}`, { '10.244.0.0/26': 1 }),
    output: handle(`${kind}-tunnel-addr-worker-1`, { '10.244.0.0/26': 1 }),
    changes: [
      {
        path: 'spec.handleID',
        from: `${kind}-tunnel-addr-${W1}`,
        to: `${kind}-tunnel-addr-worker-1`,
      },
      {
        path: 'metadata.name',
        from: `${kind}-tunnel-addr-${W1}`,
        to: `${kind}-tunnel-addr-worker-1`,
      },
    ],
    identity: [`${kind}-tunnel-addr-${W1}`, `${kind}-tunnel-addr-worker-1`],
  })),
  ...['HostEndpoint', 'BGPPeer', 'CalicoNodeStatus'].map((kind): Case => ({
    title: `${kind} spec.node`,
    input: obj(kind, 'x', { node: W2, interfaceName: 'eth0' }),
    output: obj(kind, 'x', { node: 'worker-2', interfaceName: 'eth0' }),
    changes: [{ path: 'spec.node', from: W2, to: 'worker-2' }],
  })),
  {
    title: 'WorkloadEndpoint: spec.node and the escaped node segment of the name',
    input: obj(
      'WorkloadEndpoint',
      'k8s--worker--1.example.com-k8s-web--0-eth0',
      { orchestrator: 'k8s', node: W1, pod: 'web-0', endpoint: 'eth0' },
      { namespace: 'default' },
    ),
    output: obj(
      'WorkloadEndpoint',
      'worker--1-k8s-web--0-eth0',
      { orchestrator: 'k8s', node: 'worker-1', pod: 'web-0', endpoint: 'eth0' },
      { namespace: 'default' },
    ),
    changes: [
      { path: 'spec.node', from: W1, to: 'worker-1' },
      {
        path: 'metadata.name',
        from: 'k8s--worker--1.example.com-k8s-web--0-eth0',
        to: 'worker--1-k8s-web--0-eth0',
      },
    ],
    identity: ['k8s--worker--1.example.com-k8s-web--0-eth0', 'worker--1-k8s-web--0-eth0'],
  },
  {
    title: 'Node: a --node-map entry that overrides the orchRef also moves the orchRef',
    input: node(W1, 'worker-1'),
    output: node('worker-one', 'worker-one'),
    map: buildEtcdToKddNodeMap(
      [{ name: W1, k8sName: 'worker-1' }],
      parseNodeMapFile(`${W1} worker-one\n`, 'm'),
    ),
    changes: [
      { path: 'metadata.name', from: W1, to: 'worker-one' },
      { path: 'spec.orchRefs[0].nodeName', from: 'worker-1', to: 'worker-one' },
    ],
    identity: [W1, 'worker-one'],
  },
  {
    title: 'Node: a --node-map entry for a node without orchRef adds the k8s orchRef',
    input: node(C1),
    output: node('c1', 'c1'),
    map: buildEtcdToKddNodeMap([{ name: C1 }], parseNodeMapFile(`${C1} c1\n`, 'm')),
    changes: [
      { path: 'metadata.name', from: C1, to: 'c1' },
      { path: 'spec.orchRefs[0].nodeName', from: '', to: 'c1' },
    ],
    identity: [C1, 'c1'],
  },
  {
    title: 'KDD -> etcd: Node gets its Calico name back, orchRefs keep the Kubernetes name',
    input: node('worker-1', 'worker-1'),
    output: node(W1, 'worker-1'),
    map: buildKddToEtcdNodeMap(parseNodeMapFile(`${W1}: worker-1\n`, 'm')),
    changes: [{ path: 'metadata.name', from: 'worker-1', to: W1 }],
    identity: ['worker-1', W1],
  },
  {
    title: 'KDD -> etcd: BlockAffinity renamed the other way',
    input: affinity('worker-1-10-244-0-0-26', 'worker-1', '10.244.0.0/26'),
    output: affinity(`${W1}-10-244-0-0-26`, W1, '10.244.0.0/26'),
    map: buildKddToEtcdNodeMap(parseNodeMapFile(`${W1}: worker-1\n`, 'm')),
    changes: [
      { path: 'spec.node', from: 'worker-1', to: W1 },
      { path: 'metadata.name', from: 'worker-1-10-244-0-0-26', to: `${W1}-10-244-0-0-26` },
    ],
    identity: ['worker-1-10-244-0-0-26', `${W1}-10-244-0-0-26`],
  },
];

describe('renameNodeReferences', () => {
  for (const { title, input, output, changes, identity, map } of cases) {
    it(title, () => {
      const before = structuredClone(input);
      const outcome = renameNodeReferences(input, map ?? toKdd);
      assert.deepEqual(outcome.resource, output);
      assert.deepEqual(outcome.changes, changes);
      assert.deepEqual(
        outcome.identity && [outcome.identity.from.name, outcome.identity.to.name],
        identity,
      );
      assert.deepEqual(input, before, 'the input is not modified');
    });
  }
});

describe('renameNodeReferences leaves alone', () => {
  const untouched: [string, CalicoResource][] = [
    [
      'a virtual block affinity whose owner has a mapped name (calicoctl turns it into host:)',
      block('192-168-100-0-26', '192.168.100.0/26', `virtual:${W1}`, []),
    ],
    [
      'a virtual BlockAffinity',
      affinity(`${W1}-192-168-100-0-26`, W1, '192.168.100.0/26', 'virtual'),
    ],
    [
      'a block without affinity or node references',
      block('10-244-1-0-26', '10.244.1.0/26', null, [attr('k8s-pod-network.77', { pod: 'db-0' })]),
    ],
    ['an unmapped (OpenStack) node', node(C1)],
    ['a node whose name does not change', node('master-0', 'master-0')],
    ['per-node configuration of an unmapped node', obj('FelixConfiguration', `node.${C1}`, {})],
    ['the default configuration', obj('FelixConfiguration', 'default', {})],
    [
      'a global BGPPeer with selectors naming nodes',
      obj('BGPPeer', 'p', {
        nodeSelector: `kubernetes.io/hostname == '${W1}'`,
        peerSelector: 'all()',
      }),
    ],
    ['a pod handle', handle('k8s-pod-network.4f2cd1e0', { '10.244.0.0/26': 1 })],
    [
      'an OpenStack endpoint',
      obj(
        'WorkloadEndpoint',
        'compute--1-openstack-vm-port',
        { orchestrator: 'openstack', node: C1 },
        { namespace: 'openstack' },
      ),
    ],
    [
      'a LiveMigration naming mapped hosts',
      obj(
        'LiveMigration',
        'lm',
        { source: { workloadEndpoint: { hostname: W1 } } },
        { namespace: 'x' },
      ),
    ],
    [
      'an IP pool with a node selector',
      obj('IPPool', 'p', {
        cidr: '10.0.0.0/16',
        nodeSelector: `kubernetes.io/hostname == '${W1}'`,
      }),
    ],
  ];
  for (const [title, input] of untouched) {
    it(title, () => {
      const outcome = renameNodeReferences(input, toKdd);
      assert.equal(outcome.resource, input, 'the same object comes back');
      assert.deepEqual(outcome.changes, []);
      assert.equal(outcome.identity, undefined);
    });
  }

  it('keeps IPAM sequence numbers beyond 2^53 exact', () => {
    const input = block('10-244-0-64-26', '10.244.0.64/26', `host:${W2}`, []);
    const outcome = renameNodeReferences(input, toKdd);
    assert.equal(outcome.resource.spec?.sequenceNumber, 1770000000000000000n);
  });
});
