import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeEtcdEntry,
  encodeEtcdEntry,
  etcdTargetFor,
} from '../../../../src/datastores/etcd/codec.js';
import { InvalidObjectError, UnsupportedOperationError } from '../../../../src/model/errors.js';
import type { JsonObject } from '../../../../src/model/json.js';
import { parseJson } from '../../../../src/model/json.js';
import { policyNameProblem } from '../../../../src/model/policy-names.js';
import type { CalicoResource } from '../../../../src/model/resource.js';

const R = '/calico/resources/v3/projectcalico.org/';
const TARGETS = {
  'v3.28': etcdTargetFor('v3.28.5'),
  'v3.29': etcdTargetFor('v3.29.7'),
  'v3.30': etcdTargetFor('v3.30.0'),
  'v3.31': etcdTargetFor('v3.31.7'),
  'v3.32': etcdTargetFor('v3.32.0'),
  HEAD: etcdTargetFor(undefined),
};
type Version = keyof typeof TARGETS;

function decode(key: string, value: string): CalicoResource {
  const item = decodeEtcdEntry(key, Buffer.from(value), '3');
  assert.equal(item.type, 'resource', item.type === 'raw' ? `raw: ${item.raw.reason}` : '');
  return (item as { resource: CalicoResource }).resource;
}

function rawReason(key: string, value: string): string {
  const item = decodeEtcdEntry(key, Buffer.from(value), '3');
  assert.equal(item.type, 'raw');
  return item.type === 'raw' ? item.raw.reason : '';
}

function policy(
  kind: string,
  name: string,
  tier?: string,
  namespace?: string,
  extra: JsonObject = {},
): CalicoResource {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}), ...extra },
    spec: { ...(tier === undefined ? {} : { tier }), selector: 'all()' },
  };
}

/** The stored metadata of an encoded object. */
function storedMeta(value: string): JsonObject {
  return (parseJson(value) as JsonObject).metadata as JsonObject;
}

