import assert from 'node:assert/strict';
import { translateHttpError } from '../../../src/datastores/kdd/errors.js';
import { describe, it } from 'node:test';
import type { DatastoreDescription } from '../../../src/datastores/datastore.js';
import { LockRefusedByAdmissionError } from '../../../src/migrate/lock-admission.js';
import { LockHeldError } from '../../../src/migrate/lock-errors.js';
import {
  LockAnnotation,
  lockStateOf,
  summarizeLockState,
} from '../../../src/migrate/lock-record.js';
import {
  lockDatastore,
  planLock,
  readLockState,
  unlockDatastore,
} from '../../../src/migrate/lock.js';
import {
  AlreadyExistsError,
  AuthError,
  ConflictError,
  UsageError,
} from '../../../src/model/errors.js';
import type { CalicoResource } from '../../../src/model/resource.js';
import { TOOL_NAME, TOOL_VERSION } from '../../../src/version.js';
import { MemoryDatastore } from '../../helpers/memory-datastore.js';

const TOOL = `${TOOL_NAME} ${TOOL_VERSION}`;
const NOW = new Date('2026-03-04T05:06:07.890Z');
const ref = { kind: 'ClusterInformation', name: 'default' };

function clusterInformation(
  spec: Record<string, unknown>,
  annotations?: Record<string, string>,
): CalicoResource {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'ClusterInformation',
    metadata: { name: 'default', ...(annotations && { annotations }) },
    spec: spec as CalicoResource['spec'],
  };
}

const READY = clusterInformation(
  {
    calicoVersion: 'v3.31.7',
    clusterGUID: 'aaaabbbbccccddddeeeeffff00001111',
    clusterType: 'k8s,bgp',
    datastoreReady: true,
  },
  { 'example.com/keep': 'me' },
);

const stored = async (ds: MemoryDatastore) => (await ds.get(ref))!;
const writes = (ds: MemoryDatastore) =>
  ds.calls.filter((call) => call === 'create' || call === 'update');

