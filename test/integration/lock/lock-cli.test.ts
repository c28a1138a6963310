/**
 * `calico-migrate lock`, `unlock` and `status` against the real test servers: Calico's etcd and
 * kube-apiservers in KDD v1 and v3 CRD mode. Each test starts from a known ClusterInformation (or
 * none), runs the CLI and checks what the server holds afterwards through the project's adapters
 * (and, for v1, the raw CR). Runs under the datastore lock; ClusterInformation is put back as it
 * was found.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { CalicoResource } from '../../../src/model/resource.js';
import { LockAnnotation } from '../../../src/migrate/lock-record.js';
import { TOOL_NAME, TOOL_VERSION } from '../../../src/version.js';
import { acquireDatastoreLock } from '../../helpers/clean-datastores.js';
import type { CliResult } from '../../helpers/run-cli.js';
import { runCli } from '../../helpers/run-cli.js';
import { KubeApi } from '../../helpers/seed-kdd.js';
import type { TestEnv } from '../../helpers/testenv.js';
import { loadTestEnv } from '../../helpers/testenv.js';
import type { Backend } from './support.js';
import {
  adminKubeconfig,
  CI_REF,
  clearClusterInformation,
  etcdConnectionFlags,
  openBackends,
  readyClusterInformation,
  restoreClusterInformation,
} from './support.js';

const BY = 'tester@ci';
const TOOL = `${TOOL_NAME} ${TOOL_VERSION}`;

/** The JSON `status` prints for one side. */
interface SideJson {
  datastore: string;
  type: string;
  endpoints?: string[];
  crdMode?: string;
  clusterInformation?: boolean;
  calicoVersion?: string;
  clusterGUID?: string;
  locked?: boolean;
  lock?: Record<string, string>;
  lastUnlock?: Record<string, string>;
  error?: string;
}

function parseStatus(result: CliResult): SideJson[] {
  assert.equal(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout.toString('utf8')) as { datastores: SideJson[] }).datastores;
}

let env: TestEnv;
let backends: Backend[] = [];
let release: (() => void) | undefined;
const saved = new Map<string, CalicoResource | undefined>();

before(async () => {
  env = loadTestEnv();
  release = await acquireDatastoreLock();
  backends = await openBackends(env);
  for (const backend of backends) saved.set(backend.name, await backend.ds.get(CI_REF));
});

after(async () => {
  try {
    for (const backend of backends)
      await restoreClusterInformation(backend.ds, saved.get(backend.name));
  } finally {
    for (const backend of backends) await backend.ds.close();
    release?.();
  }
});

