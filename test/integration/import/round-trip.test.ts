/**
 * etcd -> KDD -> etcd, through archives: the dataset's etcd form is exported (archive 1), imported
 * into an empty KDD, KDD is exported (archive 2), that is imported into a wiped etcd, and etcd is
 * exported again (archive 3). For every object KDD can hold, the three archives must hold the same
 * canonical object once recorded facts are stripped (stripForComparison) and the CRD schema
 * defaults the API server adds are applied. In both CRD modes; status is restored
 * (`--restore-status`) so that it travels too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Defaulter } from '../../../src/datastores/kdd/crd-defaults.js';
import { findKind } from '../../../src/model/kinds.js';
import { stripForComparison } from '../../../src/model/normalize.js';
import type { CalicoResource } from '../../../src/model/resource.js';
import type { ArchiveContents } from '../export/support.js';
import { expectTarget, loadSchemaDefaults } from './expectations.js';
import { TARGET_KUBERNETES_NODES, TestServers } from './servers.js';
import { assertExit, exportFrom, importInto } from './support.js';

for (const mode of ['v1', 'v3'] as const) {
  describe(`round trip etcd -> KDD ${mode} -> etcd`, () => {
    let servers: TestServers;
    let defaults: Defaulter;
    const archives: ArchiveContents[] = [];
    let kddHolds: string[];

    before(async () => {
      servers = await TestServers.open(`round-trip-${mode}`);
      defaults = await loadSchemaDefaults(servers.api(mode), mode);
      await servers.seedEtcd();
      const first = await exportFrom(servers.env, servers.dir, 'etcd', '1-etcd.tar.gz');
      await servers.emptyTarget(mode);
      const intoKdd = await importInto(servers.env, servers.dir, first.path, mode, [
        '--restore-status',
      ]);
      assertExit(intoKdd.result, 0, `import into KDD ${mode}`);
      const second = await exportFrom(servers.env, servers.dir, mode, `2-kdd-${mode}.tar.gz`);
      await servers.emptyTarget('etcd');
      const intoEtcd = await importInto(servers.env, servers.dir, second.path, 'etcd');
      assertExit(intoEtcd.result, 0, 'import into etcd');
      const third = await exportFrom(servers.env, servers.dir, 'etcd', '3-etcd.tar.gz');
      archives.push(first.contents, second.contents, third.contents);
      kddHolds = [
        ...expectTarget(first.contents, 'kdd', {
          kubernetesNodes: TARGET_KUBERNETES_NODES,
        }).held.keys(),
      ].sort();
    });

    after(async () => {
      await servers?.close([mode]);
    });

    /** An archive's object in comparable form: no recorded facts, schema defaults applied. */
    const comparable = (archive: ArchiveContents, identity: string): CalicoResource | undefined => {
      const object = archive.objects.get(identity);
      return object && stripForComparison(defaults(object));
    };

    it('the comparison covers every kind KDD can hold that the dataset has', () => {
      const compared = new Set(kddHolds.map((identity) => identity.split(' ')[0]));
      const storable = [...new Set([...archives[0]!.objects.values()].map((o) => o.kind))].filter(
        (kind) => findKind(kind)?.kdd.type === 'crd' || kind === 'Node',
      );
      assert.deepEqual([...compared].sort(), storable.sort());
      assert.ok(storable.length >= 20, `${storable.length} kinds`);
    });

    it('every object KDD can hold is in all three archives', () => {
      for (const [index, archive] of archives.entries()) {
        const missing = kddHolds.filter((identity) => !archive.objects.has(identity));
        assert.deepEqual(missing, [], `archive ${index + 1}`);
      }
    });

    it('the three archives hold the same canonical objects', () => {
      for (const identity of kddHolds) {
        const [first, second, third] = archives.map((archive) => comparable(archive, identity));
        assert.deepStrictEqual(second, first, `${identity}: archive 2 (KDD) vs archive 1 (etcd)`);
        assert.deepStrictEqual(third, first, `${identity}: archive 3 (etcd) vs archive 1 (etcd)`);
      }
    });
  });
}
