import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MigrationSide } from '../../../src/migrate/classify.js';
import { classifyObject } from '../../../src/migrate/classify.js';
import { buildHybridContext } from '../../../src/migrate/hybrid-context.js';
import { createHybridFacts, learnFromObject } from '../../../src/migrate/hybrid-facts.js';
import { parseNodeMapFile } from '../../../src/migrate/node-map-file.js';
import type { CalicoResource } from '../../../src/model/resource.js';
import { C1, C2, hybridSource, MASTER, obj, pick, W1, W2 } from './hybrid-fixture.js';

function learn(objects: CalicoResource[], nodeMap?: string) {
  const facts = createHybridFacts();
  // The learn pass does not depend on order: feed it backwards.
  for (const object of [...objects].reverse()) learnFromObject(facts, object);
  return buildHybridContext(facts, nodeMap ? parseNodeMapFile(nodeMap, 'map') : []);
}

const source = hybridSource();
const context = learn(source);

const expected: [string, string, MigrationSide][] = [
  ['Tier', 'default', 'shared'],
  ['FelixConfiguration', 'default', 'shared'],
  ['FelixConfiguration', `node.${W1}`, 'kubernetes'],
  ['FelixConfiguration', `node.${C1}`, 'openstack'],
  ['BGPConfiguration', 'default', 'shared'],
  ['BGPConfiguration', `node.${W2}`, 'kubernetes'],
  ['KubeControllersConfiguration', 'default', 'shared'],
  ['IPAMConfiguration', 'default', 'shared'],
  ['Node', W1, 'kubernetes'],
  ['Node', W2, 'kubernetes'],
  ['Node', MASTER, 'kubernetes'],
  ['Node', C1, 'openstack'],
  ['Node', C2, 'openstack'],
  ['IPPool', 'default-ipv4-ippool', 'shared'],
  ['IPPool', 'default-ipv6-ippool', 'shared'],
  ['IPPool', 'k8s-only', 'shared'],
  ['IPPool', 'lb', 'shared'],
  ['IPReservation', 'reserved', 'shared'],
  ['BGPFilter', 'no-default', 'shared'],
  ['BGPPeer', 'rr-global', 'shared'],
  ['BGPPeer', 'tor-w1', 'kubernetes'],
  ['BGPPeer', 'tor-c1', 'openstack'],
  ['BGPPeer', 'by-selector', 'shared'],
  ['GlobalNetworkSet', 'blocked', 'shared'],
  ['NetworkSet', 'office', 'shared'],
  ['GlobalNetworkPolicy', 'allow-dns', 'shared'],
  ['NetworkPolicy', 'knp.default.web', 'kubernetes'],
  ['NetworkPolicy', 'allow-web', 'shared'],
  ['NetworkPolicy', 'ossg.default.a7c9e2d4-1111-4222-8333-944455556666', 'openstack'],
  ['NetworkPolicy', 'ops-extra', 'openstack'],
  ['HostEndpoint', 'w1-eth0', 'kubernetes'],
  ['HostEndpoint', 'c1-eth0', 'openstack'],
  ['HostEndpoint', `${W2}-auto-hep`, 'kubernetes'],
  ['Profile', 'kns.default', 'kubernetes'],
  ['Profile', 'ksa.default.default', 'kubernetes'],
  ['Profile', 'openstack-sg-a7c9e2d4-1111-4222-8333-944455556666', 'openstack'],
  ['Profile', 'legacy-user', 'shared'],
  ['WorkloadEndpoint', 'k8s--worker--1.example.com-k8s-web--0-eth0', 'kubernetes'],
  ['WorkloadEndpoint', 'compute--1-openstack-vm--1-port--1', 'openstack'],
  ['WorkloadEndpoint', 'compute--3-openstack-vm--2-port--2', 'openstack'],
  ['LiveMigration', 'compute--2-openstack-vm--1-port--1', 'openstack'],
  ['IPAMHandle', `ipip-tunnel-addr-${W1}`, 'kubernetes'],
  ['IPAMHandle', `vxlan-tunnel-addr-${W1}`, 'kubernetes'],
  ['IPAMHandle', `wireguard-tunnel-addr-${W1}`, 'kubernetes'],
  ['IPAMHandle', `vxlan-v6-tunnel-addr-${W1}`, 'kubernetes'],
  ['IPAMHandle', `wireguard-v6-tunnel-addr-${W1}`, 'kubernetes'],
  ['IPAMHandle', 'k8s-pod-network.4f2cd1e0', 'kubernetes'],
  ['IPAMHandle', `ipip-tunnel-addr-${C1}`, 'openstack'],
  ['IPAMHandle', `vxlan-v6-tunnel-addr-${C1}`, 'openstack'],
  ['IPAMHandle', 'vxlan-tunnel-addr-gone-node', 'openstack'],
  ['BlockAffinity', `${W1}-10-244-0-0-26`, 'kubernetes'],
  ['BlockAffinity', `${W1}-fd00-10-244---122`, 'kubernetes'],
  ['BlockAffinity', `${W2}-10-244-0-64-26`, 'kubernetes'],
  ['BlockAffinity', `${C1}-10-244-128-0-26`, 'openstack'],
  ['BlockAffinity', `${C1}-fd00-10-244--1-0-122`, 'openstack'],
  ['BlockAffinity', `${C2}-10-244-192-0-26`, 'openstack'],
  ['BlockAffinity', 'load-balancer-192-168-100-0-26', 'kubernetes'],
  ['IPAMBlock', '10-244-0-0-26', 'kubernetes'],
  ['IPAMBlock', 'fd00-10-244---122', 'kubernetes'],
  ['IPAMBlock', '10-244-0-64-26', 'kubernetes'],
  ['IPAMBlock', '10-244-1-0-26', 'kubernetes'],
  ['IPAMBlock', '10-244-128-0-26', 'openstack'],
  ['IPAMBlock', 'fd00-10-244--1-0-122', 'openstack'],
  ['IPAMBlock', '10-244-192-0-26', 'openstack'],
  ['IPAMBlock', '172-16-0-0-26', 'kubernetes'],
  ['IPAMBlock', '192-168-100-0-26', 'kubernetes'],
  ['IPAMBlock', '10-99-0-0-26', 'openstack'],
  ['CalicoNodeStatus', 'w1-status', 'kubernetes'],
  ['CalicoNodeStatus', 'c2-status', 'openstack'],
  ['ClusterInformation', 'default', 'shared'],
];

