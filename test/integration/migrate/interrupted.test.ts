/**
 * A migration killed part-way (SIGKILL, nothing runs after it), then recovered by an operator
 * who runs exactly the command the tool printed before the risky steps:
 * - resume: killed while importing into KDD (v1 CRD mode); the printed resume command converges,
 *   exits 0, the migration archive verifies, and KDD ends up exactly as after an uninterrupted run
 *   (all the checks of kdd-checks.ts);
 * - rollback: killed right after it locked the source and printed the instructions; the printed
 *   rollback command unlocks the source (etcd otherwise untouched) and the target was never touched.
 * The first scenario passes the connection as flags, the second through the environment, so both
 * ways of printing the recovery commands are run. Runs under the datastore lock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JsonObject } from '../../../src/model/json.js';
import { isJsonObject, parseJson } from '../../../src/model/json.js';
import { expectedInKdd } from '../../fixtures/hybrid/index.js';
import type { CliResult } from '../../helpers/run-cli.js';
import { runCli } from '../../helpers/run-cli.js';
import type { FinishedKddMigration } from './kdd-checks.js';
import { describeKddTargetChecks } from './kdd-checks.js';
import type { KilledRun, MigrateReportJson, PlanJson, PrintedRecovery } from './support.js';
import {
  assertExit,
  BY,
  connectionEnv,
  etcdFlags,
  findRecoveryCommands,
  kddFlags,
  listCalicoObjects,
  MigrateServers,
  readJsonFile,
  readObject,
  runAndKill,
  runPrinted,
} from './support.js';

/** Calico objects in KDD (ClusterInformation included) when the import is killed. */
const KILL_AFTER_OBJECTS = 15;

const CLUSTER_INFORMATION_KEY =
  '/calico/resources/v3/projectcalico.org/clusterinformations/default';

function clusterInformation(etcd: Map<string, Buffer>): JsonObject {
  return parseJson(etcd.get(CLUSTER_INFORMATION_KEY)!.toString('utf8')) as JsonObject;
}

