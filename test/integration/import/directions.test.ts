/**
 * Restoring into an empty target, in every direction and CRD mode: etcd->etcd, etcd->KDD v1/v3,
 * KDD v1->v1, v3->v3, v1->v3, v3->v1, KDD v1/v3->etcd. The sources are the dataset's etcd form
 * (portable and etcd-only parts) and its KDD forms (portable part), each exported through the CLI.
 * For each direction: `import` exits 0, `verify --against` exits 0, and exporting the target again
 * gives back every archived object, with only the differences test/integration/import/expectations.ts
 * allows; what KDD cannot hold is reported as skipped with its reason, never dropped silently.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Defaulter } from '../../../src/datastores/kdd/crd-defaults.js';
import { buildEtcdSeed } from '../../fixtures/dataset/index.js';
import type { ArchiveContents } from '../export/support.js';
import type { TargetExpectation } from './expectations.js';
import {
  assertSkipsReported,
  assertTargetHolds,
  expectTarget,
  loadSchemaDefaults,
} from './expectations.js';
import { DUPLICATE_COPY_KEY, TARGET_KUBERNETES_NODES, TestServers } from './servers.js';
import type { ReportedRun } from './support.js';
import {
  assertExit,
  exportFrom,
  importInto,
  planOf,
  resultOf,
  totalOf,
  verifyAgainst,
} from './support.js';

type Source = 'etcd' | 'v1' | 'v3';
type Target = 'etcd' | 'v1' | 'v3';

const DIRECTIONS: [Source, Target][] = [
  ['etcd', 'etcd'],
  ['etcd', 'v1'],
  ['etcd', 'v3'],
  ['v1', 'v1'],
  ['v3', 'v3'],
  ['v1', 'v3'],
  ['v3', 'v1'],
  ['v1', 'etcd'],
  ['v3', 'etcd'],
];

describe('import into an empty target: every direction, both CRD modes', () => {
  let servers: TestServers;
  const sources: Partial<Record<Source, { path: string; contents: ArchiveContents }>> = {};
  const defaults: Partial<Record<'v1' | 'v3', Defaulter>> = {};

  before(async () => {
    servers = await TestServers.open('directions');
    await servers.seedEtcd();
    sources.etcd = await exportFrom(servers.env, servers.dir, 'etcd', 'source-etcd.tar.gz');
    for (const mode of ['v1', 'v3'] as const) {
      await servers.seedKdd(mode);
      sources[mode] = await exportFrom(servers.env, servers.dir, mode, `source-${mode}.tar.gz`);
      defaults[mode] = await loadSchemaDefaults(servers.api(mode), mode);
    }
  });

  after(async () => {
    await servers?.close();
  });

  for (const [source, target] of DIRECTIONS) {
    describe(`${source} -> ${target}`, () => {
      const kdd = target !== 'etcd';
      // KDD keeps status only when asked; ask, so that status is compared too.
      const statusFlags = kdd ? ['--restore-status'] : [];
      let imported: ReportedRun;
      let verified: ReportedRun;
      let expectation: TargetExpectation;
      let targetExport: ArchiveContents;
      let archive: { path: string; contents: ArchiveContents };

      before(async () => {
        archive = sources[source]!;
        await servers.emptyTarget(target);
        imported = await importInto(servers.env, servers.dir, archive.path, target, statusFlags);
        verified = await verifyAgainst(servers.env, servers.dir, archive.path, target, statusFlags);
        targetExport = (await exportFrom(servers.env, servers.dir, target)).contents;
        expectation = expectTarget(archive.contents, kdd ? 'kdd' : 'etcd', {
          kubernetesNodes: TARGET_KUBERNETES_NODES,
          defaults: kdd ? defaults[target as 'v1' | 'v3'] : undefined,
          restoreStatus: kdd,
        });
      });

      it('import exits 0: everything written and verified, nothing failed', () => {
        assertExit(imported.result, 0, 'import');
        const result = resultOf(imported.report)!;
        assert.equal(imported.report.exitCode, 0);
        assert.deepEqual(result.failures, []);
        assert.deepEqual(result.missing, []);
        assert.deepEqual(result.differences, []);
        assert.deepEqual(result.conflicts, []);
        assert.equal(totalOf(planOf(imported.report), 'create'), expectation.held.size);
        assert.equal(totalOf(result, 'create'), expectation.held.size);
        assert.equal(totalOf(result, 'matched'), expectation.held.size);
      });

      it('verify --against exits 0 and matches every object the target can hold', () => {
        assertExit(verified.result, 0, 'verify');
        const result = resultOf(verified.report)!;
        assert.equal(totalOf(result, 'matched'), expectation.held.size);
        assert.equal(totalOf(result, 'missing') + totalOf(result, 'different'), 0);
        assert.match(verified.result.stdout.toString('utf8'), /^verify .* against /m);
      });

      it('exporting the target again gives back the archived objects', () => {
        assertTargetHolds(expectation, targetExport, kdd ? 'kdd' : 'etcd');
      });

      if (kdd) {
        it('reports what KDD cannot hold as skipped, with the reason', () => {
          assertSkipsReported(expectation, resultOf(imported.report)!);
          assertSkipsReported(expectation, planOf(imported.report));
          assert.ok(expectation.notHeld.size > 0, 'the source has objects KDD cannot hold');
          assert.match(imported.result.stderr, /skipped: \d+/);
        });
      }

      if (source === 'etcd' && kdd) {
        it('reports every raw entry as not restorable into KDD', () => {
          const raws = archive.contents.raws;
          assert.ok(raws.length > 0);
          assert.equal(resultOf(imported.report)!.raw.skip, raws.length);
          for (const raw of raws) {
            const warning = planOf(imported.report).warnings.find((w) =>
              w.startsWith(`raw ${raw.key}: skip: `),
            );
            assert.match(warning ?? `no warning for ${raw.key}`, /restorable only into etcd/);
          }
        });
      }

      if (source === 'etcd' && target === 'etcd') {
        it('restores every raw entry byte for byte', () => {
          const raws = archive.contents.raws;
          assert.ok(raws.length > 0);
          assert.equal(resultOf(imported.report)!.raw.create, raws.length);
          assert.equal(resultOf(verified.report)!.raw.matched, raws.length);
          const back = new Map(targetExport.raws.map((raw) => [raw.key, raw.value]));
          for (const raw of raws) assert.deepEqual(back.get(raw.key), raw.value, raw.key);
        });
      }
    });
  }

  describe('etcd -> etcd with a policy stored twice', () => {
    it('the second copy collides with the restored first copy: a reported raw conflict, exit 1', async () => {
      await servers.seedEtcd(buildEtcdSeed());
      const { path } = await exportFrom(servers.env, servers.dir, 'etcd', 'with-duplicate.tar.gz');
      await servers.emptyTarget('etcd');
      const run = await importInto(servers.env, servers.dir, path, 'etcd');
      assertExit(run.result, 1, 'import');
      const result = resultOf(run.report)!;
      assert.equal(result.raw.conflict, 1);
      assert.ok(
        result.warnings.some((w) => w.startsWith(`raw ${DUPLICATE_COPY_KEY}: conflict: `)),
        `the colliding key is named: ${result.warnings.join('\n')}`,
      );
      assert.deepEqual(result.failures, []);
      assert.deepEqual(result.differences, []);
    });
  });
});
