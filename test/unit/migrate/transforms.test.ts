import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildHybridContext } from '../../../src/migrate/hybrid-context.js';
import { createHybridFacts, learnFromObject } from '../../../src/migrate/hybrid-facts.js';
import { buildKddToEtcdNodeMap } from '../../../src/migrate/node-map.js';
import { parseNodeMapFile } from '../../../src/migrate/node-map-file.js';
import {
  explainEndpointNotForEtcd,
  transformForEtcd,
} from '../../../src/migrate/transform-for-etcd.js';
import { transformForKdd } from '../../../src/migrate/transform-for-kdd.js';
import { describeRef } from '../../../src/model/resource.js';
import { attr, block, C1, C2, hybridSource, node, obj, pick, W1, W2 } from './hybrid-fixture.js';

describe('transformForKdd over the hybrid fixture (two streaming passes)', () => {
  const source = hybridSource();
  const facts = createHybridFacts();
  for (const object of source) learnFromObject(facts, object);
  const context = buildHybridContext(facts);
  const results = source.map((object) => transformForKdd(object, context));

  it('leaves exactly the OpenStack-side objects in etcd, untouched', () => {
    const staying = results.filter((r) => r.action === 'stay');
    assert.deepEqual(
      staying.map((r) =>
        describeRef({
          kind: r.resource.kind,
          name: r.resource.metadata.name,
          namespace: r.resource.metadata.namespace,
        }),
      ),
      [
        `FelixConfiguration node.${C1}`,
        `Node ${C1}`,
        `Node ${C2}`,
        `BGPPeer tor-c1`,
        'NetworkPolicy openstack/ossg.default.a7c9e2d4-1111-4222-8333-944455556666',
        'NetworkPolicy openstack-region-east/ops-extra',
        'HostEndpoint c1-eth0',
        'Profile openstack-sg-a7c9e2d4-1111-4222-8333-944455556666',
        'WorkloadEndpoint openstack/compute--1-openstack-vm--1-port--1',
        'WorkloadEndpoint openstack-region-east/compute--3-openstack-vm--2-port--2',
        'LiveMigration openstack/compute--2-openstack-vm--1-port--1',
        `IPAMHandle ipip-tunnel-addr-${C1}`,
        `IPAMHandle vxlan-v6-tunnel-addr-${C1}`,
        'IPAMHandle vxlan-tunnel-addr-gone-node',
        `BlockAffinity ${C1}-10-244-128-0-26`,
        `BlockAffinity ${C1}-fd00-10-244--1-0-122`,
        `BlockAffinity ${C2}-10-244-192-0-26`,
        'IPAMBlock 10-244-128-0-26',
        'IPAMBlock fd00-10-244--1-0-122',
        'IPAMBlock 10-244-192-0-26',
        'IPAMBlock 10-99-0-0-26',
        'CalicoNodeStatus c2-status',
      ],
    );
    for (const r of staying) {
      assert.equal(r.resource, source[results.indexOf(r)], 'the same object, not a copy');
      assert.equal(r.rename, undefined);
    }
  });

  it('reports the old and new identity of every renamed moving object', () => {
    const renamed = results
      .filter((r) => r.rename?.identity)
      .map((r) => [r.rename!.identity!.from.name, r.rename!.identity!.to.name]);
    assert.deepEqual(renamed, [
      [`node.${W1}`, 'node.worker-1'],
      [`node.${W2}`, 'node.worker-2'],
      [W1, 'worker-1'],
      [W2, 'worker-2'],
      ['k8s--worker--1.example.com-k8s-web--0-eth0', 'worker--1-k8s-web--0-eth0'],
      [`ipip-tunnel-addr-${W1}`, 'ipip-tunnel-addr-worker-1'],
      [`vxlan-tunnel-addr-${W1}`, 'vxlan-tunnel-addr-worker-1'],
      [`wireguard-tunnel-addr-${W1}`, 'wireguard-tunnel-addr-worker-1'],
      [`vxlan-v6-tunnel-addr-${W1}`, 'vxlan-v6-tunnel-addr-worker-1'],
      [`wireguard-v6-tunnel-addr-${W1}`, 'wireguard-v6-tunnel-addr-worker-1'],
      [`${W1}-10-244-0-0-26`, 'worker-1-10-244-0-0-26'],
      [`${W1}-fd00-10-244---122`, 'worker-1-fd00-10-244---122'],
      [`${W2}-10-244-0-64-26`, 'worker-2-10-244-0-64-26'],
    ]);
  });

  it('renames spec.node of moving host endpoints, peers and status requests without changing their names', () => {
    const specNodes = results
      .filter(
        (r) =>
          r.action === 'move' &&
          ['HostEndpoint', 'BGPPeer', 'CalicoNodeStatus'].includes(r.resource.kind),
      )
      .map((r) => [r.resource.kind, r.resource.metadata.name, r.resource.spec?.node ?? null]);
    assert.deepEqual(specNodes, [
      ['BGPPeer', 'rr-global', null],
      ['BGPPeer', 'tor-w1', 'worker-1'],
      ['BGPPeer', 'by-selector', null],
      ['HostEndpoint', 'w1-eth0', 'worker-1'],
      ['HostEndpoint', `${W2}-auto-hep`, 'worker-2'],
      ['CalicoNodeStatus', 'w1-status', 'worker-1'],
    ]);
  });

  it('moves the unaffined Kubernetes block with its allocation node renamed', () => {
    const moved = results.find((r) => r.resource.metadata.name === '10-244-1-0-26');
    assert.equal(moved?.action, 'move');
    assert.deepEqual(
      moved?.resource,
      block('10-244-1-0-26', '10.244.1.0/26', null, [
        attr('k8s-pod-network.77', { node: 'worker-2', pod: 'db-0', namespace: 'default' }),
      ]),
    );
  });

  it('can move every side when asked to', () => {
    const all = new Set(['kubernetes', 'openstack', 'shared'] as const);
    const c1 = transformForKdd(pick(source, 'Node', C1), context, all);
    assert.equal(c1.action, 'move');
    assert.equal(c1.rename, undefined, 'no Kubernetes name: nothing to rename');
  });
});

