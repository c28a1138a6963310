/**
 * `calico-migrate export` against the real test servers: the logical dataset
 * (test/fixtures/dataset) is seeded into Calico's etcd, into a kube-apiserver in v1 CRD mode and
 * into one in v3 CRD mode, each is exported through the CLI, and every object of each archive is
 * checked against the expected canonical object; then the three archives' portable objects are
 * compared with each other. Runs under the datastore lock (the servers are shared).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Etcd3 } from 'etcd3';
import { stripForComparison } from '../../../src/model/normalize.js';
import type { CrdMode } from '../../fixtures/dataset/index.js';
import {
  buildKddSeed,
  DATASET_CALICO_VERSION,
  DATASET_CLUSTER_GUID,
  ETCD_OBJECTS,
  ETCD_ONLY_RAW,
  ETCD_SKIPPED,
  identityOf,
  PORTABLE,
} from '../../fixtures/dataset/index.js';
import type { SavedEtcd } from '../../helpers/clean-datastores.js';
import {
  acquireDatastoreLock,
  restoreEtcdCalico,
  saveEtcdCalico,
  wipeEtcdCalico,
  wipeKdd,
} from '../../helpers/clean-datastores.js';
import { runCli } from '../../helpers/run-cli.js';
import { openTestEtcd, seedEtcdDataset } from '../../helpers/seed-etcd.js';
import type { KddFacts } from '../../helpers/seed-kdd.js';
import { KubeApi, seedKdd } from '../../helpers/seed-kdd.js';
import type { TestEnv } from '../../helpers/testenv.js';
import { loadTestEnv } from '../../helpers/testenv.js';
import type { BackendExport } from './archive-checks.js';
import { describeArchiveChecks, EXPORTED_KINDS } from './archive-checks.js';
import {
  etcdFlags,
  expectedKddObjects,
  expectedObjects,
  kddFlags,
  readArchiveContents,
} from './support.js';

describe('export of one logical dataset from etcd, KDD v1 and KDD v3', () => {
  let env: TestEnv;
  let release: (() => void) | undefined;
  let etcd: Etcd3;
  let savedEtcd: SavedEtcd | undefined;
  const apis: Partial<Record<CrdMode, KubeApi>> = {};
  let dir: string;
  const exports: Partial<Record<'etcd' | CrdMode, BackendExport>> = {};
  const need = (name: 'etcd' | CrdMode) => () => {
    const done = exports[name];
    if (!done)
      throw new Error(`the ${name} export did not run (see the failure in its before hook)`);
    return done;
  };

  before(async () => {
    env = loadTestEnv();
    release = await acquireDatastoreLock();
    etcd = openTestEtcd(env);
    savedEtcd = await saveEtcdCalico(etcd);
    for (const mode of ['v1', 'v3'] as const) apis[mode] = await KubeApi.forApiserver(env, mode);
    dir = mkdtempSync(join(tmpdir(), 'calico-migrate-export-'));
  });

  after(async () => {
    try {
      if (savedEtcd) await restoreEtcdCalico(etcd, savedEtcd);
      for (const api of Object.values(apis)) await wipeKdd(api);
    } finally {
      etcd?.close();
      rmSync(dir, { recursive: true, force: true });
      release?.();
    }
  });

  describe('etcd (TLS etcd 3.4): portable and etcd-only parts', () => {
    let revisionAfterSeed: number;
    before(async () => {
      await wipeEtcdCalico(etcd);
      await seedEtcdDataset(etcd);
      const status = await etcd.kv.range({
        key: Buffer.from('/calico/'),
        limit: 1,
        keys_only: true,
      });
      revisionAfterSeed = Number(status.header.revision);
      const path = join(dir, 'etcd.tar.gz');
      // umask 0: the archive must still be 0600 (the writer sets the mode explicitly).
      const result = await runCli(['export', ...etcdFlags(env), '-o', path], { umask: 0 });
      assert.equal(result.code, 0, result.stderr);
      exports.etcd = {
        result,
        archive: await readArchiveContents(path),
        expected: expectedObjects(ETCD_OBJECTS),
      };
    });

    describeArchiveChecks(need('etcd'), ETCD_OBJECTS);

    it('writes the archive file with mode 0600 even under umask 0', () => {
      assert.equal(statSync(join(dir, 'etcd.tar.gz')).mode & 0o777, 0o600);
    });

    it('keeps every raw entry byte for byte, with its reason', () => {
      const { archive } = need('etcd')();
      const byKey = new Map(archive.raws.map((raw) => [raw.key, raw]));
      assert.deepEqual([...byKey.keys()].sort(), ETCD_ONLY_RAW.map((raw) => raw.key).sort());
      for (const expected of ETCD_ONLY_RAW) {
        const raw = byKey.get(expected.key)!;
        assert.equal(raw.source, 'etcd');
        assert.ok(raw.value.equals(expected.value), `${expected.key}: bytes kept exactly`);
        assert.match(raw.reason, expected.reason, expected.key);
      }
      const counted = Object.values(archive.manifest.counts.raw).reduce((a, b) => a + b, 0);
      assert.equal(counted, ETCD_ONLY_RAW.length);
    });

    it('warns that a policy is stored twice and keeps the first copy', () => {
      const { archive, result } = need('etcd')();
      assert.deepEqual(archive.manifest.warnings, [
        'GlobalNetworkPolicy dup-policy is stored twice; the second copy is kept as a raw entry',
      ]);
      assert.match(result.stderr, /dup-policy is stored twice/);
    });

    it('counts the runtime keys it skipped, and exports none of them', () => {
      const { archive } = need('etcd')();
      const skipped = Object.entries(archive.manifest.counts.skipped);
      for (const group of ETCD_SKIPPED) {
        const found = skipped.filter(([reason]) => group.pattern.test(reason));
        assert.equal(found.length, 1, `one skipped reason matches ${group.pattern}`);
        assert.equal(found[0]![1], group.keys.length, String(group.pattern));
      }
      assert.equal(skipped.length, ETCD_SKIPPED.length);
    });

    it('records the source: endpoint, pinned revision, Calico version and cluster GUID', () => {
      const { archive } = need('etcd')();
      const { source } = archive.manifest;
      assert.equal(source.type, 'etcdv3');
      assert.deepEqual(source.endpoints, env.etcd.endpoints);
      assert.equal(source.calicoVersion, DATASET_CALICO_VERSION);
      assert.equal(source.clusterGUID, DATASET_CLUSTER_GUID);
      assert.equal(source.locked, false);
      assert.equal(source.position?.type, 'etcd');
      const revision = Number((source.position as { revision: string }).revision);
      assert.ok(revision >= revisionAfterSeed, `revision ${revision} is at or after the seed`);
      assert.equal(source.crdMode, undefined);
    });

    it('covers every exported kind of the kinds table', () => {
      const kinds = new Set([...need('etcd')().archive.objects.values()].map((o) => o.kind));
      assert.deepEqual([...kinds].sort(), [...EXPORTED_KINDS].sort());
    });
  });

  for (const mode of ['v1', 'v3'] as const) {
    describe(`KDD in ${mode} CRD mode (kube-apiserver 1.36): portable part`, () => {
      let facts: KddFacts;
      before(async () => {
        const api = apis[mode]!;
        await wipeKdd(api);
        facts = await seedKdd(api, buildKddSeed(mode));
        const path = join(dir, `kdd-${mode}.tar.gz`);
        const result = await runCli(['export', ...kddFlags(env, mode), '-o', path]);
        assert.equal(result.code, 0, result.stderr);
        exports[mode] = {
          result,
          archive: await readArchiveContents(path),
          expected: expectedKddObjects(PORTABLE, facts),
        };
      });

      describeArchiveChecks(need(mode), PORTABLE);

      it('writes the archive file with mode 0600', () => {
        assert.equal(statSync(join(dir, `kdd-${mode}.tar.gz`)).mode & 0o777, 0o600);
      });

      it('has no raw entries and no warnings', () => {
        const { archive } = need(mode)();
        assert.deepEqual(archive.raws, []);
        assert.deepEqual(archive.manifest.warnings, []);
      });

      it('skips, and counts, what Calico itself does not show', () => {
        const skipped = need(mode)().archive.manifest.counts.skipped;
        const count = (pattern: RegExp) =>
          Object.entries(skipped)
            .filter(([reason]) => pattern.test(reason))
            .reduce((sum, [, n]) => sum + n, 0);
        assert.equal(count(/host-network/), 1, 'the host-networked pod');
        assert.equal(count(/not-scheduled/), 1, 'the unscheduled pod');
        assert.equal(count(/^IPAMHandle: .*soft-deleted/), 1);
        assert.equal(count(/^IPAMBlock: .*soft-deleted/), 1);
        assert.equal(count(/^BlockAffinity: .*soft-deleted/), 1);
        assert.ok(Object.keys(skipped).some((reason) => /LiveMigration/.test(reason)));
      });

      it('records the source: API server, CRD mode, Calico version, cluster GUID, list versions', () => {
        const { source } = need(mode)().archive.manifest;
        assert.equal(source.type, 'kubernetes');
        assert.deepEqual(source.endpoints, [env.apiservers[mode]!.url]);
        assert.equal(source.crdMode, mode);
        assert.equal(source.calicoVersion, DATASET_CALICO_VERSION);
        assert.equal(source.clusterGUID, DATASET_CLUSTER_GUID);
        assert.equal(source.locked, false);
        assert.equal(source.position?.type, 'kdd');
        const versions = (source.position as { resourceVersions: Record<string, string> })
          .resourceVersions;
        const group = mode === 'v1' ? 'crd.projectcalico.org' : 'projectcalico.org';
        const plural = mode === 'v1' ? 'ipamconfigs' : 'ipamconfigurations';
        for (const key of [
          'nodes',
          'namespaces',
          'serviceaccounts',
          'pods',
          `tiers.${group}`,
          `${plural}.${group}`,
        ])
          assert.match(versions[key] ?? '', /^\d+$/, `resourceVersion of ${key}`);
      });

      it('covers every exported kind except LiveMigration (not read from KDD)', () => {
        const kinds = new Set([...need(mode)().archive.objects.values()].map((o) => o.kind));
        const expected = EXPORTED_KINDS.filter((kind) => kind !== 'LiveMigration');
        assert.deepEqual([...kinds].sort(), expected.sort());
      });
    });
  }

  describe('across backends', () => {
    /** An archive's portable objects, reduced to what must match (no recorded facts). */
    const comparable = (backend: 'etcd' | CrdMode) => {
      const { archive, result } = need(backend)();
      assert.equal(result.code, 0);
      const portable = new Set(PORTABLE.map((entry) => identityOf(entry.object)));
      return new Map(
        [...archive.objects]
          .filter(([identity]) => portable.has(identity))
          .map(([identity, object]) => [identity, stripForComparison(object)]),
      );
    };
    const derivedMarks = (backend: 'etcd' | CrdMode) =>
      [...need(backend)().archive.records]
        .filter(
          ([identity, record]) =>
            record.derived && PORTABLE.some((e) => identityOf(e.object) === identity),
        )
        .map(([identity]) => identity)
        .sort();

    it('etcd, KDD v1 and KDD v3 export the same portable objects (uid/creationTimestamp aside)', () => {
      const etcdObjects = comparable('etcd');
      assert.equal(etcdObjects.size, PORTABLE.length);
      assert.deepStrictEqual(comparable('v1'), etcdObjects, 'KDD v1 vs etcd');
      assert.deepStrictEqual(comparable('v3'), etcdObjects, 'KDD v3 vs etcd');
    });

    it('the three exports mark the same objects as derived', () => {
      assert.deepEqual(derivedMarks('v1'), derivedMarks('etcd'));
      assert.deepEqual(derivedMarks('v3'), derivedMarks('etcd'));
    });

    it('the comparison notices a single changed field', () => {
      const objects = comparable('v3');
      const [identity, object] = [...objects].find(([id]) => id.startsWith('IPAMBlock '))!;
      const changed = structuredClone(object);
      (changed.spec!.unallocated as number[]).reverse();
      const altered = new Map(objects).set(identity, changed);
      assert.throws(() => assert.deepStrictEqual(altered, comparable('etcd')));
    });
  });
});