describe('lockDatastore', () => {
  it('sets datastoreReady false and records owner, time, reason and tool, keeping everything else', async () => {
    const ds = new MemoryDatastore().seed(READY);
    const result = await lockDatastore(ds, { by: 'alice@h1', reason: 'to KDD', now: NOW });
    assert.equal(result.outcome, 'locked');
    assert.equal(result.changed, true);
    assert.equal(result.before.locked, false);
    const after = await stored(ds);
    assert.deepEqual(after.spec, { ...READY.spec, datastoreReady: false });
    assert.deepEqual(after.metadata.annotations, {
      'example.com/keep': 'me',
      [LockAnnotation.LockedBy]: 'alice@h1',
      [LockAnnotation.LockedAt]: '2026-03-04T05:06:07Z',
      [LockAnnotation.Reason]: 'to KDD',
      [LockAnnotation.LockedWith]: TOOL,
    });
    assert.deepEqual(result.after.record, {
      lockedBy: 'alice@h1',
      lockedAt: '2026-03-04T05:06:07Z',
      reason: 'to KDD',
      lockedWith: TOOL,
    });
    assert.equal(result.after.locked, true);
  });

  it('treats a missing datastoreReady as ready (Calico: nil means ready) and locks it', async () => {
    const ds = new MemoryDatastore().seed(clusterInformation({ clusterGUID: 'g' }));
    assert.equal((await readLockState(ds)).locked, false);
    const result = await lockDatastore(ds, { by: 'a', now: NOW });
    assert.equal(result.outcome, 'locked');
    assert.equal((await stored(ds)).spec?.datastoreReady, false);
    assert.equal((await stored(ds)).metadata.annotations?.[LockAnnotation.Reason], undefined);
  });

  it('is a no-op when the same owner holds the lock', async () => {
    const ds = new MemoryDatastore().seed(READY);
    await lockDatastore(ds, { by: 'alice@h1', now: NOW });
    const version = (await stored(ds)).metadata.resourceVersion;
    ds.calls.length = 0;
    const again = await lockDatastore(ds, { by: 'alice@h1', reason: 'other', now: new Date() });
    assert.equal(again.outcome, 'already-locked');
    assert.equal(again.changed, false);
    assert.deepEqual(writes(ds), []);
    assert.equal((await stored(ds)).metadata.resourceVersion, version);
  });

  it('creates ClusterInformation as EnsureInitialized would, but locked, when there is none', async () => {
    const ds = new MemoryDatastore({ type: 'kubernetes', endpoints: ['https://k'] });
    const result = await lockDatastore(ds, { by: 'bob', now: NOW });
    assert.equal(result.outcome, 'created');
    assert.equal(result.before.exists, false);
    const created = await stored(ds);
    assert.match(String(created.spec?.clusterGUID), /^[0-9a-f]{32}$/);
    assert.equal(created.spec?.datastoreReady, false);
    assert.equal(created.spec?.clusterType, 'kdd');
    assert.equal(created.spec?.calicoVersion, undefined);
    assert.equal(created.metadata.annotations?.[LockAnnotation.LockedBy], 'bob');
    const other = await lockDatastore(new MemoryDatastore(), { by: 'bob', now: NOW });
    assert.notEqual(other.after.clusterGUID, result.after.clusterGUID, 'the GUID is random');
  });

  it('creates no cluster type in etcd (Calico adds kdd only in the Kubernetes datastore)', () => {
    const plan = planLock({ exists: false, locked: false }, { by: 'x' }, 'etcdv3');
    assert.equal(plan.type, 'create');
    assert.ok(plan.type === 'create' && !('clusterType' in plan.resource.spec!));
  });

  it('refuses a lock held by another owner and names it; --force takes it over', async () => {
    const ds = new MemoryDatastore().seed(READY);
    await lockDatastore(ds, { by: 'alice@h1', reason: 'mine', now: NOW });
    const version = (await stored(ds)).metadata.resourceVersion;
    await assert.rejects(lockDatastore(ds, { by: 'bob@h2', now: NOW }), (error: unknown) => {
      assert.ok(error instanceof LockHeldError);
      assert.match(
        error.message,
        /etcdv3 memory:\/\/ is locked by alice@h1 at 2026-03-04T05:06:07Z \(reason: mine\)/,
      );
      assert.match(error.message, /nothing was changed/);
      assert.match(error.hint ?? '', /--force/);
      assert.equal(error.exitCode, 2);
      return true;
    });
    assert.equal((await stored(ds)).metadata.resourceVersion, version);
    const forced = await lockDatastore(ds, { by: 'bob@h2', force: true, now: NOW });
    assert.equal(forced.outcome, 'taken-over');
    assert.equal(forced.after.record?.lockedBy, 'bob@h2');
    assert.equal(forced.after.record?.tookOverFrom, 'alice@h1');
    assert.equal(forced.after.record?.reason, undefined, 'the old reason is not kept');
  });

  it('refuses a lock set without a calico-migrate record (calicoctl, hand edit)', async () => {
    const ds = new MemoryDatastore().seed(clusterInformation({ datastoreReady: false }));
    await assert.rejects(lockDatastore(ds, { by: 'a' }), (error: unknown) => {
      assert.ok(error instanceof LockHeldError);
      assert.match(error.message, /without a calico-migrate lock record/);
      return true;
    });
    assert.deepEqual(writes(ds), []);
  });

  it("names Calico's migration controller when its marker is there", async () => {
    const marker = { 'migration.projectcalico.org/locked-by': 'uid-1' };
    const ds = new MemoryDatastore().seed(clusterInformation({ datastoreReady: false }, marker));
    const state = await readLockState(ds);
    assert.deepEqual(state.foreign, marker);
    await assert.rejects(lockDatastore(ds, { by: 'a' }), /migration controller .*uid-1/);
  });

  it('overwrites a stale record when the flag was reset by hand', async () => {
    const stale = { [LockAnnotation.LockedBy]: 'old', [LockAnnotation.Reason]: 'old reason' };
    const ds = new MemoryDatastore().seed(clusterInformation({ datastoreReady: true }, stale));
    const result = await lockDatastore(ds, { by: 'new', now: NOW });
    assert.equal(result.outcome, 'locked');
    assert.equal(result.after.record?.lockedBy, 'new');
    assert.equal(result.after.record?.reason, undefined);
  });

  it('rejects an empty owner and an over-long reason before any read', async () => {
    const ds = new MemoryDatastore().seed(READY);
    await assert.rejects(lockDatastore(ds, { by: ' ' }), UsageError);
    await assert.rejects(lockDatastore(ds, { by: 'a', reason: 'x'.repeat(1025) }), UsageError);
    assert.deepEqual(ds.calls, []);
  });
});

/** A datastore whose next write loses a race: `interfere` changes the store just before it. */
class RacingDatastore extends MemoryDatastore {
  races: ((ds: MemoryDatastore) => void)[] = [];
  override async update(resource: CalicoResource): Promise<CalicoResource> {
    this.races.shift()?.(this);
    return super.update(resource);
  }
  override async create(resource: CalicoResource): Promise<CalicoResource> {
    this.races.shift()?.(this);
    return super.create(resource);
  }
}

