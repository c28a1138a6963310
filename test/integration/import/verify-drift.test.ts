/**
 * `verify` detects drift at any time. After an import (and a passing verify), one policy's order
 * is changed in the target behind the tool's back and a network set is deleted; `verify --against`
 * must then exit 1 and report the policy as different, with the field-level path and both values,
 * and the set as missing, on stdout and in the `--report` JSON, and nothing else. Into etcd and
 * into KDD in v1 CRD mode (where the policy is a `crd.projectcalico.org/v1` CR).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JsonObject } from '../../../src/model/json.js';
import { TestServers } from './servers.js';
import type { ReportedRun } from './support.js';
import {
  assertExit,
  exportFrom,
  identityOfListed,
  importInto,
  resultOf,
  totalOf,
  verifyAgainst,
} from './support.js';
import { customResourcePath, editEtcdValue, editKddObject, findEtcdKey } from './target-state.js';

const V3 = '/calico/resources/v3/projectcalico.org/';
const ARCHIVED_ORDER = 100;
const DRIFTED_ORDER = 999;

for (const target of ['etcd', 'v1'] as const) {
  describe(`verify against ${target} after the target drifted`, () => {
    let servers: TestServers;
    let baseline: ReportedRun;
    let drifted: ReportedRun;

    /** Changes the policy's order and deletes the network set, as another client would. */
    async function drift(): Promise<void> {
      if (target === 'etcd') {
        const key = await findEtcdKey(
          servers.etcd,
          `${V3}globalnetworkpolicies/`,
          'allow-cluster-dns',
        );
        await editEtcdValue(servers.etcd, key, (value) => {
          (value.spec as JsonObject).order = DRIFTED_ORDER;
        });
        await servers.etcd.delete().key(`${V3}networksets/shop/external-apis`);
        return;
      }
      const api = servers.api(target);
      const policies = await api.list('/apis/crd.projectcalico.org/v1/globalnetworkpolicies');
      const stored = policies
        .map((item) => String((item.metadata as JsonObject).name))
        .filter((name) => name.endsWith('allow-cluster-dns'));
      assert.equal(stored.length, 1, `one CR for the policy: ${stored.join(', ')}`);
      await editKddObject(
        api,
        customResourcePath(target, 'globalnetworkpolicies', stored[0]!),
        (cr) => {
          (cr.spec as JsonObject).order = DRIFTED_ORDER;
        },
      );
      await api.send('DELETE', customResourcePath(target, 'networksets', 'external-apis', 'shop'));
    }

    before(async () => {
      servers = await TestServers.open(`verify-drift-${target}`);
      await servers.seedEtcd();
      const { path } = await exportFrom(servers.env, servers.dir, 'etcd', 'source.tar.gz');
      await servers.emptyTarget(target);
      assertExit((await importInto(servers.env, servers.dir, path, target)).result, 0, 'import');
      baseline = await verifyAgainst(servers.env, servers.dir, path, target);
      await drift();
      drifted = await verifyAgainst(servers.env, servers.dir, path, target);
    });

    after(async () => {
      await servers?.close(target === 'etcd' ? [] : [target]);
    });

    it('verify passes right after the import', () => {
      assertExit(baseline.result, 0, 'verify');
      assert.equal(totalOf(resultOf(baseline.report)!, 'different'), 0);
    });

    it('exits 1 after the drift', () => {
      assertExit(drifted.result, 1, 'verify');
    });

    it('reports the edited policy as different, with the field path and both values', () => {
      const result = resultOf(drifted.report)!;
      assert.deepEqual(result.differences.map(identityOfListed), [
        'GlobalNetworkPolicy allow-cluster-dns',
      ]);
      assert.deepEqual(result.differences[0]!.fields, [
        { path: 'spec.order', archive: ARCHIVED_ORDER, target: DRIFTED_ORDER },
      ]);
      assert.match(
        drifted.result.stdout.toString('utf8'),
        new RegExp(`spec\\.order: archive ${ARCHIVED_ORDER}, target ${DRIFTED_ORDER}`),
      );
    });

    it('reports the deleted network set as missing', () => {
      const result = resultOf(drifted.report)!;
      assert.deepEqual(result.missing.map(identityOfListed), ['NetworkSet shop/external-apis']);
      assert.match(drifted.result.stdout.toString('utf8'), /NetworkSet shop\/external-apis: /);
    });

    it('finds everything else unchanged', () => {
      const clean = resultOf(baseline.report)!;
      const dirty = resultOf(drifted.report)!;
      assert.equal(totalOf(dirty, 'matched'), totalOf(clean, 'matched') - 2);
      assert.equal(totalOf(dirty, 'different'), 1);
      assert.equal(totalOf(dirty, 'missing'), 1);
    });
  });
}
