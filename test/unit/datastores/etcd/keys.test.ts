import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCidr, parseCidr } from '../../../../src/model/cidr.js';
import { findKind } from '../../../../src/model/kinds.js';
import type { EtcdKeyInfo } from '../../../../src/datastores/etcd/keys.js';
import {
  blockAffinityKey,
  blockKey,
  etcdRangesFor,
  ipamHandleKey,
  IPAM_CONFIG_KEY,
  parseEtcdKey,
  resourceKey,
} from '../../../../src/datastores/etcd/keys.js';

const R = '/calico/resources/v3/projectcalico.org/';
const I = '/calico/ipam/v2/';
const kind = (name: string) => findKind(name)!;

/** A comparable summary of a parse result. */
function describeKey(info: EtcdKeyInfo): unknown {
  switch (info.type) {
    case 'resource':
      return { type: info.type, kind: info.kind.kind, name: info.name, namespace: info.namespace };
    case 'ipam-block':
      return { type: info.type, cidr: formatCidr(info.cidr) };
    case 'block-affinity':
      return {
        type: info.type,
        affinityType: info.affinityType,
        host: info.host,
        cidr: formatCidr(info.cidr),
      };
    default:
      return info;
  }
}

/** Rebuilds the key of a parse result with the key builders. */
function rebuild(info: EtcdKeyInfo): string | undefined {
  switch (info.type) {
    case 'resource':
      return resourceKey(info.kind, info.name, info.namespace);
    case 'ipam-block':
      return blockKey(info.cidr);
    case 'block-affinity':
      return blockAffinityKey(info.affinityType, info.host, info.cidr);
    case 'ipam-handle':
      return ipamHandleKey(info.handleId);
    case 'ipam-config':
      return IPAM_CONFIG_KEY;
    default:
      return undefined;
  }
}

describe('parseEtcdKey: recognised keys', () => {
  const cases: [string, unknown][] = [
    [
      `${R}ippools/default-ipv4-ippool`,
      { type: 'resource', kind: 'IPPool', name: 'default-ipv4-ippool', namespace: undefined },
    ],
    [
      `${R}bgpfilters/f1`,
      { type: 'resource', kind: 'BGPFilter', name: 'f1', namespace: undefined },
    ],
    [
      `${R}globalnetworkpolicies/default.allow-dns`,
      {
        type: 'resource',
        kind: 'GlobalNetworkPolicy',
        name: 'default.allow-dns',
        namespace: undefined,
      },
    ],
    [
      `${R}networkpolicies/prod/knp.default.allow-web`,
      { type: 'resource', kind: 'NetworkPolicy', name: 'knp.default.allow-web', namespace: 'prod' },
    ],
    [
      `${R}stagedkubernetesnetworkpolicies/dev/sknp-1`,
      { type: 'resource', kind: 'StagedKubernetesNetworkPolicy', name: 'sknp-1', namespace: 'dev' },
    ],
    [
      `${R}workloadendpoints/default/node1-k8s-web--0-eth0`,
      {
        type: 'resource',
        kind: 'WorkloadEndpoint',
        name: 'node1-k8s-web--0-eth0',
        namespace: 'default',
      },
    ],
    [
      `${R}profiles/kns.default`,
      { type: 'resource', kind: 'Profile', name: 'kns.default', namespace: undefined },
    ],
    [`${I}assignment/ipv4/block/10.0.0.0-30`, { type: 'ipam-block', cidr: '10.0.0.0/30' }],
    [
      `${I}assignment/ipv6/block/fd00:10:244::-122`,
      { type: 'ipam-block', cidr: 'fd00:10:244::/122' },
    ],
    [
      `${I}host/worker-1/ipv4/block/10.0.0.0-30`,
      { type: 'block-affinity', affinityType: 'host', host: 'worker-1', cidr: '10.0.0.0/30' },
    ],
    [
      `${I}host/worker-2/ipv6/block/fd00:10:244::-122`,
      { type: 'block-affinity', affinityType: 'host', host: 'worker-2', cidr: 'fd00:10:244::/122' },
    ],
    [
      `${I}virtual/load-balancer/ipv4/block/10.1.0.0-26`,
      {
        type: 'block-affinity',
        affinityType: 'virtual',
        host: 'load-balancer',
        cidr: '10.1.0.0/26',
      },
    ],
    [
      `${I}handle/k8s-pod-network.4f2cd1`,
      { type: 'ipam-handle', handleId: 'k8s-pod-network.4f2cd1' },
    ],
    [
      `${I}handle/vxlan-v6-tunnel-addr-Worker.Example`,
      { type: 'ipam-handle', handleId: 'vxlan-v6-tunnel-addr-Worker.Example' },
    ],
    [`${I}config`, { type: 'ipam-config' }],
    [`${I}host/worker-1`, { type: 'ipam-host', host: 'worker-1' }],
  ];
  for (const [key, expected] of cases) {
    it(key, () => {
      const info = parseEtcdKey(key);
      assert.deepEqual(describeKey(info), expected);
      if (info.type !== 'ipam-host')
        assert.equal(rebuild(info), key, 'the builders give the key back');
    });
  }

  it('unescapes %2f and %25 as model/name.go does, so the key does not rebuild', () => {
    const key = `${R}globalnetworksets/a%2fb%25c`;
    const info = parseEtcdKey(key);
    assert.deepEqual(describeKey(info), {
      type: 'resource',
      kind: 'GlobalNetworkSet',
      name: 'a/b%c',
      namespace: undefined,
    });
    assert.notEqual(rebuild(info), key);
    // Go's unescapeName only knows the lower-case form.
    assert.deepEqual(describeKey(parseEtcdKey(`${R}globalnetworksets/a%2Fb`)), {
      type: 'resource',
      kind: 'GlobalNetworkSet',
      name: 'a%2Fb',
      namespace: undefined,
    });
  });
});

