import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildHybridContext } from '../../../src/migrate/hybrid-context.js';
import { createHybridFacts, learnFromObject } from '../../../src/migrate/hybrid-facts.js';
import { assessPools } from '../../../src/migrate/pool-risks.js';
import type { CalicoResource } from '../../../src/model/resource.js';
import { block, C1, hybridSource, node, obj, W1 } from './hybrid-fixture.js';

function assess(objects: CalicoResource[]) {
  const facts = createHybridFacts();
  for (const object of objects) learnFromObject(facts, object);
  return assessPools(buildHybridContext(facts));
}

const none = { kubernetes: [], openstack: [], shared: [] };

describe('assessPools: the hybrid fixture', () => {
  const result = assess(hybridSource());

  it("counts every pool's blocks per side", () => {
    assert.deepEqual(result.pools, [
      {
        pool: 'default-ipv4-ippool',
        cidr: '10.244.0.0/16',
        blocks: { kubernetes: 3, openstack: 2, shared: 0 },
      },
      {
        pool: 'default-ipv6-ippool',
        cidr: 'fd00:10:244::/64',
        blocks: { kubernetes: 1, openstack: 1, shared: 0 },
      },
      {
        pool: 'k8s-only',
        cidr: '172.16.0.0/24',
        blocks: { kubernetes: 1, openstack: 0, shared: 0 },
      },
      { pool: 'lb', cidr: '192.168.100.0/24', blocks: { kubernetes: 1, openstack: 0, shared: 0 } },
    ]);
  });

  it('lists blocks outside every pool', () => {
    assert.deepEqual(result.blocksOutsidePools, ['10-99-0-0-26']);
  });

  it('flags exactly the pools with blocks on both sides', () => {
    assert.deepEqual(
      result.risks.map((risk) => risk.pool),
      ['default-ipv4-ippool', 'default-ipv6-ippool'],
    );
  });

  it('IPv4: each side already in its own half', () => {
    assert.deepEqual(result.risks[0], {
      pool: 'default-ipv4-ippool',
      cidr: '10.244.0.0/16',
      blocks: { kubernetes: 3, openstack: 2, shared: 0 },
      risk:
        'IP pool default-ipv4-ippool (10.244.0.0/16) has 3 block(s) on Kubernetes nodes and 2 on ' +
        'OpenStack hosts. After the split, Calico in KDD and Calico in etcd both allocate from this ' +
        'pool independently, each without seeing the blocks of the other, so they can claim the same ' +
        'block and hand out the same addresses.',
      split: {
        kubernetesCidr: '10.244.0.0/17',
        openstackCidr: '10.244.128.0/17',
        inKubernetesHalf: {
          kubernetes: ['10-244-0-0-26', '10-244-0-64-26', '10-244-1-0-26'],
          openstack: [],
          shared: [],
        },
        inOpenStackHalf: {
          kubernetes: [],
          openstack: ['10-244-128-0-26', '10-244-192-0-26'],
          shared: [],
        },
      },
      reservations: { kdd: ['10.244.128.0/17'], etcd: ['10.244.0.0/17'] },
      suggestion:
        'Divide the range: 10.244.0.0/17 for Kubernetes, 10.244.128.0/17 for OpenStack. In KDD create ' +
        'an IPReservation for 10.244.128.0/17; in etcd create one for 10.244.0.0/17. The pool stays as ' +
        "it is on both sides (pools cannot overlap and a pool's CIDR cannot change); reservations only " +
        'stop new allocations, addresses in use keep working.',
    });
  });

  it('IPv6: both blocks in the lower half; a tie gives Kubernetes the lower half', () => {
    const risk = result.risks[1]!;
    assert.deepEqual(risk.split, {
      kubernetesCidr: 'fd00:10:244::/65',
      openstackCidr: 'fd00:10:244:0:8000::/65',
      inKubernetesHalf: {
        kubernetes: ['fd00-10-244---122'],
        openstack: ['fd00-10-244--1-0-122'],
        shared: [],
      },
      inOpenStackHalf: none,
    });
    assert.deepEqual(risk.reservations, {
      kdd: ['fd00:10:244:0:8000::/65', 'fd00:10:244::1:0/122'],
      etcd: ['fd00:10:244::/65'],
    });
    assert.match(
      risk.suggestion,
      /OpenStack block\(s\) fd00-10-244--1-0-122 lie in the Kubernetes half: add their CIDRs to the reservation in KDD, so that Calico in KDD never claims them\.$/,
    );
  });
});

