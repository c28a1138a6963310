/**
 * `import --dry-run` writes nothing. Into etcd it plans (the target is compared before and after,
 * key by key with its revision). Into KDD it also sends every write as a server-side dry run
 * (`dryRun=All`), so the real CRD schemas validate the objects: an archive with an IPPool whose
 * `vxlanMode` the CRD's enum rejects is reported as failed (exit 1), still without writing
 * anything, while the same archive without it validates cleanly (exit 0).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CalicoResource } from '../../../src/model/resource.js';
import { TestServers } from './servers.js';
import type { ReportedRun } from './support.js';
import {
  assertExit,
  calicoObject,
  exportFrom,
  identityOfListed,
  importInto,
  planOf,
  resultOf,
  totalOf,
  verifyAgainst,
  writeTestArchive,
} from './support.js';
import type { TargetState } from './target-state.js';
import { assertUnchanged, readEtcdState, readKddState } from './target-state.js';

const V3 = '/calico/resources/v3/projectcalico.org/';
/** Objects deleted from the etcd target so that the dry run has something to create. */
const DELETED_KEYS = [
  `${V3}globalnetworksets/known-bad-hosts`,
  `${V3}networksets/shop/external-apis`,
  '/calico/ipam/v2/handle/ipip-tunnel-addr-worker-1',
];

/** A valid archive for KDD, plus (optionally) an IPPool the CRD schema rejects. */
function kddArchiveObjects(withInvalidPool: boolean): CalicoResource[] {
  return [
    calicoObject('Tier', 'dry-run', { order: 300, defaultAction: 'Pass' }),
    calicoObject('Node', 'worker-1', { bgp: { ipv4Address: '192.0.2.11/24' } }),
    calicoObject('IPPool', 'good-pool', {
      cidr: '10.50.0.0/16',
      ipipMode: 'Never',
      vxlanMode: 'Always',
      natOutgoing: true,
      blockSize: 26,
      nodeSelector: 'all()',
    }),
    ...(withInvalidPool
      ? [
          // The CRD's enum is Never, Always, CrossSubnet (crd.projectcalico.org_ippools.yaml).
          calicoObject('IPPool', 'bad-pool', {
            cidr: '10.60.0.0/16',
            vxlanMode: 'Sometimes',
            nodeSelector: 'all()',
          }),
        ]
      : []),
    calicoObject('GlobalNetworkSet', 'dry-run-nets', { nets: ['198.51.100.0/24'] }),
  ];
}

describe('import --dry-run', () => {
  let servers: TestServers;

  before(async () => {
    servers = await TestServers.open('dry-run');
  });

  after(async () => {
    await servers?.close(['v1', 'v3']);
  });

  describe('into etcd: plans, writes nothing', () => {
    let archive: string;
    let run: ReportedRun;
    let stateBefore: TargetState;
    let stateAfter: TargetState;

    before(async () => {
      await servers.seedEtcd();
      archive = (await exportFrom(servers.env, servers.dir, 'etcd', 'etcd-source.tar.gz')).path;
      await servers.emptyTarget('etcd');
      assertExit((await importInto(servers.env, servers.dir, archive, 'etcd')).result, 0, 'import');
      for (const key of DELETED_KEYS) await servers.etcd.delete().key(key);
      stateBefore = await readEtcdState(servers.etcd);
      run = await importInto(servers.env, servers.dir, archive, 'etcd', ['--dry-run']);
      stateAfter = await readEtcdState(servers.etcd);
    });

    it('exits 0 with the plan: the three deleted objects to create, the rest unchanged', () => {
      assertExit(run.result, 0, 'import --dry-run');
      const plan = planOf(run.report);
      assert.equal(totalOf(plan, 'create'), DELETED_KEYS.length);
      assert.ok(totalOf(plan, 'unchanged') > 50);
      assert.equal(run.report.dryRun, true);
      assert.equal(resultOf(run.report), undefined, 'nothing was applied');
      assert.match(run.result.stderr, /dry run: nothing was written/);
    });

    it('writes nothing: every key and revision as before', () => {
      assertUnchanged(stateBefore, stateAfter, 'import --dry-run into etcd');
      for (const key of DELETED_KEYS) assert.ok(!stateAfter.has(key), `${key} still absent`);
    });

    it('verify still finds the three objects missing', async () => {
      const verified = await verifyAgainst(servers.env, servers.dir, archive, 'etcd');
      assertExit(verified.result, 1, 'verify');
      assert.equal(resultOf(verified.report)!.missing.length, DELETED_KEYS.length);
    });
  });

  for (const mode of ['v1', 'v3'] as const) {
    describe(`into KDD ${mode}: a server-side dry run validates every write`, () => {
      let invalid: ReportedRun;
      let valid: ReportedRun;
      let stateBefore: TargetState;
      let stateAfterInvalid: TargetState;
      let stateAfterValid: TargetState;

      before(async () => {
        const invalidArchive = await writeTestArchive(
          join(servers.dir, `invalid-${mode}.tar.gz`),
          kddArchiveObjects(true),
        );
        const validArchive = await writeTestArchive(
          join(servers.dir, `valid-${mode}.tar.gz`),
          kddArchiveObjects(false),
        );
        await servers.emptyTarget(mode);
        const api = servers.api(mode);
        stateBefore = await readKddState(api);
        invalid = await importInto(servers.env, servers.dir, invalidArchive, mode, ['--dry-run']);
        stateAfterInvalid = await readKddState(api);
        valid = await importInto(servers.env, servers.dir, validArchive, mode, ['--dry-run']);
        stateAfterValid = await readKddState(api);
      });

      it('reports the IPPool the CRD schema rejects as failed, with the server message (exit 1)', () => {
        assertExit(invalid.result, 1, 'import --dry-run');
        const result = resultOf(invalid.report)!;
        assert.deepEqual(result.failures.map(identityOfListed), ['IPPool bad-pool']);
        assert.match(result.failures[0]!.reason, /vxlanMode/);
        assert.match(result.failures[0]!.reason, /Sometimes/);
        assert.match(invalid.result.stderr, /IPPool bad-pool: .*vxlanMode/);
      });

      it('validates the other objects (Node data included) as creates', () => {
        const result = resultOf(invalid.report)!;
        assert.equal(totalOf(result, 'create'), 4);
        assert.equal(totalOf(planOf(invalid.report), 'create'), 5);
        assert.equal(invalid.report.dryRun, true);
      });

      it('writes nothing, even for the valid objects', () => {
        assertUnchanged(stateBefore, stateAfterInvalid, `import --dry-run into ${mode}`);
      });

      it('the archive without the bad pool validates cleanly (exit 0), and writes nothing', () => {
        assertExit(valid.result, 0, 'import --dry-run');
        const result = resultOf(valid.report)!;
        assert.deepEqual(result.failures, []);
        assert.equal(totalOf(result, 'create'), 4);
        assert.match(valid.result.stderr, /dry run: nothing was written/);
        assertUnchanged(stateBefore, stateAfterValid, `valid import --dry-run into ${mode}`);
      });
    });
  }
});
