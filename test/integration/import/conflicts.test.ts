/**
 * Objects that exist in the target with other content, under each `--on-conflict` policy, into
 * etcd and into KDD (v3 CRD mode). The archive is imported into an empty target, then two objects
 * are changed behind the tool's back and a third is deleted; the archive is imported again:
 * - `fail` (default): exit 2, the two conflicts on stderr and in the `--report` JSON, and nothing
 *   written at all (the deleted object is not re-created either): the target is compared before
 *   and after, key by key with its revision;
 * - `skip`: skips are not failures (exit 0); the two are reported as skipped and keep the target's
 *   content, the deleted one is created; `verify` then reports the two as different;
 * - `overwrite`: the two are updated, import verifies them (exit 0), and `verify` passes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JsonObject } from '../../../src/model/json.js';
import { isJsonObject } from '../../../src/model/json.js';
import { TestServers } from './servers.js';
import type { ReportedRun } from './support.js';
import {
  assertExit,
  exportFrom,
  identityOfListed,
  importInto,
  planOf,
  resultOf,
  totalOf,
  verifyAgainst,
} from './support.js';
import type { TargetState } from './target-state.js';
import {
  assertUnchanged,
  customResourcePath,
  editEtcdValue,
  editKddObject,
  findEtcdKey,
  readEtcdState,
  readKddState,
} from './target-state.js';

const V3 = '/calico/resources/v3/projectcalico.org/';
const CHANGED = ['GlobalNetworkPolicy allow-cluster-dns', 'GlobalNetworkSet known-bad-hosts'];
const DELETED = 'NetworkSet shop/external-apis';
const CHANGED_ORDER = 999;
const CHANGED_NETS = ['192.0.2.99/32'];

for (const target of ['etcd', 'v3'] as const) {
  describe(`import into ${target} where objects exist with other content`, () => {
    let servers: TestServers;
    let archive: string;

    /** Everything the target holds, with revisions. */
    const readState = (): Promise<TargetState> =>
      target === 'etcd' ? readEtcdState(servers.etcd) : readKddState(servers.api(target));

    /** The policy's order and the set's nets as the target holds them. */
    async function readChanged(): Promise<{
      order: unknown;
      nets: unknown;
      deletedExists: boolean;
    }> {
      if (target === 'etcd') {
        const etcd = servers.etcd;
        const policy = await etcd
          .get(await findEtcdKey(etcd, `${V3}globalnetworkpolicies/`, 'allow-cluster-dns'))
          .json();
        const set = await etcd.get(`${V3}globalnetworksets/known-bad-hosts`).json();
        const deleted = await etcd.get(`${V3}networksets/shop/external-apis`).buffer();
        const spec = (value: unknown) => (value as { spec: JsonObject }).spec;
        return {
          order: spec(policy).order,
          nets: spec(set).nets,
          deletedExists: deleted !== null,
        };
      }
      const api = servers.api(target);
      const get = async (path: string) => {
        const { status, body } = await api.send('GET', path, undefined, { ok: [404] });
        return status === 404 || !isJsonObject(body) ? undefined : (body.spec as JsonObject);
      };
      const policy = await get(
        customResourcePath(target, 'globalnetworkpolicies', 'allow-cluster-dns'),
      );
      const set = await get(customResourcePath(target, 'globalnetworksets', 'known-bad-hosts'));
      const deleted = await get(customResourcePath(target, 'networksets', 'external-apis', 'shop'));
      return { order: policy?.order, nets: set?.nets, deletedExists: deleted !== undefined };
    }

    /** Changes two objects and deletes a third, as another client would. */
    async function changeTarget(): Promise<void> {
      if (target === 'etcd') {
        const etcd = servers.etcd;
        const policyKey = await findEtcdKey(
          etcd,
          `${V3}globalnetworkpolicies/`,
          'allow-cluster-dns',
        );
        await editEtcdValue(etcd, policyKey, (value) => {
          (value.spec as JsonObject).order = CHANGED_ORDER;
        });
        await editEtcdValue(etcd, `${V3}globalnetworksets/known-bad-hosts`, (value) => {
          (value.spec as JsonObject).nets = CHANGED_NETS;
        });
        await etcd.delete().key(`${V3}networksets/shop/external-apis`);
        return;
      }
      const api = servers.api(target);
      await editKddObject(
        api,
        customResourcePath(target, 'globalnetworkpolicies', 'allow-cluster-dns'),
        (o) => {
          (o.spec as JsonObject).order = CHANGED_ORDER;
        },
      );
      await editKddObject(
        api,
        customResourcePath(target, 'globalnetworksets', 'known-bad-hosts'),
        (o) => {
          (o.spec as JsonObject).nets = CHANGED_NETS;
        },
      );
      await api.send('DELETE', customResourcePath(target, 'networksets', 'external-apis', 'shop'));
    }

    before(async () => {
      servers = await TestServers.open(`conflicts-${target}`);
      await servers.seedEtcd();
      archive = (await exportFrom(servers.env, servers.dir, 'etcd', 'source.tar.gz')).path;
      await servers.emptyTarget(target);
      assertExit(
        (await importInto(servers.env, servers.dir, archive, target)).result,
        0,
        'first import',
      );
      await changeTarget();
      assert.deepEqual(await readChanged(), {
        order: CHANGED_ORDER,
        nets: CHANGED_NETS,
        deletedExists: false,
      });
    });

    after(async () => {
      await servers?.close([target]);
    });

    describe('--on-conflict fail (the default)', () => {
      let run: ReportedRun;
      let stateBefore: TargetState;
      let stateAfter: TargetState;

      before(async () => {
        stateBefore = await readState();
        run = await importInto(servers.env, servers.dir, archive, target);
        stateAfter = await readState();
      });

      it('exits 2 and says why on stderr', () => {
        assertExit(run.result, 2, 'import');
        assert.match(
          run.result.stderr,
          /import stopped before any write: 2 object\(s\) exist in the target with different content/,
        );
      });

      it('lists both conflicts on stderr', () => {
        assert.match(
          run.result.stderr,
          /conflicts \(exist in the target with different content\): 2/,
        );
        assert.match(
          run.result.stderr,
          /^ +GlobalNetworkPolicy allow-cluster-dns: exists in the target/m,
        );
        assert.match(
          run.result.stderr,
          /^ +GlobalNetworkSet known-bad-hosts: exists in the target/m,
        );
      });

      it('lists both conflicts in the --report JSON, with no apply result', () => {
        const plan = planOf(run.report);
        assert.deepEqual(plan.conflicts.map(identityOfListed).sort(), CHANGED);
        assert.equal(totalOf(plan, 'conflict'), 2);
        assert.equal(totalOf(plan, 'create'), 1, `only ${DELETED} is missing`);
        assert.equal(resultOf(run.report), undefined);
        assert.equal(run.report.exitCode, 2);
        assert.match(String(run.report.stoppedBecause), /2 object\(s\) exist/);
      });

      it('writes nothing: the target is exactly as before, the deleted object not re-created', async () => {
        assertUnchanged(stateBefore, stateAfter, 'import --on-conflict fail');
        assert.equal((await readChanged()).deletedExists, false);
      });
    });

    describe('--on-conflict skip', () => {
      let run: ReportedRun;
      let verified: ReportedRun;

      before(async () => {
        run = await importInto(servers.env, servers.dir, archive, target, [
          '--on-conflict',
          'skip',
        ]);
        verified = await verifyAgainst(servers.env, servers.dir, archive, target);
      });

      it('exits 0: skipping on request is not a failure', () => {
        assertExit(run.result, 0, 'import');
        assert.equal(run.report.exitCode, 0);
        assert.deepEqual(resultOf(run.report)!.failures, []);
      });

      it('reports both as skipped with the policy as reason, and creates the deleted object', () => {
        const result = resultOf(run.report)!;
        const skipped = result.skips.filter((item) => /--on-conflict skip/.test(item.reason));
        assert.deepEqual(skipped.map(identityOfListed).sort(), CHANGED);
        assert.equal(totalOf(result, 'create'), 1);
        assert.equal(totalOf(result, 'conflict'), 0);
        assert.match(
          run.result.stderr,
          /GlobalNetworkPolicy allow-cluster-dns: exists in the target with different content \(--on-conflict skip\)/,
        );
      });

      it('keeps the target content of the skipped objects', async () => {
        assert.deepEqual(await readChanged(), {
          order: CHANGED_ORDER,
          nets: CHANGED_NETS,
          deletedExists: true,
        });
      });

      it('verify afterwards reports the two skipped objects as different (exit 1)', () => {
        assertExit(verified.result, 1, 'verify');
        const result = resultOf(verified.report)!;
        assert.deepEqual(result.differences.map(identityOfListed).sort(), CHANGED);
        assert.deepEqual(result.missing, []);
      });
    });

    describe('--on-conflict overwrite', () => {
      let run: ReportedRun;
      let verified: ReportedRun;

      before(async () => {
        run = await importInto(servers.env, servers.dir, archive, target, [
          '--on-conflict',
          'overwrite',
        ]);
        verified = await verifyAgainst(servers.env, servers.dir, archive, target);
      });

      it('plans and applies exactly two updates, verified (exit 0)', () => {
        assertExit(run.result, 0, 'import');
        assert.equal(totalOf(planOf(run.report), 'update'), 2);
        const result = resultOf(run.report)!;
        assert.equal(totalOf(result, 'update'), 2);
        assert.equal(totalOf(result, 'create'), 0);
        assert.deepEqual(result.differences, []);
        assert.deepEqual(result.failures, []);
      });

      it('gives the objects back their archived content', async () => {
        const state = await readChanged();
        assert.equal(state.order, 100);
        assert.deepEqual(state.nets, ['198.51.100.0/28', '203.0.113.7/32', '2001:db8:bad::/48']);
      });

      it('verify passes afterwards', () => {
        assertExit(verified.result, 0, 'verify');
        assert.deepEqual(resultOf(verified.report)!.differences, []);
      });
    });
  });
}