describe('policy names by target version', () => {
  // [kind, v3 name, tier, namespace, {version: [stored name, annotation?]}]
  type Row = [string, string, string | undefined, string | undefined, Record<Version, string>];
  const rows: Row[] = [
    [
      'GlobalNetworkPolicy',
      'foo',
      'default',
      undefined,
      {
        'v3.28': 'default.foo',
        'v3.29': 'default.foo',
        'v3.30': 'default.foo',
        'v3.31': 'default.foo',
        'v3.32': 'foo',
        HEAD: 'foo',
      },
    ],
    [
      'NetworkPolicy',
      'foo',
      undefined,
      'ns1',
      {
        'v3.28': 'default.foo',
        'v3.29': 'default.foo',
        'v3.30': 'default.foo',
        'v3.31': 'default.foo',
        'v3.32': 'foo',
        HEAD: 'foo',
      },
    ],
    [
      'GlobalNetworkPolicy',
      't.foo',
      't',
      undefined,
      {
        'v3.28': 'default.t.foo',
        'v3.29': 't.foo',
        'v3.30': 't.foo',
        'v3.31': 't.foo',
        'v3.32': 't.foo',
        HEAD: 't.foo',
      },
    ],
    [
      'StagedNetworkPolicy',
      'foo',
      'default',
      'ns1',
      {
        'v3.28': 'default.foo',
        'v3.29': 'default.foo',
        'v3.30': 'default.foo',
        'v3.31': 'default.foo',
        'v3.32': 'foo',
        HEAD: 'foo',
      },
    ],
    [
      'NetworkPolicy',
      'knp.default.web',
      'default',
      'ns1',
      {
        'v3.28': 'knp.default.web',
        'v3.29': 'knp.default.web',
        'v3.30': 'knp.default.web',
        'v3.31': 'knp.default.web',
        'v3.32': 'knp.default.web',
        HEAD: 'knp.default.web',
      },
    ],
    [
      'NetworkPolicy',
      'ossg.default.sg1',
      'default',
      'ns1',
      {
        'v3.28': 'ossg.default.sg1',
        'v3.29': 'ossg.default.sg1',
        'v3.30': 'ossg.default.sg1',
        'v3.31': 'ossg.default.sg1',
        'v3.32': 'ossg.default.sg1',
        HEAD: 'ossg.default.sg1',
      },
    ],
    [
      'StagedKubernetesNetworkPolicy',
      'default.foo',
      undefined,
      'ns1',
      {
        'v3.28': 'default.foo',
        'v3.29': 'default.foo',
        'v3.30': 'default.foo',
        'v3.31': 'default.foo',
        'v3.32': 'default.foo',
        HEAD: 'default.foo',
      },
    ],
  ];
  const plural: Record<string, string> = {
    GlobalNetworkPolicy: 'globalnetworkpolicies',
    NetworkPolicy: 'networkpolicies',
    StagedNetworkPolicy: 'stagednetworkpolicies',
    StagedKubernetesNetworkPolicy: 'stagedkubernetesnetworkpolicies',
  };
  for (const [kind, name, tier, namespace, stored] of rows) {
    for (const version of Object.keys(TARGETS) as Version[]) {
      it(`${kind} ${name} -> ${version} ${stored[version]}`, () => {
        const target = TARGETS[version];
        const written = encodeEtcdEntry(policy(kind, name, tier, namespace), target);
        const path = namespace ? `${namespace}/${stored[version]}` : stored[version];
        assert.equal(written.key, `${R}${plural[kind]}/${path}`);
        const meta = storedMeta(written.value);
        assert.equal(meta.name, stored[version], 'stored metadata.name is the storage name');
        const tiered = kind !== 'StagedKubernetesNetworkPolicy';
        const annotation = (meta.annotations as JsonObject | undefined)?.[
          'projectcalico.org/metadata'
        ];
        assert.equal(
          annotation,
          tiered && target.policyNames.nameAnnotation ? `{"name":"${name}"}` : undefined,
        );
        // Reading it back gives the v3 name, unless the version cannot hold it (no tiers before 3.29).
        const back = decode(written.key, written.value);
        const problem = policyNameProblem({ kind, name, tier }, target.policyNames);
        assert.equal(back.metadata.name === name, problem === undefined, problem);
        assert.equal(back.metadata.annotations, undefined, 'an emptied annotations map is removed');
      });
    }
  }

  it('reads old default.-prefixed names without an annotation', () => {
    const gnp = decode(
      `${R}globalnetworkpolicies/default.foo`,
      '{"kind":"GlobalNetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"default.foo"},"spec":{"selector":"all()"}}',
    );
    assert.equal(gnp.metadata.name, 'foo');
    const tiered = decode(
      `${R}globalnetworkpolicies/default.foo`,
      '{"kind":"GlobalNetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"default.foo"},"spec":{"tier":"other"}}',
    );
    assert.equal(tiered.metadata.name, 'default.foo', 'only the default tier loses the prefix');
  });

  it('takes the annotated name and keeps other annotations', () => {
    const value = String.raw`{"kind":"NetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"default.foo","namespace":"ns1","annotations":{"a":"1","projectcalico.org/metadata":"{\"name\":\"default.foo\"}"}},"spec":{"tier":"default"}}`;
    const np = decode(`${R}networkpolicies/ns1/default.foo`, value);
    assert.equal(np.metadata.name, 'default.foo');
    assert.deepEqual(np.metadata.annotations, { a: '1' });
    assert.equal(encodeEtcdEntry(np, TARGETS['v3.31']).value, value);
  });

  it('leaves the annotation of other kinds alone', () => {
    const value = String.raw`{"kind":"GlobalNetworkSet","apiVersion":"projectcalico.org/v3","metadata":{"name":"default.set","annotations":{"projectcalico.org/metadata":"{\"name\":\"x\"}"}},"spec":{"nets":["10.0.0.0/8"]}}`;
    const set = decode(`${R}globalnetworksets/default.set`, value);
    assert.equal(set.metadata.name, 'default.set');
    assert.equal(set.metadata.annotations?.['projectcalico.org/metadata'], '{"name":"x"}');
    assert.equal(encodeEtcdEntry(set, TARGETS.HEAD).value, value);
  });

  it('keeps policies with an unreadable name annotation raw', () => {
    const key = `${R}globalnetworkpolicies/foo`;
    const meta = (annotation: string) =>
      `{"kind":"GlobalNetworkPolicy","metadata":{"name":"foo","annotations":{"projectcalico.org/metadata":${JSON.stringify(annotation)}}},"spec":{}}`;
    assert.match(rawReason(key, meta('{not json')), /invalid projectcalico.org\/metadata/);
    assert.match(rawReason(key, meta('[1]')), /invalid projectcalico.org\/metadata/);
    assert.match(rawReason(key, meta('{"name":5}')), /invalid name/);
  });
});