describe('classifyObject: the hybrid fixture', () => {
  it('covers every object of the fixture', () => {
    assert.deepEqual(
      source.map((o) => `${o.kind} ${o.metadata.name}`).sort(),
      expected.map(([kind, name]) => `${kind} ${name}`).sort(),
    );
  });
  for (const [kind, name, side] of expected) {
    it(`${kind} ${name}: ${side}`, () => {
      assert.equal(classifyObject(pick(source, kind, name), context).side, side);
    });
  }
});

describe('classifyObject: reasons', () => {
  const reasons: [string, string, string][] = [
    ['Node', W1, 'Kubernetes node worker-1 (its k8s orchestrator reference)'],
    ['Node', C1, 'Calico node without a k8s orchestrator reference (not a Kubernetes node)'],
    [
      'BGPPeer',
      'tor-c1',
      `spec.node ${C1}: Calico node without a k8s orchestrator reference (not a Kubernetes node)`,
    ],
    [
      'FelixConfiguration',
      `node.${W1}`,
      `per-node configuration of ${W1}: Kubernetes node worker-1 (its k8s orchestrator reference)`,
    ],
    ['WorkloadEndpoint', 'compute--3-openstack-vm--2-port--2', 'OpenStack VM port'],
    [
      'IPAMBlock',
      '10-244-192-0-26',
      `affine to host ${C2}: Calico node without a k8s orchestrator reference (not a Kubernetes node)`,
    ],
    ['IPAMBlock', '10-244-1-0-26', 'no affinity; all allocations belong to kubernetes hosts'],
    [
      'IPAMBlock',
      '192-168-100-0-26',
      'virtual affinity load-balancer: Kubernetes Service LoadBalancer addresses',
    ],
    [
      'IPAMBlock',
      '10-99-0-0-26',
      'affine to host gone-node: no Calico node of this name (a deleted node, or a host without a Node object); not a Kubernetes node, so its data stays in etcd',
    ],
    [
      'IPAMHandle',
      'vxlan-tunnel-addr-gone-node',
      'tunnel address of gone-node: no Calico node of this name (a deleted node, or a host without a Node object); not a Kubernetes node, so its data stays in etcd',
    ],
    [
      'BlockAffinity',
      `${C1}-10-244-128-0-26`,
      `affinity host ${C1}: Calico node without a k8s orchestrator reference (not a Kubernetes node)`,
    ],
    ['IPAMHandle', `ipip-tunnel-addr-${C1}`, 'its addresses are in openstack blocks'],
    [
      'NetworkPolicy',
      'ops-extra',
      "namespace openstack-region-east is OpenStack's (networking-calico)",
    ],
    [
      'Profile',
      'kns.default',
      'derived Kubernetes object (kns.* profile derived from a Kubernetes Namespace)',
    ],
    [
      'HostEndpoint',
      `${W2}-auto-hep`,
      'derived Kubernetes object (automatic host endpoint created by kube-controllers)',
    ],
    ['IPPool', 'lb', 'IPPool is cluster-wide, not tied to a node or to OpenStack'],
  ];
  for (const [kind, name, reason] of reasons) {
    it(`${kind} ${name}`, () => {
      assert.equal(classifyObject(pick(source, kind, name), context).reason, reason);
    });
  }
});