describe('parseEtcdKey: unrecognised keys', () => {
  const cases: [string, RegExp][] = [
    [`${R}ipamconfigurations/default`, /etcd-only v3 IPAMConfiguration/],
    [`${R}blockaffinities/worker-1-10-0-0-0-30`, /etcd-only v3 BlockAffinity/],
    [`${R}ipamconfigs/default`, /IPAMConfig is not stored in etcd/],
    [`${R}kubernetesnetworkpolicies/ns/p`, /KubernetesNetworkPolicy is not stored/],
    [`${R}widgets/w1`, /unknown v3 resource type widgets/],
    [`${R}networkpolicies/p1`, /wrong number of segments/],
    [`${R}ippools/ns/p1`, /wrong number of segments/],
    [`${R}ippools/`, /not a v3 resource key/],
    [`${R}networkpolicies/ns/a/b`, /not a v3 resource key/],
    [`${I}assignment/ipv4/block/10.0.0.5-30`, /not in canonical form/],
    [`${I}assignment/ipv6/block/FD00:10:244::-122`, /not in canonical form/],
    [`${I}assignment/ipv6/block/10.0.0.0-30`, /ipv6 does not match/],
    [`${I}assignment/ipv4/block/10.0.0.0-33`, /invalid CIDR/],
    [`${I}@/worker-1/ipv4/block/10.0.0.0-30`, /unrecognised IPAM key/],
    [`${I}host/worker-1/ipv4/block/`, /unrecognised IPAM key/],
    [`${I}handle/a/b`, /unrecognised IPAM key/],
    [`${I}config/extra`, /unrecognised IPAM key/],
    ['/calico/felix/v2/no-region/host/worker-1/status', /outside/],
    ['/calico/v1/Ready', /outside/],
  ];
  for (const [key, reason] of cases) {
    it(key, () => {
      const info = parseEtcdKey(key);
      assert.equal(info.type, 'unrecognised');
      assert.match((info as { reason: string }).reason, reason);
    });
  }
});

describe('key builders', () => {
  it('builds IPAM keys with the masked canonical CIDR', () => {
    assert.equal(blockKey(parseCidr('10.0.0.7/30')!), `${I}assignment/ipv4/block/10.0.0.4-30`);
    assert.equal(
      blockKey(parseCidr('FD00:10:244:0:0:0:0:0/122')!),
      `${I}assignment/ipv6/block/fd00:10:244::-122`,
    );
    assert.equal(
      blockAffinityKey('', 'worker-2', parseCidr('fd00:10:244::/122')!),
      `${I}host/worker-2/ipv6/block/fd00:10:244::-122`,
    );
  });

  it('builds v3 resource keys without escaping', () => {
    assert.equal(
      resourceKey(kind('NetworkPolicy'), 'default.p', 'ns1'),
      `${R}networkpolicies/ns1/default.p`,
    );
    assert.equal(resourceKey(kind('Tier'), 'default'), `${R}tiers/default`);
    assert.throws(() => resourceKey(kind('IPAMBlock'), 'x'));
  });

  it('lists the ranges of each kind', () => {
    assert.deepEqual(etcdRangesFor(kind('IPPool')), [{ key: `${R}ippools/`, prefix: true }]);
    assert.deepEqual(etcdRangesFor(kind('BlockAffinity')), [
      { key: `${I}host/`, prefix: true },
      { key: `${I}virtual/`, prefix: true },
    ]);
    assert.deepEqual(etcdRangesFor(kind('IPAMConfiguration')), [
      { key: IPAM_CONFIG_KEY, prefix: false },
    ]);
    assert.deepEqual(etcdRangesFor(kind('KubernetesService')), []);
  });
});