describe('v3 resources', () => {
  it('fills kind, apiVersion and the namespace from the key when the value lacks them', () => {
    const np = decode(
      `${R}networksets/ns1/set-1`,
      '{"metadata":{"name":"set-1"},"spec":{"nets":[]}}',
    );
    assert.equal(np.kind, 'NetworkSet');
    assert.equal(np.apiVersion, 'projectcalico.org/v3');
    assert.equal(np.metadata.namespace, 'ns1');
    assert.equal(np.metadata.resourceVersion, '3');
  });

  it('writes metadata in ObjectMeta order, maps sorted, without resourceVersion or selfLink', () => {
    const resource: CalicoResource = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'HostEndpoint',
      metadata: {
        annotations: { z: '1', a: '2' },
        labels: { role: 'db', app: 'x' },
        resourceVersion: '99',
        selfLink: '/x',
        creationTimestamp: '2025-01-01T00:00:00Z',
        uid: 'u-1',
        name: 'worker-1-eth0',
        finalizers: ['f'],
      },
      spec: { node: 'worker-1', interfaceName: 'eth0', expectedIPs: ['192.168.1.10'] },
    };
    const written = encodeEtcdEntry(resource, TARGETS.HEAD);
    assert.equal(written.key, `${R}hostendpoints/worker-1-eth0`);
    assert.equal(
      written.value,
      '{"kind":"HostEndpoint","apiVersion":"projectcalico.org/v3","metadata":{"name":"worker-1-eth0","uid":"u-1","creationTimestamp":"2025-01-01T00:00:00Z","labels":{"app":"x","role":"db"},"annotations":{"a":"2","z":"1"},"finalizers":["f"]},"spec":{"node":"worker-1","interfaceName":"eth0","expectedIPs":["192.168.1.10"]}}',
    );
  });

  it('omits empty label and annotation maps', () => {
    const read = decode(
      `${R}tiers/t1`,
      '{"kind":"Tier","metadata":{"name":"t1","labels":{},"annotations":{}},"spec":{"order":1}}',
    );
    assert.deepEqual(read.metadata, { name: 't1', resourceVersion: '3' });
    const resource = policy('GlobalNetworkPolicy', 'p', 'default', undefined, {
      labels: {},
      annotations: {},
    });
    assert.doesNotMatch(encodeEtcdEntry(resource, TARGETS['v3.29']).value, /labels|annotations/);
  });

  it('keeps ipamconfigurations/default and blockaffinities raw', () => {
    assert.match(
      rawReason(
        `${R}ipamconfigurations/default`,
        '{"kind":"IPAMConfiguration","apiVersion":"projectcalico.org/v3","metadata":{"name":"default"},"spec":{"strictAffinity":false,"autoAllocateBlocks":true}}',
      ),
      /etcd-only v3 IPAMConfiguration/,
    );
    assert.match(
      rawReason(
        `${R}blockaffinities/w-10-0-0-0-30`,
        '{"kind":"BlockAffinity","apiVersion":"projectcalico.org/v3","metadata":{"name":"w-10-0-0-0-30"},"spec":{"state":"confirmed","node":"w","cidr":"10.0.0.0/30","deleted":"false"}}',
      ),
      /etcd-only v3 BlockAffinity/,
    );
  });

  it('keeps a stored projectcalico-default-allow profile raw and never writes one', () => {
    const value =
      '{"kind":"Profile","apiVersion":"projectcalico.org/v3","metadata":{"name":"projectcalico-default-allow"},"spec":{}}';
    assert.match(rawReason(`${R}profiles/projectcalico-default-allow`, value), /synthesized/);
    const profile = JSON.parse(value) as CalicoResource;
    assert.throws(() => encodeEtcdEntry(profile, TARGETS.HEAD), UnsupportedOperationError);
  });

  const mismatches: [string, string, RegExp][] = [
    [
      `${R}ippools/p1`,
      '{"kind":"IPPool","metadata":{"name":"p2"},"spec":{}}',
      /does not match the key name/,
    ],
    [
      `${R}ippools/p1`,
      '{"kind":"BGPPeer","metadata":{"name":"p1"},"spec":{}}',
      /stored kind BGPPeer/,
    ],
    [
      `${R}ippools/p1`,
      '{"kind":"IPPool","apiVersion":"crd.projectcalico.org/v1","metadata":{"name":"p1"}}',
      /apiVersion/,
    ],
    [
      `${R}ippools/p1`,
      '{"kind":"IPPool","metadata":{"name":"p1","namespace":"ns"}}',
      /cluster-scoped IPPool has a namespace/,
    ],
    [`${R}ippools/p1`, '{"kind":"IPPool","spec":{}}', /no metadata.name/],
    [
      `${R}ippools/p1`,
      '{"kind":"IPPool","metadata":{"name":"p1"},"spec":[]}',
      /spec is not an object/,
    ],
    [
      `${R}networksets/ns1/s1`,
      '{"metadata":{"name":"s1","namespace":"ns2"}}',
      /does not match the key namespace/,
    ],
    [`${R}globalnetworksets/a%2fb`, '{"metadata":{"name":"a/b"}}', /escape sequences/],
    [
      `${R}globalnetworkpolicies/default.p`,
      '{"metadata":{"name":"p"},"spec":{}}',
      /does not match the key name/,
    ],
  ];
  for (const [key, value, reason] of mismatches) {
    it(`keeps ${key} ${value} raw`, () => assert.match(rawReason(key, value), reason));
  }

  it('refuses objects without the name or namespace their key needs', () => {
    const np = policy('NetworkPolicy', 'p', 'default');
    assert.throws(() => encodeEtcdEntry(np, TARGETS.HEAD), InvalidObjectError);
    const gnp = policy('GlobalNetworkPolicy', 'p', 'default', 'ns1');
    assert.throws(() => encodeEtcdEntry(gnp, TARGETS.HEAD), InvalidObjectError);
    assert.throws(
      () => encodeEtcdEntry(policy('GlobalNetworkPolicy', 'a/b'), TARGETS.HEAD),
      InvalidObjectError,
    );
  });
});