describe('explainEndpointNotForEtcd', () => {
  const cases: [string, object, boolean][] = [
    ['a running pod', { ipNetworks: ['10.244.0.2/32'] }, true],
    ['a dual-stack pod', { ipNetworks: ['10.244.0.2/32', 'fd00:10:244::2/128'] }, true],
    ['a pod without an IP yet, or finished', {}, false],
    ['an empty list', { ipNetworks: [] }, false],
  ];
  for (const [title, spec, keep] of cases) {
    it(title, () => {
      const endpoint = obj(
        'WorkloadEndpoint',
        'w1-k8s-p-eth0',
        { orchestrator: 'k8s', node: 'w1', ...spec },
        { namespace: 'default' },
      );
      assert.equal(explainEndpointNotForEtcd(endpoint) === undefined, keep);
    });
  }
});

describe('transformForEtcd', () => {
  const map = buildKddToEtcdNodeMap(
    parseNodeMapFile(`${W1}: worker-1\n`, 'm'),
    new Set(['worker-1', 'worker-2']),
  );

  it("writes running pods' endpoints under the Calico node name the CNI plugin would use", () => {
    const endpoint = obj(
      'WorkloadEndpoint',
      'worker--1-k8s-web--0-eth0',
      {
        orchestrator: 'k8s',
        node: 'worker-1',
        pod: 'web-0',
        endpoint: 'eth0',
        ipNetworks: ['10.244.0.2/32'],
      },
      { namespace: 'default' },
    );
    const result = transformForEtcd(endpoint, map);
    assert.equal(result.action, 'write');
    assert.deepEqual(
      result.resource,
      obj(
        'WorkloadEndpoint',
        'k8s--worker--1.example.com-k8s-web--0-eth0',
        {
          orchestrator: 'k8s',
          node: W1,
          pod: 'web-0',
          endpoint: 'eth0',
          ipNetworks: ['10.244.0.2/32'],
        },
        { namespace: 'default' },
      ),
    );
    assert.deepEqual(result.rename?.identity, {
      from: { kind: 'WorkloadEndpoint', name: 'worker--1-k8s-web--0-eth0', namespace: 'default' },
      to: {
        kind: 'WorkloadEndpoint',
        name: 'k8s--worker--1.example.com-k8s-web--0-eth0',
        namespace: 'default',
      },
    });
  });

  it('skips endpoints of pods without addresses', () => {
    const endpoint = obj(
      'WorkloadEndpoint',
      'worker--2-k8s-job-eth0',
      { orchestrator: 'k8s', node: 'worker-2' },
      { namespace: 'default' },
    );
    const result = transformForEtcd(endpoint, map);
    assert.equal(result.action, 'skip');
    assert.match(result.reason ?? '', /no IP address/);
    assert.equal(result.resource, endpoint);
  });

  it('keeps names as they are without a node map', () => {
    const identity = buildKddToEtcdNodeMap();
    const worker = node('worker-2', 'worker-2');
    const result = transformForEtcd(worker, identity);
    assert.equal(result.action, 'write');
    assert.equal(result.resource, worker);
    assert.equal(result.rename, undefined);
  });
});