describe('lockDatastore races', () => {
  it('re-reads after a conflict and keeps the concurrent change', async () => {
    const ds = new RacingDatastore().seed(READY);
    ds.races.push((store) =>
      store.seed({ ...READY, spec: { ...READY.spec, calicoVersion: 'v3.32.0' } }),
    );
    const result = await lockDatastore(ds, { by: 'a', now: NOW });
    assert.equal(result.outcome, 'locked');
    const after = await stored(ds);
    assert.equal(after.spec?.calicoVersion, 'v3.32.0');
    assert.equal(after.spec?.datastoreReady, false);
    assert.equal(ds.calls.filter((call) => call === 'get').length >= 3, true);
  });

  it('re-reads after a conflict and refuses when someone else locked meanwhile', async () => {
    const ds = new RacingDatastore().seed(READY);
    ds.races.push((store) =>
      store.seed(clusterInformation({ datastoreReady: false }, { [LockAnnotation.LockedBy]: 'z' })),
    );
    await assert.rejects(lockDatastore(ds, { by: 'a' }), /locked by z/);
    assert.equal((await stored(ds)).metadata.annotations?.[LockAnnotation.LockedBy], 'z');
  });

  it('turns a create that lost the race into an update of what the winner created', async () => {
    const ds = new RacingDatastore();
    ds.races.push((store) => store.seed(READY));
    const result = await lockDatastore(ds, { by: 'a', now: NOW });
    assert.equal(result.outcome, 'locked');
    assert.equal((await stored(ds)).spec?.clusterGUID, READY.spec?.clusterGUID);
  });

  it('gives up with a ConflictError after losing twice, changing nothing', async () => {
    const ds = new RacingDatastore().seed(READY);
    const bump = (store: MemoryDatastore) => store.seed(READY);
    ds.races.push(bump, bump);
    await assert.rejects(lockDatastore(ds, { by: 'a' }), (error: unknown) => {
      assert.ok(error instanceof ConflictError);
      assert.match(error.message, /changed twice while trying to lock it; nothing was changed/);
      return true;
    });
    assert.equal((await stored(ds)).spec?.datastoreReady, true);
  });

  it('retries an AlreadyExistsError only once too', async () => {
    const failing = new (class extends MemoryDatastore {
      override async create(): Promise<CalicoResource> {
        this.calls.push('create');
        throw new AlreadyExistsError('exists');
      }
    })();
    await assert.rejects(lockDatastore(failing, { by: 'a' }), ConflictError);
    assert.equal(failing.calls.filter((call) => call === 'create').length, 2);
  });
});

describe('unlockDatastore', () => {
  it('sets datastoreReady true, drops the lock record and records the unlock', async () => {
    const ds = new MemoryDatastore().seed(READY);
    await lockDatastore(ds, { by: 'alice@h1', reason: 'r', now: NOW });
    const later = new Date('2026-03-04T06:00:00Z');
    const result = await unlockDatastore(ds, { by: 'alice@h1', now: later });
    assert.equal(result.outcome, 'unlocked');
    assert.equal(result.before.record?.lockedBy, 'alice@h1');
    const after = await stored(ds);
    assert.deepEqual(after.spec, READY.spec);
    assert.deepEqual(after.metadata.annotations, {
      'example.com/keep': 'me',
      [LockAnnotation.LastUnlockedBy]: 'alice@h1',
      [LockAnnotation.LastUnlockedAt]: '2026-03-04T06:00:00Z',
    });
    assert.deepEqual(result.after.lastUnlock, { by: 'alice@h1', at: '2026-03-04T06:00:00Z' });
    assert.equal(result.after.record, undefined);
  });

  it('writes nothing when nothing is locked (or there is no ClusterInformation)', async () => {
    for (const ds of [new MemoryDatastore().seed(READY), new MemoryDatastore()]) {
      const result = await unlockDatastore(ds, { by: 'a' });
      assert.equal(result.outcome, 'not-locked');
      assert.equal(result.changed, false);
      assert.deepEqual(writes(ds), []);
    }
  });

  it('refuses to release a lock it did not take unless forced', async () => {
    const ds = new MemoryDatastore().seed(clusterInformation({ datastoreReady: false }));
    await assert.rejects(unlockDatastore(ds, { by: 'a' }), (error: unknown) => {
      assert.ok(error instanceof LockHeldError);
      assert.match(error.message, /not releasing it as a, nothing was changed/);
      return true;
    });
    await lockDatastore(ds, { by: 'alice', force: true });
    await assert.rejects(unlockDatastore(ds, { by: 'bob' }), /locked by alice/);
    assert.equal((await stored(ds)).spec?.datastoreReady, false);
    const forced = await unlockDatastore(ds, { by: 'bob', force: true });
    assert.equal(forced.outcome, 'force-unlocked');
    assert.equal((await stored(ds)).spec?.datastoreReady, true);
  });

  it('leaves annotations empty-free when the record was all there was', async () => {
    const ds = new MemoryDatastore().seed(clusterInformation({ clusterGUID: 'g' }));
    await lockDatastore(ds, { by: 'a' });
    await unlockDatastore(ds, { by: 'a' });
    const keys = Object.keys((await stored(ds)).metadata.annotations ?? {}).sort();
    assert.deepEqual(keys, [LockAnnotation.LastUnlockedAt, LockAnnotation.LastUnlockedBy]);
  });
});

