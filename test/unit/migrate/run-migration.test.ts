import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { MigrationPlan } from '../../../src/migrate/migration-plan.js';
import type { MigrationOptions } from '../../../src/migrate/run-migration.js';
import { runMigration } from '../../../src/migrate/run-migration.js';
import { silentLogger } from '../../../src/report/log.js';
import type { CalicoResource } from '../../../src/model/resource.js';
import { MemoryDatastore } from '../../helpers/memory-datastore.js';
import { hybridSource, obj } from './hybrid-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'cm-migrate-'));
const clusterInfo = (guid: string, ready = true) =>
  obj('ClusterInformation', 'default', {
    clusterGUID: guid,
    datastoreReady: ready,
    calicoVersion: 'v3.32.1',
  });

/** KDD-like target: Kubernetes Nodes exist (vacant) for the Kubernetes-side names. */
function kddTarget(): MemoryDatastore {
  return new MemoryDatastore({ type: 'kubernetes', endpoints: ['https://api'], crdMode: 'v1' });
}

async function migrate(
  source: MemoryDatastore,
  target: MemoryDatastore,
  overrides: Partial<MigrationOptions> = {},
) {
  const plans: MigrationPlan[] = [];
  const name = `run-${Math.random().toString(36).slice(2)}`;
  const result = await runMigration({
    direction: 'etcd-to-kdd',
    sides: {
      source,
      sourceDescription: await source.describe(),
      targetReader: target,
      targetWriter: target,
      targetDescription: await target.describe(),
      profile: { type: 'etcdv3', restoreStatus: false },
    },
    planOnly: false,
    archivePath: join(dir, `${name}.tar.gz`),
    migrationArchivePath: join(dir, `${name}-for-kdd.tar.gz`),
    nodeMapEntries: [],
    policy: { onConflict: 'fail', skipDerived: false },
    concurrency: 4,
    unlockTarget: false,
    by: 'tester@host',
    reason: 'unit test',
    command: 'calico-migrate migrate --from etcd --to kdd',
    tool: { name: 'calico-migrate', version: 'test' },
    logger: silentLogger,
    onPlan: async (plan) => void plans.push(plan),
    ...overrides,
  });
  return { result, plans };
}

const lockedOf = (resource: CalicoResource | undefined) => resource?.spec?.datastoreReady === false;

describe('runMigration (etcd to KDD, in memory)', () => {
  it('locks the source, moves the Kubernetes side renamed, leaves OpenStack objects, locks the target and carries the GUID', async () => {
    const source = new MemoryDatastore().seed(...hybridSource(), clusterInfo('source-guid'));
    const target = kddTarget();
    const { result } = await migrate(source, target);
    assert.equal(result.result!.hasProblems(), false, JSON.stringify(result.result!.lists));
    assert.ok(
      lockedOf(await source.get({ kind: 'ClusterInformation', name: 'default' })),
      'source locked',
    );
    const targetInfo = await target.get({ kind: 'ClusterInformation', name: 'default' });
    assert.ok(lockedOf(targetInfo), 'target stays locked');
    assert.equal(targetInfo!.spec!.clusterGUID, 'source-guid');
    const names = [...target.objects.values()].map((o) => `${o.kind}/${o.metadata.name}`);
    assert.ok(names.includes('Node/worker-1'), 'Kubernetes node under its Kubernetes name');
    assert.ok(!names.some((n) => n.includes('compute-1')), 'OpenStack host data stays in etcd');
    assert.ok(result.plan.transform.staying.length > 0);
    assert.ok(
      result.instructions.some((line) => line.includes('calico-migrate unlock --datastore kdd')),
    );
    assert.equal(result.targetUnlocked, false);
  });

  it('changes nothing when preflight finds conflicts', async () => {
    const source = new MemoryDatastore().seed(...hybridSource(), clusterInfo('source-guid'));
    const pool = hybridSource().find((o) => o.kind === 'IPPool')!;
    const target = kddTarget().seed({ ...pool, spec: { ...pool.spec, cidr: '172.16.0.0/12' } });
    const { result, plans } = await migrate(source, target);
    assert.equal(result.plan.blockers.length, 1);
    assert.equal(plans.length, 1);
    assert.equal(
      lockedOf(await source.get({ kind: 'ClusterInformation', name: 'default' })),
      false,
    );
    assert.equal(target.objects.size, 1);
  });

  it('plans only, writing nothing and locking nothing', async () => {
    const source = new MemoryDatastore().seed(...hybridSource(), clusterInfo('source-guid'));
    const target = kddTarget();
    const { result } = await migrate(source, target, { planOnly: true });
    assert.equal(result.result, undefined);
    assert.equal(target.objects.size, 0);
    assert.ok(!source.calls.includes('update'));
    assert.ok(result.plan.targetPlan.total('create') > 0);
  });

  it('resumes: a second run converges and unlocks the target when asked', async () => {
    const source = new MemoryDatastore().seed(...hybridSource(), clusterInfo('source-guid'));
    const target = kddTarget();
    await migrate(source, target);
    const { result } = await migrate(source, target, { unlockTarget: true });
    assert.equal(result.result!.total('create'), 0);
    assert.ok(result.result!.total('unchanged') > 0);
    assert.equal(result.targetUnlocked, true);
    assert.equal(
      lockedOf(await target.get({ kind: 'ClusterInformation', name: 'default' })),
      false,
    );
  });
});
