import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeEtcdEntry,
  encodeEtcdEntry,
  encodeRawEntry,
  etcdKeyOf,
  etcdTargetFor,
} from '../../../../src/datastores/etcd/codec.js';
import { UnsupportedOperationError } from '../../../../src/model/errors.js';
import { jsonEqual, parseJson } from '../../../../src/model/json.js';
import type { CalicoResource } from '../../../../src/model/resource.js';
import { FIXTURES } from './fixtures.js';

function decodeResource(
  key: string,
  value: string | Buffer,
  rev: string | number | bigint = '7',
): CalicoResource {
  const item = decodeEtcdEntry(key, typeof value === 'string' ? Buffer.from(value) : value, rev);
  assert.equal(item.type, 'resource', item.type === 'raw' ? `raw: ${item.raw.reason}` : '');
  return (item as { resource: CalicoResource }).resource;
}

describe('round trip of values Calico writes', () => {
  for (const fixture of FIXTURES) {
    it(`${fixture.version} ${fixture.key}`, () => {
      const resource = decodeResource(fixture.key, fixture.value, '1234');
      assert.equal(resource.kind, fixture.kind);
      assert.equal(resource.apiVersion, 'projectcalico.org/v3');
      assert.equal(resource.metadata.name, fixture.name);
      assert.equal(resource.metadata.namespace, fixture.namespace);
      assert.equal(resource.metadata.resourceVersion, '1234');
      assert.equal(resource.metadata.annotations?.['projectcalico.org/metadata'], undefined);

      const written = encodeEtcdEntry(resource, etcdTargetFor(fixture.version));
      assert.equal(written.key, fixture.key);
      assert.ok(jsonEqual(parseJson(written.value), parseJson(fixture.value)), written.value);
      assert.equal(written.value, fixture.value, 'identical bytes');
      assert.equal(etcdKeyOf(resource, etcdTargetFor(fixture.version)), fixture.key);
    });
  }

  it('decodes the same canonical object from every version that stores a policy', () => {
    const names = FIXTURES.filter(
      (f) => f.kind === 'GlobalNetworkPolicy' && f.name === 'allow-dns',
    ).map((f) => decodeResource(f.key, f.value).metadata.name);
    assert.deepEqual(names, ['allow-dns', 'allow-dns', 'allow-dns']);
  });
});

describe('decodeEtcdEntry: raw entries', () => {
  const cases: [key: string, value: Buffer, reason: RegExp][] = [
    [
      '/calico/resources/v3/projectcalico.org/ippools/p1',
      Buffer.from('{"kind":'),
      /not valid JSON/,
    ],
    [
      '/calico/resources/v3/projectcalico.org/ippools/p1',
      Buffer.from('[1,2]'),
      /not a JSON object/,
    ],
    ['/calico/resources/v3/projectcalico.org/ippools/p1', Buffer.from(''), /not valid JSON/],
    [
      '/calico/resources/v3/projectcalico.org/ippools/p1',
      Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
      /UTF-8/,
    ],
    [
      '/calico/resources/v3/projectcalico.org/widgets/w1',
      Buffer.from('{}'),
      /unknown v3 resource type/,
    ],
    ['/calico/ipam/v2/host/worker-1', Buffer.from('{}'), /legacy IPAM host key/],
    ['/calico/ipam/v2/assignment/ipv4/block/10.0.0.0-30', Buffer.from(''), /empty value/],
    ['/calico/ipam/v2/handle/h1', Buffer.from('not json'), /not valid JSON/],
    ['/calico/felix/v2/no-region/host/h/status', Buffer.from('{"time":"x"}'), /outside/],
  ];
  for (const [key, value, reason] of cases) {
    it(`${key} ${JSON.stringify(value.toString('latin1'))}`, () => {
      const item = decodeEtcdEntry(key, value, 9);
      assert.equal(item.type, 'raw');
      if (item.type !== 'raw') return;
      assert.equal(item.raw.source, 'etcd');
      assert.equal(item.raw.key, key);
      assert.ok(item.raw.value.equals(value), 'bytes kept exactly');
      assert.match(item.raw.reason, reason);
      assert.deepEqual(encodeRawEntry(item.raw), { key, value });
    });
  }

  it('copies the bytes of a raw entry', () => {
    const value = Buffer.from('garbage');
    const item = decodeEtcdEntry('/calico/ipam/v2/unknown/x', value, '1');
    value[0] = 0x47;
    assert.equal(item.type === 'raw' && item.raw.value.toString(), 'garbage');
  });

  it('never throws, whatever the input', () => {
    const keys = [
      '',
      '/',
      '/calico/resources/v3/projectcalico.org/',
      '/calico/ipam/v2/',
      '/calico/ipam/v2/config',
    ];
    const values = [
      '',
      'null',
      '{}',
      '{"metadata":null}',
      '{"metadata":{"name":1}}',
      '\u0000',
      '{"a":1e999}',
    ];
    for (const key of keys)
      for (const value of values) decodeEtcdEntry(key, Buffer.from(value), '1');
  });

  it('takes the mod-revision as text, number or bigint', () => {
    const key = '/calico/resources/v3/projectcalico.org/tiers/t1';
    const value =
      '{"kind":"Tier","apiVersion":"projectcalico.org/v3","metadata":{"name":"t1"},"spec":{"order":5}}';
    assert.equal(decodeResource(key, value, 12).metadata.resourceVersion, '12');
    assert.equal(
      decodeResource(key, value, 9007199254740993n).metadata.resourceVersion,
      '9007199254740993',
    );
  });
});

describe('encodeRawEntry', () => {
  it('refuses raw entries from KDD', () => {
    assert.throws(
      () =>
        encodeRawEntry({ source: 'kdd', key: '/apis/x', value: Buffer.from('{}'), reason: 'r' }),
      UnsupportedOperationError,
    );
  });
});

describe('encodeEtcdEntry: kinds etcd does not store', () => {
  for (const kind of ['KubernetesNetworkPolicy', 'IPAMConfig', 'DatastoreMigration', 'Widget']) {
    it(kind, () => {
      const resource = {
        apiVersion: 'projectcalico.org/v3',
        kind,
        metadata: { name: 'x', namespace: 'n' },
        spec: {},
      };
      assert.throws(
        () => encodeEtcdEntry(resource, etcdTargetFor(undefined)),
        UnsupportedOperationError,
      );
    });
  }
});