describe('classifyObject: edge cases', () => {
  it('a --node-map entry makes a node without orchRef Kubernetes-side, with its IPAM', () => {
    const mapped = learn(source, `${C1} compute-1\n`);
    assert.equal(classifyObject(pick(source, 'Node', C1), mapped).side, 'kubernetes');
    assert.equal(
      classifyObject(pick(source, 'IPAMBlock', '10-244-128-0-26'), mapped).side,
      'kubernetes',
    );
    assert.equal(
      classifyObject(pick(source, 'Node', C1), mapped).reason,
      'Kubernetes node compute-1 (--node-map line 1)',
    );
  });

  it('a namespace of both OpenStack and Kubernetes workloads is shared', () => {
    const objects = [
      ...source,
      obj('Profile', 'kns.openstack', {}),
      obj('NetworkPolicy', 'ops-only', { selector: 'all()' }, { namespace: 'openstack' }),
    ];
    const both = learn(objects);
    const policy = pick(objects, 'NetworkPolicy', 'ops-only');
    assert.deepEqual(classifyObject(policy, both), {
      side: 'shared',
      reason: 'namespace openstack holds both OpenStack and Kubernetes workloads',
    });
    // ossg. policies stay OpenStack's whatever the namespace.
    const ossg = pick(
      objects,
      'NetworkPolicy',
      'ossg.default.a7c9e2d4-1111-4222-8333-944455556666',
    );
    assert.equal(classifyObject(ossg, both).side, 'openstack');
  });

  it('a namespace holding OpenStack endpoints is OpenStack-side even without the openstack prefix', () => {
    const objects = [
      obj(
        'WorkloadEndpoint',
        'c--1-openstack-v-p',
        { orchestrator: 'openstack', node: C1 },
        { namespace: 'tenant-x' },
      ),
      obj('NetworkSet', 'tenant-nets', { nets: [] }, { namespace: 'tenant-x' }),
    ];
    assert.equal(classifyObject(objects[1]!, learn(objects)).side, 'openstack');
  });

  it('a handle counting addresses in blocks of both sides is shared; one in no known block and not a tunnel is shared', () => {
    const objects = [
      ...source,
      obj('IPAMHandle', 'k8s-pod-network.split', {
        handleID: 'k8s-pod-network.split',
        block: { '10.244.0.0/26': 1, '10.244.128.0/26': 1 },
      }),
      obj('IPAMHandle', 'k8s-pod-network.lost', { handleID: 'k8s-pod-network.lost', block: {} }),
    ];
    const ctx = learn(objects);
    assert.deepEqual(classifyObject(pick(objects, 'IPAMHandle', 'k8s-pod-network.split'), ctx), {
      side: 'shared',
      reason: 'its addresses are in blocks of both sides',
    });
    assert.deepEqual(classifyObject(pick(objects, 'IPAMHandle', 'k8s-pod-network.lost'), ctx), {
      side: 'shared',
      reason: 'its addresses are in no block of the source',
    });
  });

  it('a block without affinity whose allocations are on both sides is shared', () => {
    const objects = [
      ...source,
      obj('IPAMBlock', '10-244-2-0-26', {
        cidr: '10.244.2.0/26',
        attributes: [{ secondary: { node: W1 } }, { secondary: { node: C1 } }],
      }),
    ];
    assert.deepEqual(classifyObject(pick(objects, 'IPAMBlock', '10-244-2-0-26'), learn(objects)), {
      side: 'shared',
      reason: 'no affinity; allocations belong to Kubernetes and OpenStack hosts',
    });
  });

  it('warns when a Kubernetes node also runs OpenStack endpoints', () => {
    const objects = [
      ...source,
      obj(
        'WorkloadEndpoint',
        'x',
        { orchestrator: 'openstack', node: W1 },
        { namespace: 'openstack' },
      ),
    ];
    assert.deepEqual(learn(objects).warnings, [
      `Kubernetes node ${W1} also runs OpenStack workload endpoints; its node-bound data moves to KDD, the endpoints stay in etcd`,
    ]);
  });
});
