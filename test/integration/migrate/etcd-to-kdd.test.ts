/**
 * `calico-migrate migrate --from etcd --to kdd` on the hybrid deployment (test/fixtures/hybrid):
 * etcd seeded as Calico v3.32.1 stores it, the target a Kubernetes cluster whose Nodes,
 * Namespaces, ServiceAccounts and Pods exist but that has no Calico data, in KDD v1 CRD mode and
 * in v3 CRD mode. Each mode: `--plan-only` first (it must change nothing), then the migration
 * (kdd-checks.ts), then a second run with `--unlock-target`, which must converge (nothing to
 * write) and release the target lock only. Runs under the datastore lock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JsonObject } from '../../../src/model/json.js';
import { parseJson } from '../../../src/model/json.js';
import type { CrdMode } from '../../fixtures/dataset/index.js';
import { runCli } from '../../helpers/run-cli.js';
import type { FinishedKddMigration } from './kdd-checks.js';
import { describeKddTargetChecks } from './kdd-checks.js';
import type { MigrateReportJson, PlanJson } from './support.js';
import {
  assertExit,
  BY,
  etcdFlags,
  kddFlags,
  listCalicoObjects,
  MigrateServers,
  readJsonFile,
  runPrinted,
  totalOf,
} from './support.js';

describe('migrate --from etcd --to kdd: a hybrid Kubernetes/OpenStack deployment', () => {
  let servers: MigrateServers;

  before(async () => {
    servers = await MigrateServers.open('etcd-to-kdd');
  });
  after(async () => {
    await servers?.close();
  });

  for (const mode of ['v1', 'v3'] as const satisfies readonly CrdMode[]) {
    describe(`into KDD in ${mode} CRD mode`, () => {
      let finished: FinishedKddMigration | undefined;
      let planOnly: { code: number | null; plan: PlanJson; etcdSame: boolean; kddObjects: number };
      const flags = () => [
        '--from',
        'etcd',
        '--to',
        'kdd',
        ...etcdFlags(servers.env),
        ...kddFlags(servers.env, mode),
        '--by',
        BY,
      ];

      before(async () => {
        const seeded = await servers.seedHybrid(mode);
        const planPath = servers.path(`${mode}-preflight-plan.json`);
        const preflight = await runCli([
          'migrate',
          ...flags(),
          '--plan-only',
          '--plan-out',
          planPath,
        ]);
        assertExit(preflight, 0, 'migrate --plan-only');
        const afterPreflight = await servers.dumpEtcd();
        planOnly = {
          code: preflight.code,
          plan: readJsonFile<PlanJson>(planPath),
          etcdSame:
            afterPreflight.size === seeded.size &&
            [...seeded].every(([key, value]) => afterPreflight.get(key)?.equals(value)),
          kddObjects: (await listCalicoObjects(servers.apis[mode])).length,
        };
        const reportPath = servers.path(`${mode}-report.json`);
        const plan = servers.path(`${mode}-plan.json`);
        const result = await runCli(
          [
            'migrate',
            ...flags(),
            '--archive',
            servers.path(`${mode}-source.tar.gz`),
            '--plan-out',
            plan,
            '--report',
            reportPath,
          ],
          { timeoutMs: 300_000 },
        );
        assertExit(result, 0, 'migrate');
        finished = {
          mode,
          api: servers.apis[mode],
          result,
          plan: readJsonFile<PlanJson>(plan),
          report: readJsonFile<MigrateReportJson>(reportPath),
          seeded,
          etcdAfter: await servers.dumpEtcd(),
          targetUnlocked: false,
        };
      });

      it('--plan-only prints the plan and changes nothing on either side', () => {
        assert.equal(planOnly.code, 0);
        assert.ok(planOnly.etcdSame, 'etcd unchanged (no lock either)');
        assert.equal(
          planOnly.kddObjects,
          0,
          'no Calico object (not even ClusterInformation) in KDD',
        );
        assert.deepEqual(planOnly.plan.blockers, []);
        assert.match(planOnly.plan.locks.source, /^not locked/);
        assert.ok(totalOf(planOnly.plan.targetPlan, 'create') > 0);
      });

      describeKddTargetChecks(() => {
        if (!finished) throw new Error('the migration did not run (see the before hook)');
        return finished;
      });

      it('shows both locks with their records in status', async () => {
        const status = await runCli([
          'status',
          '--datastore',
          'both',
          '-o',
          'json',
          ...etcdFlags(servers.env),
          ...kddFlags(servers.env, mode),
        ]);
        assertExit(status, 0, 'status');
        const sides = (
          JSON.parse(status.stdout.toString('utf8')) as {
            datastores: { datastore: string; locked?: boolean; lock?: Record<string, string> }[];
          }
        ).datastores;
        assert.deepEqual(
          sides.map((side) => [side.datastore, side.locked, side.lock?.lockedBy]),
          [
            ['etcd', true, BY],
            ['kdd', true, BY],
          ],
        );
        for (const side of sides)
          assert.match(side.lock?.reason ?? '', /migrate --from etcd --to kdd/);
      });

      it('a second run with --unlock-target writes nothing, verifies, and unlocks only the target', async () => {
        const reportPath = servers.path(`${mode}-again-report.json`);
        const again = await runCli([
          'migrate',
          ...flags(),
          '--archive',
          servers.path(`${mode}-source-again.tar.gz`),
          '--unlock-target',
          '--report',
          reportPath,
        ]);
        assertExit(again, 0, 'second migrate');
        const report = readJsonFile<MigrateReportJson>(reportPath);
        assert.equal(totalOf(report.result!, 'create'), 0);
        assert.equal(
          totalOf(report.result!, 'matched'),
          totalOf(finished!.report.result!, 'matched'),
        );
        const status = await runCli([
          'status',
          '--datastore',
          'both',
          '-o',
          'json',
          ...etcdFlags(servers.env),
          ...kddFlags(servers.env, mode),
        ]);
        const sides = (
          JSON.parse(status.stdout.toString('utf8')) as {
            datastores: { datastore: string; locked?: boolean }[];
          }
        ).datastores;
        assert.deepEqual(
          sides.map((side) => [side.datastore, side.locked]),
          [
            ['etcd', true],
            ['kdd', false],
          ],
        );
        assert.match(again.stdout.toString('utf8'), /KDD is already unlocked \(--unlock-target\)/);
      });

      it('the printed rollback command (run exactly as printed) unlocks the source', async () => {
        const stdout = finished!.result.stdout.toString('utf8');
        const line = /^Rollback, until you switch components: (calico-migrate unlock .*)$/m.exec(
          stdout,
        );
        assert.ok(line, stdout);
        const rollback = await runPrinted(line[1]!, servers.binDir);
        assertExit(rollback, 0, line[1]!);
        const info = (await servers.dumpEtcd()).get(
          '/calico/resources/v3/projectcalico.org/clusterinformations/default',
        )!;
        const spec = (parseJson(info.toString('utf8')) as JsonObject).spec as JsonObject;
        assert.equal(spec.datastoreReady, true);
      });
    });
  }
});