describe('an interrupted migration, recovered with the printed commands', () => {
  let servers: MigrateServers;

  before(async () => {
    servers = await MigrateServers.open('interrupted');
  });
  after(async () => {
    await servers?.close();
  });

  describe('killed during the import, then resumed with the printed command', () => {
    let killed: KilledRun;
    let printed: PrintedRecovery;
    let partial: { objects: number; targetLocked: boolean };
    let resumed: CliResult;
    let verified: CliResult;
    let finished: FinishedKddMigration | undefined;

    before(async () => {
      const seeded = await servers.seedHybrid('v1');
      const report = servers.path('resume-report.json');
      const plan = servers.path('resume-plan.json');
      // A low write rate keeps the import going long enough to be killed in the middle of it.
      killed = await runAndKill(
        [
          'migrate',
          '--from',
          'etcd',
          '--to',
          'kdd',
          ...etcdFlags(servers.env),
          ...kddFlags(servers.env, 'v1'),
          '--by',
          BY,
          '--archive',
          // A space in the path: the printed commands must quote it for the shell.
          servers.path('resume source.tar.gz'),
          '--plan-out',
          plan,
          '--report',
          report,
          '--qps',
          '20',
          '--burst',
          '1',
        ],
        /\[\d+\] import and verify\n/,
        {},
        async () => (await listCalicoObjects(servers.apis.v1)).length >= KILL_AFTER_OBJECTS,
      );
      const objects = await listCalicoObjects(servers.apis.v1);
      const info = objects.find((object) => object.kind === 'ClusterInformation');
      const spec = isJsonObject(info?.spec) ? info.spec : {};
      partial = { objects: objects.length, targetLocked: spec.datastoreReady === false };
      printed = findRecoveryCommands(killed.stderr);
      resumed = await runPrinted(printed.resume, servers.binDir);
      assertExit(resumed, 0, `resume (${printed.resume})`);
      const planJson = readJsonFile<PlanJson>(plan);
      verified = await runCli([
        'verify',
        planJson.migrationArchive,
        '--against',
        'kdd',
        ...kddFlags(servers.env, 'v1'),
      ]);
      finished = {
        mode: 'v1',
        api: servers.apis.v1,
        result: resumed,
        plan: planJson,
        report: readJsonFile<MigrateReportJson>(report),
        seeded,
        etcdAfter: await servers.dumpEtcd(),
        targetUnlocked: false,
      };
    });

    it('was killed mid-import: the target is locked and holds part of the objects', () => {
      assert.equal(killed.signal, 'SIGKILL');
      assert.ok(partial.targetLocked, 'the target was locked before the import');
      assert.ok(
        partial.objects >= KILL_AFTER_OBJECTS && partial.objects < expectedInKdd().length,
        `part of the objects were written (${partial.objects})`,
      );
    });

    it('had printed the resume command with this run’s flags, quoted for the shell', () => {
      const archive = `'${servers.path('resume source.tar.gz')}'`;
      assert.ok(printed.resume.includes(`--archive ${archive}`), printed.resume);
      assert.ok(printed.importByHand.includes(`'${servers.path('resume source-for-kdd.tar.gz')}'`));
      assert.ok(printed.resume.includes('--etcd-endpoints '));
      assert.ok(printed.rollback.includes('--etcd-endpoints '), printed.rollback);
      assert.ok(printed.importByHand.includes('--kubeconfig '), printed.importByHand);
    });

    it('the printed resume command converged and the migration archive verifies', () => {
      assertExit(resumed, 0, 'resume');
      assertExit(verified, 0, 'verify');
    });

    describeKddTargetChecks(() => {
      if (!finished) throw new Error('the resumed migration did not run (see the before hook)');
      return finished;
    });
  });

  describe('killed right after locking the source, then rolled back with the printed command', () => {
    let seeded: Map<string, Buffer>;
    let lockedAfterKill: boolean;
    let printed: PrintedRecovery;
    let rolledBack: CliResult;
    let etcdAfter: Map<string, Buffer>;

    before(async () => {
      seeded = await servers.seedHybrid('v1');
      const env = connectionEnv(servers.env, 'v1');
      const killed = await runAndKill(
        [
          'migrate',
          '--from',
          'etcd',
          '--to',
          'kdd',
          '--by',
          BY,
          '--archive',
          servers.path('rb.tar.gz'),
        ],
        /and keep the target locked and unused[^\n]*\n/,
        env,
      );
      const spec = clusterInformation(await servers.dumpEtcd()).spec;
      lockedAfterKill = isJsonObject(spec) && spec.datastoreReady === false;
      printed = findRecoveryCommands(killed.stderr);
      rolledBack = await runPrinted(printed.rollback, servers.binDir, env);
      etcdAfter = await servers.dumpEtcd();
    });

    it('had locked the source before it was killed', () => {
      assert.ok(lockedAfterKill);
    });

    it('the printed rollback command unlocks the source and leaves the rest of etcd untouched', () => {
      assertExit(rolledBack, 0, `rollback (${printed.rollback})`);
      assert.deepEqual([...etcdAfter.keys()].sort(), [...seeded.keys()].sort());
      for (const [key, value] of seeded) {
        if (key !== CLUSTER_INFORMATION_KEY) assert.ok(etcdAfter.get(key)!.equals(value), key);
      }
      const before = clusterInformation(seeded);
      const after = clusterInformation(etcdAfter);
      assert.deepEqual(after.spec, before.spec, 'datastoreReady true again, spec as before');
      const annotations = (after.metadata as JsonObject).annotations as Record<string, string>;
      assert.equal(annotations['calico-migrate.projectcalico.org/locked-by'], undefined);
      assert.equal(annotations['calico-migrate.projectcalico.org/last-unlocked-by'], BY);
    });

    it('never touched the target: no Calico object, no Calico data on the Kubernetes Nodes', async () => {
      assert.deepEqual(await listCalicoObjects(servers.apis.v1), []);
      const nodes = await servers.apis.v1.list('/api/v1/nodes');
      for (const node of nodes) {
        const annotations = ((node.metadata as JsonObject).annotations ?? {}) as JsonObject;
        assert.deepEqual(
          Object.keys(annotations).filter((key) => key.startsWith('projectcalico.org/')),
          [],
        );
      }
      const info = await readObject(
        servers.apis.v1,
        '/apis/crd.projectcalico.org/v1/clusterinformations/default',
      );
      assert.equal(info, undefined);
    });
  });
});