for (const name of ['etcd', 'v1', 'v3'] as const) {
  describe(`lock, unlock and status on ${name}`, () => {
    let backend: Backend;
    const cli = (command: string, ...args: string[]) =>
      runCli([command, '--datastore', backend.side, ...backend.flags, ...args]);
    const read = async () => (await backend.ds.get(CI_REF))!;

    beforeEach(async () => {
      backend = backends.find((candidate) => candidate.name === name)!;
      await clearClusterInformation(backend.ds);
      await backend.ds.create(readyClusterInformation({ 'example.com/keep': 'yes' }));
    });
    afterEach(async () => clearClusterInformation(backend.ds));

    it('lock sets datastoreReady false with the record, and status shows both', async () => {
      const result = await cli('lock', '--by', BY, '--reason', 'integration test');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.length, 0);
      assert.match(
        result.stderr,
        /: set datastoreReady: false, locked by tester@ci at \S+Z \(reason: integration test\)/,
      );
      const stored = await read();
      assert.deepEqual(stored.spec, { ...readyClusterInformation().spec, datastoreReady: false });
      const annotations = stored.metadata.annotations ?? {};
      assert.equal(annotations['example.com/keep'], 'yes');
      assert.equal(annotations[LockAnnotation.LockedBy], BY);
      assert.equal(annotations[LockAnnotation.Reason], 'integration test');
      assert.equal(annotations[LockAnnotation.LockedWith], TOOL);
      const lockedAt = annotations[LockAnnotation.LockedAt]!;
      assert.match(lockedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(Math.abs(Date.parse(lockedAt) - Date.now()) < 120_000, lockedAt);

      const [side] = parseStatus(await cli('status', '-o', 'json'));
      assert.deepEqual(side, {
        datastore: backend.side,
        type: name === 'etcd' ? 'etcdv3' : 'kubernetes',
        endpoints: [backend.endpoint],
        ...(name !== 'etcd' && { crdMode: name }),
        clusterInformation: true,
        calicoVersion: 'v3.31.7',
        clusterGUID: 'c0ffee00c0ffee00c0ffee00c0ffee00',
        locked: true,
        lock: { lockedBy: BY, lockedAt, reason: 'integration test', lockedWith: TOOL },
      });
      const text = await cli('status');
      assert.equal(text.code, 0, text.stderr);
      assert.match(
        text.stdout.toString(),
        /\n {2}locked: +yes \(datastoreReady: false\)\n {2}locked by: +tester@ci\n/,
      );
    });

    it('lock again by the same owner changes nothing', async () => {
      assert.equal((await cli('lock', '--by', BY)).code, 0);
      const version = (await read()).metadata.resourceVersion;
      const again = await cli('lock', '--by', BY, '--reason', 'another');
      assert.equal(again.code, 0, again.stderr);
      assert.match(
        again.stderr,
        /is already locked by tester@ci at \S+ with calico-migrate \S+; nothing changed/,
      );
      assert.equal((await read()).metadata.resourceVersion, version);
      assert.equal((await read()).metadata.annotations?.[LockAnnotation.Reason], undefined);
    });

    it('unlock restores datastoreReady true and records the unlock; a second unlock is a no-op', async () => {
      assert.equal((await cli('lock', '--by', BY, '--reason', 'r')).code, 0);
      const result = await cli('unlock', '--by', BY);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /: set datastoreReady: true \(it was locked by tester@ci at/);
      const stored = await read();
      assert.deepEqual(stored.spec, readyClusterInformation().spec);
      const annotations = stored.metadata.annotations ?? {};
      assert.equal(annotations[LockAnnotation.LockedBy], undefined);
      assert.equal(annotations[LockAnnotation.Reason], undefined);
      assert.equal(annotations[LockAnnotation.LastUnlockedBy], BY);
      assert.equal(annotations['example.com/keep'], 'yes');
      const [side] = parseStatus(await cli('status', '-o', 'json'));
      assert.equal(side?.locked, false);
      assert.equal(side?.lock, undefined);
      assert.equal(side?.lastUnlock?.by, BY);

      const version = stored.metadata.resourceVersion;
      const again = await cli('unlock', '--by', BY);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, /is not locked \(datastoreReady is not false\); nothing changed/);
      assert.equal((await read()).metadata.resourceVersion, version);
    });

    it('lock creates ClusterInformation when there is none', async () => {
      await clearClusterInformation(backend.ds);
      const result = await cli('lock', '--by', BY);
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stderr,
        /had no ClusterInformation: created it with cluster GUID [0-9a-f]{32}/,
      );
      const created = await read();
      assert.match(String(created.spec?.clusterGUID), /^[0-9a-f]{32}$/);
      assert.equal(created.spec?.datastoreReady, false);
      assert.equal(created.spec?.clusterType, name === 'etcd' ? undefined : 'kdd');
      assert.equal(created.metadata.annotations?.[LockAnnotation.LockedBy], BY);
    });

    it('does not take over or release a lock someone else set, unless --force', async () => {
      const current = await read();
      await backend.ds.update({ ...current, spec: { ...current.spec, datastoreReady: false } });
      const version = (await read()).metadata.resourceVersion;

      const refused = await cli('lock', '--by', BY);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(
        refused.stderr,
        /^calico-migrate: error: \S+ \S+.* is locked without a calico-migrate lock record .*; not taking it over as tester@ci, nothing was changed: .*--force/m,
      );
      const notReleased = await cli('unlock', '--by', BY);
      assert.equal(notReleased.code, 2, notReleased.stderr);
      assert.match(notReleased.stderr, /not releasing it as tester@ci, nothing was changed/);
      assert.equal((await read()).metadata.resourceVersion, version);

      const forced = await cli('lock', '--by', BY, '--force');
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(
        forced.stderr,
        /took over the lock \(it was locked without a calico-migrate lock record/,
      );
      const taken = (await read()).metadata.annotations ?? {};
      assert.equal(taken[LockAnnotation.LockedBy], BY);
      assert.match(
        taken[LockAnnotation.TookOverFrom] ?? '',
        /without a calico-migrate lock record/,
      );

      const otherOwner = await cli('unlock', '--by', 'someone@else');
      assert.equal(otherOwner.code, 2, otherOwner.stderr);
      assert.match(otherOwner.stderr, /is locked by tester@ci at /);
      const released = await cli('unlock', '--by', 'someone@else', '--force');
      assert.equal(released.code, 0, released.stderr);
      assert.match(
        released.stderr,
        /set datastoreReady: true by force \(it was locked by tester@ci/,
      );
      assert.equal((await read()).spec?.datastoreReady, true);
    });

    if (name === 'v1') {
      it('puts the lock record on the v1 CR itself, where kubectl shows it', async () => {
        assert.equal((await cli('lock', '--by', BY)).code, 0);
        const api = await KubeApi.forApiserver(env, 'v1');
        const { body } = await api.send(
          'GET',
          '/apis/crd.projectcalico.org/v1/clusterinformations/default',
        );
        const cr = body as {
          metadata: { annotations: Record<string, string> };
          spec: { datastoreReady: boolean };
        };
        assert.equal(cr.spec.datastoreReady, false);
        assert.equal(cr.metadata.annotations[LockAnnotation.LockedBy], BY);
        assert.equal(
          cr.metadata.annotations['example.com/keep'],
          undefined,
          'only Calico-owned keys are copied',
        );
      });
    }
  });
}