describe('admission refusals', () => {
  const kdd: DatastoreDescription = {
    type: 'kubernetes',
    endpoints: ['https://api:6443'],
    crdMode: 'v3',
  };
  const webhook =
    'admission webhook "cluster-info.api.projectcalico.org" denied the request: ClusterInformation is a read-only resource (user: kubernetes-admin)';
  /** The error the KDD adapter raises for such an answer. */
  const kddError = (status: number, message: string) =>
    translateHttpError(
      { status, headers: {}, body: { kind: 'Status', message } },
      { method: 'PUT', path: '/x' },
      'https://api:6443',
    );

  it("explains Calico's webhook refusing the lock (HTTP 400 -> InvalidObjectError) and changes nothing", async () => {
    const ds = new MemoryDatastore(kdd).seed(READY);
    ds.update = async () => {
      throw kddError(400, webhook);
    };
    await assert.rejects(lockDatastore(ds, { by: 'a' }), (error: unknown) => {
      assert.ok(error instanceof LockRefusedByAdmissionError);
      assert.equal(error.exitCode, 2);
      assert.equal(error.denial.name, 'cluster-info.api.projectcalico.org');
      assert.match(
        error.message,
        /^cannot lock the datastore at https:\/\/api:6443 \(KDD v3 CRD mode\)/,
      );
      assert.match(error.message, /calico-node, calico-kube-controllers, calico-typha/);
      assert.match(error.message, /read-only resource \(user: kubernetes-admin\)/);
      assert.match(
        error.hint ?? '',
        /as: system:serviceaccount:<namespace>:calico-kube-controllers/,
      );
      assert.match(error.hint ?? '', /Job/);
      return true;
    });
    assert.equal((await stored(ds)).spec?.datastoreReady, true);
  });

  it('explains a ValidatingAdmissionPolicy refusing the create (HTTP 403 -> AuthError)', async () => {
    const ds = new MemoryDatastore(kdd);
    ds.create = async () => {
      throw kddError(
        403,
        `clusterinformations.projectcalico.org "default" is forbidden: ValidatingAdmissionPolicy 'ci-writers' with binding 'ci-writers-binding' denied request: read-only`,
      );
    };
    await assert.rejects(lockDatastore(ds, { by: 'a' }), (error: unknown) => {
      assert.ok(error instanceof LockRefusedByAdmissionError);
      assert.deepEqual(
        { by: error.denial.by, name: error.denial.name, binding: error.denial.binding },
        { by: 'policy', name: 'ci-writers', binding: 'ci-writers-binding' },
      );
      assert.match(
        error.message,
        /ValidatingAdmissionPolicy ci-writers \(binding ci-writers-binding\) refused/,
      );
      return true;
    });
    assert.equal(await ds.get(ref), undefined);
  });

  it('leaves a plain RBAC refusal as the AuthError it is', async () => {
    const ds = new MemoryDatastore(kdd).seed(READY);
    const rbac = new AuthError(
      'forbidden: clusterinformations.projectcalico.org "default" is forbidden: User "u" cannot update resource',
    );
    ds.update = async () => {
      throw rbac;
    };
    await assert.rejects(lockDatastore(ds, { by: 'a' }), (error: unknown) => error === rbac);
  });
});

describe('lock state summaries', () => {
  it('says whether and by whom a datastore is locked', () => {
    assert.equal(
      summarizeLockState(lockStateOf(undefined)),
      'not locked (no ClusterInformation default)',
    );
    assert.equal(
      summarizeLockState(lockStateOf(READY)),
      'not locked (datastoreReady is not false)',
    );
    const locked = clusterInformation(
      { datastoreReady: false },
      { [LockAnnotation.LockedBy]: 'a@b', [LockAnnotation.LockedAt]: 't' },
    );
    assert.equal(
      summarizeLockState(lockStateOf(locked)),
      'locked (datastoreReady: false), locked by a@b at t',
    );
  });
});
