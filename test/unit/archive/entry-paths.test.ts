import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkPathSafety,
  parseEntryPath,
  rawEntryPaths,
  resourceEntryPath,
} from '../../../src/archive/entry-paths.js';
import { ArchiveFormatError } from '../../../src/model/errors.js';
import { findKind, listExportedKinds } from '../../../src/model/kinds.js';

const kind = (name: string) => {
  const info = findKind(name);
  assert.ok(info, name);
  return info;
};

describe('entry paths', () => {
  it('builds cluster and namespaced object paths from plural, namespace and name', () => {
    assert.equal(
      resourceEntryPath(kind('Tier'), 'default'),
      'resources/tiers/cluster/default.json',
    );
    assert.equal(
      resourceEntryPath(kind('NetworkPolicy'), 'a/b', 'ns.1'),
      'resources/networkpolicies/namespaces/ns.1/a%2Fb.json',
    );
  });

  it('parses every path it builds back to the same kind, namespace and name', () => {
    for (const info of listExportedKinds()) {
      for (const name of ['x', '..', 'ñ/%', 'y.json']) {
        const namespace = info.scope === 'namespaced' ? '.ns' : undefined;
        const path = resourceEntryPath(info, name, namespace);
        const parsed = parseEntryPath(path, 'test');
        assert.equal(parsed.type, 'resource');
        assert.ok(parsed.type === 'resource');
        assert.equal(parsed.info.kind, info.kind);
        assert.equal(parsed.name, name);
        assert.equal(parsed.namespace, namespace);
      }
    }
  });

  it('gives raw entries a metadata path and a value path that never collide', () => {
    const a = rawEntryPaths('etcd', 'k');
    const b = rawEntryPaths('etcd', 'k.meta');
    const c = rawEntryPaths('etcd', 'k.meta.json');
    const all = [a, b, c].flatMap((p) => [p.meta, p.value]);
    assert.equal(new Set(all).size, all.length);
    assert.deepEqual(parseEntryPath(c.meta, 't'), {
      type: 'raw-meta',
      path: c.meta,
      source: 'etcd',
      key: 'k.meta.json',
    });
    assert.deepEqual(parseEntryPath(b.value, 't'), {
      type: 'raw-value',
      path: b.value,
      source: 'etcd',
      key: 'k.meta',
    });
  });

  const unsafe: [string, RegExp][] = [
    ['../x', /"\.\." segment/],
    ['resources/../../etc/passwd', /"\.\." segment/],
    ['/etc/passwd', /absolute/],
    ['resources\\tiers\\cluster\\x.json', /backslash/],
    ['resources/tiers/cluster/x\0.json', /NUL/],
    ['resources//tiers', /empty or "\." segment/],
    ['./resources/tiers/cluster/x.json', /empty or "\." segment/],
    ['resources/tiers/cluster/a b.json', /characters outside/],
    ['etc/passwd', /not under/],
    ['resources', /not under/],
    ['', /empty/],
  ];
  for (const [path, why] of unsafe) {
    it(`refuses the unsafe path ${JSON.stringify(path)}`, () => {
      assert.throws(
        () => checkPathSafety(path, 'a.tar.gz'),
        (error: Error) => {
          assert.ok(error instanceof ArchiveFormatError);
          assert.match(error.message, /^a\.tar\.gz: entry path .* is unsafe/);
          assert.match(error.message, why);
          return true;
        },
      );
    });
  }

  const unknown: [string, RegExp][] = [
    ['resources/foos/cluster/x.json', /kind this calico-migrate does not know.*upgrade/],
    ['resources/ipamconfigs/cluster/default.json', /IPAMConfig, which archives never contain/],
    ['resources/tiers/namespaces/ns/x.json', /cluster-scoped/],
    [
      'resources/networkpolicies/cluster/x.json',
      /NetworkPolicy is namespaced, so its entries are resources\/networkpolicies\/namespaces/,
    ],
    ['resources/tiers/cluster/x.yaml', /cluster-scoped/],
    ['resources/tiers/cluster/%41.json', /canonical way/],
    ['raw/consul/x.bin', /etcd or kdd/],
    ['raw/etcd/x.txt', /\.meta\.json or \.bin/],
    ['calico-migrate/a/b', /nothing is nested/],
  ];
  for (const [path, why] of unknown) {
    it(`refuses ${path}`, () => {
      assert.throws(
        () => parseEntryPath(path, 't'),
        (error: Error) => error instanceof ArchiveFormatError && why.test(error.message),
      );
    });
  }
});