describe('status of both sides in one call', () => {
  let etcd: Backend;
  let v3: Backend;
  beforeEach(async () => {
    etcd = backends.find((backend) => backend.name === 'etcd')!;
    v3 = backends.find((backend) => backend.name === 'v3')!;
    for (const backend of [etcd, v3]) {
      await clearClusterInformation(backend.ds);
      await backend.ds.create(readyClusterInformation());
    }
  });
  afterEach(async () => {
    for (const backend of [etcd, v3]) await clearClusterInformation(backend.ds);
  });

  const both = () => [...etcdConnectionFlags(env), '--kubeconfig', adminKubeconfig(env, 'v3')];

  it('shows every configured side, each with its own lock state', async () => {
    const lock = await runCli([
      'lock',
      '--datastore',
      'etcd',
      ...etcdConnectionFlags(env),
      '--by',
      BY,
    ]);
    assert.equal(lock.code, 0, lock.stderr);
    for (const flags of [both(), ['--datastore', 'both', ...both()]]) {
      const sides = parseStatus(await runCli(['status', '-o', 'json', ...flags]));
      assert.deepEqual(
        sides.map((side) => [side.datastore, side.locked, side.lock?.lockedBy, side.crdMode]),
        [
          ['etcd', true, BY, undefined],
          ['kdd', false, undefined, 'v3'],
        ],
      );
    }
    const text = await runCli(['status', ...both()]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout.toString(),
      /^etcd: etcdv3 .*\n(?: {2}.*\n)* {2}locked: +yes .*\n(?: {2}.*\n)*kdd: kubernetes .* \(v3 CRDs\)\n(?: {2}.*\n)* {2}locked: +no\n/,
    );
  });

  it('shows the side it can read and exits 1 when the other cannot be reached', async () => {
    const flags = [
      '--etcd-endpoints',
      'http://127.0.0.1:1',
      '--kubeconfig',
      adminKubeconfig(env, 'v3'),
    ];
    const result = await runCli(['status', '-o', 'json', ...flags]);
    assert.equal(result.code, 1, result.stderr);
    const sides = (JSON.parse(result.stdout.toString()) as { datastores: SideJson[] }).datastores;
    assert.match(sides[0]?.error ?? '', /127\.0\.0\.1:1/);
    assert.equal(sides[1]?.locked, false);
    assert.match(result.stderr, /^calico-migrate: error: etcd: /m);
  });
});