describe('assessPools: choosing halves', () => {
  const base = [
    node(W1, 'worker-1'),
    node(C1),
    obj('IPPool', 'p', { cidr: '10.2.0.0/24', blockSize: 26 }),
  ];

  it('gives each side the half holding most of its blocks, and lists the strays', () => {
    const result = assess([
      ...base,
      block('10-2-0-0-26', '10.2.0.0/26', `host:${C1}`, []),
      block('10-2-0-64-26', '10.2.0.64/26', `host:${W1}`, []),
      block('10-2-0-128-26', '10.2.0.128/26', `host:${W1}`, []),
      block('10-2-0-192-26', '10.2.0.192/26', null, []),
    ]);
    const [risk] = result.risks;
    assert.deepEqual(risk?.blocks, { kubernetes: 2, openstack: 1, shared: 1 });
    assert.deepEqual(risk?.split, {
      kubernetesCidr: '10.2.0.128/25',
      openstackCidr: '10.2.0.0/25',
      inKubernetesHalf: { kubernetes: ['10-2-0-128-26'], openstack: [], shared: ['10-2-0-192-26'] },
      inOpenStackHalf: { kubernetes: ['10-2-0-64-26'], openstack: ['10-2-0-0-26'], shared: [] },
    });
    assert.deepEqual(risk?.reservations, {
      kdd: ['10.2.0.0/25'],
      etcd: ['10.2.0.128/25', '10.2.0.64/26'],
    });
    assert.match(
      risk?.risk ?? '',
      / 1 block\(s\) without a single owner are copied to both datastores/,
    );
    assert.match(
      risk?.suggestion ?? '',
      /Kubernetes block\(s\) 10-2-0-64-26 lie in the OpenStack half: add their CIDRs to the reservation in etcd/,
    );
  });

  it("cannot divide a pool that one block spans, and reserves each side's blocks instead", () => {
    const result = assess([
      node(W1, 'worker-1'),
      node(C1),
      obj('IPPool', 'small', { cidr: '10.3.0.0/26', blockSize: 26 }),
      block('10-3-0-0-27', '10.3.0.0/27', `host:${W1}`, []),
      block('10-3-0-32-27', '10.3.0.32/27', `host:${C1}`, []),
    ]);
    const [risk] = result.risks;
    assert.equal(risk?.split, undefined);
    assert.deepEqual(risk?.reservations, { kdd: ['10.3.0.32/27'], etcd: ['10.3.0.0/27'] });
    assert.equal(
      risk?.suggestion,
      '10.3.0.0/26 cannot be divided (one block spans it). Leave it to Kubernetes: in etcd set ' +
        'spec.nodeSelector: "!all()" on small and give OpenStack hosts a new pool outside 10.3.0.0/26; ' +
        'in KDD reserve the OpenStack blocks with an IPReservation (the CIDRs listed), and in etcd the ' +
        'Kubernetes blocks.',
    );
  });

  it('puts a block in the narrowest pool containing it and ignores other families', () => {
    const result = assess([
      node(W1, 'worker-1'),
      obj('IPPool', 'wide', { cidr: '10.0.0.0/8' }),
      obj('IPPool', 'narrow', { cidr: '10.5.0.0/16' }),
      obj('IPPool', 'v6', { cidr: 'fd00::/48' }),
      block('10-5-0-0-26', '10.5.0.0/26', `host:${W1}`, []),
    ]);
    assert.deepEqual(
      result.pools.map((p) => [p.pool, p.blocks.kubernetes]),
      [
        ['narrow', 1],
        ['v6', 0],
        ['wide', 0],
      ],
    );
    assert.deepEqual(result.risks, []);
  });
});
