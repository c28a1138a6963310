import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TargetProfile } from '../../../src/import/compare.js';
import { comparableDigest, diffObjects } from '../../../src/import/compare.js';
import type { ImportPolicy } from '../../../src/import/plan-object.js';
import { planObject, planRaw } from '../../../src/import/plan-object.js';
import { findKind } from '../../../src/model/kinds.js';
import type { CalicoResource } from '../../../src/model/resource.js';

const etcd: TargetProfile = { type: 'etcdv3', restoreStatus: false };
const kdd: TargetProfile = { type: 'kubernetes', crdMode: 'v1', restoreStatus: false };
const fail: ImportPolicy = { onConflict: 'fail', skipDerived: false };

const object = (
  kind: string,
  name: string,
  spec: object = {},
  extra: Partial<CalicoResource> = {},
): CalicoResource => ({
  apiVersion: 'projectcalico.org/v3',
  kind,
  metadata: { name, uid: 'u-1', creationTimestamp: '2025-01-01T00:00:00Z' },
  spec: spec as CalicoResource['spec'],
  ...extra,
});
const plan = (
  archived: CalicoResource,
  live: CalicoResource | undefined,
  profile = etcd,
  policy = fail,
  vacant = false,
) =>
  planObject({
    kind: findKind(archived.kind)!,
    archived,
    live: live && {
      digest: comparableDigest(live, profile),
      resourceVersion: '7',
      ...(vacant ? { vacant } : {}),
    },
    profile,
    policy,
  });

describe('planObject', () => {
  const pool = object('IPPool', 'p', { cidr: '10.0.0.0/16' });

  it('creates what the target lacks', () => {
    assert.equal(plan(pool, undefined).action, 'create');
  });

  it('plans an object Calico would refuse as invalid, or skips it under --skip-invalid', () => {
    const bad = object('IPPool', 'bad', { cidr: '10.0.0.1/16' });
    const planned = plan(bad, undefined);
    assert.equal(planned.action, 'invalid');
    assert.match(planned.reason!, /^invalid: spec\.cidr "10\.0\.0\.1\/16" has host bits set/);
    assert.equal(plan(bad, pool).action, 'invalid');
    const skipped = plan(bad, undefined, etcd, { ...fail, skipInvalid: true });
    assert.equal(skipped.action, 'skip');
    assert.match(skipped.reason!, /\(--skip-invalid\)$/);
  });

  it('leaves an invalid object the target already holds identically unchanged (nothing to write)', () => {
    const bad = object('IPPool', 'bad', { cidr: '10.0.0.1/16' });
    assert.equal(plan(bad, structuredClone(bad)).action, 'unchanged');
  });

  it('leaves identical objects unchanged, whatever their server metadata and recorded facts', () => {
    const live = structuredClone(pool);
    live.metadata.resourceVersion = '99';
    live.metadata.uid = 'other-uid';
    live.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
    assert.equal(plan(pool, live).action, 'unchanged');
    assert.equal(plan(pool, live, kdd).action, 'unchanged');
  });

  it('applies the conflict policy to objects that differ', () => {
    const live = object('IPPool', 'p', { cidr: '10.1.0.0/16' });
    assert.equal(plan(pool, live).action, 'conflict');
    assert.equal(plan(pool, live, etcd, { onConflict: 'skip', skipDerived: false }).action, 'skip');
    const update = plan(pool, live, etcd, { onConflict: 'overwrite', skipDerived: false });
    assert.equal(update.action, 'update');
    assert.equal(update.resourceVersion, '7');
  });

  it('skips derived objects into KDD, and into etcd only with --skip-derived', () => {
    const profile = object('Profile', 'kns.default');
    const wep = object(
      'WorkloadEndpoint',
      'n-k8s-p-eth0',
      {},
      { metadata: { name: 'n-k8s-p-eth0', namespace: 'default' } },
    );
    const knp = object(
      'NetworkPolicy',
      'knp.default.x',
      {},
      { metadata: { name: 'knp.default.x', namespace: 'default' } },
    );
    for (const archived of [profile, wep, knp]) {
      assert.equal(plan(archived, undefined, kdd).action, 'skip', archived.metadata.name);
      assert.equal(plan(archived, undefined, etcd).action, 'create', archived.metadata.name);
      const skipped = plan(archived, undefined, etcd, { onConflict: 'fail', skipDerived: true });
      assert.equal(skipped.action, 'skip');
      assert.equal(skipped.derived, true);
    }
  });

  it('explains that KDD cannot hold user profiles', () => {
    const planned = plan(object('Profile', 'legacy-openstack-sg'), undefined, kdd);
    assert.equal(planned.action, 'skip');
    assert.match(planned.reason!, /user-created profiles/);
  });

  it('reports a Calico node with no Kubernetes Node as not restorable into KDD, and fills a vacant one', () => {
    const node = object('Node', 'compute-1', { bgp: { ipv4Address: '10.0.0.5/24' } });
    const missing = plan(node, undefined, kdd);
    assert.equal(missing.action, 'skip');
    assert.match(missing.reason!, /not restorable: no Kubernetes Node named compute-1/);
    const vacant = object('Node', 'compute-1', {
      orchRefs: [{ nodeName: 'compute-1', orchestrator: 'k8s' }],
    });
    assert.equal(plan(node, vacant, kdd, fail, true).action, 'create');
    assert.equal(plan(node, undefined, etcd).action, 'create');
  });

  it('ignores the datastoreReady lock when comparing ClusterInformation', () => {
    const archived = object('ClusterInformation', 'default', {
      clusterGUID: 'g',
      datastoreReady: false,
    });
    const live = object('ClusterInformation', 'default', {
      clusterGUID: 'g',
      datastoreReady: true,
    });
    assert.equal(plan(archived, live).action, 'unchanged');
  });

  it('does not compare status or KDD-derived node fields in KDD unless asked', () => {
    const archived = object('IPPool', 'p', { cidr: '10.0.0.0/16' }, { status: { conditions: [] } });
    assert.equal(
      plan(archived, object('IPPool', 'p', { cidr: '10.0.0.0/16' }), kdd).action,
      'unchanged',
    );
    const withStatus = { ...kdd, restoreStatus: true };
    assert.equal(
      plan(archived, object('IPPool', 'p', { cidr: '10.0.0.0/16' }), withStatus).action,
      'conflict',
    );
    const node = object('Node', 'n', {
      bgp: { ipv4Address: '10.0.0.5/24' },
      orchRefs: [{ nodeName: 'old', orchestrator: 'k8s' }],
    });
    const kddNode = object('Node', 'n', {
      bgp: { ipv4Address: '10.0.0.5/24' },
      orchRefs: [{ nodeName: 'n', orchestrator: 'k8s' }],
    });
    assert.equal(plan(node, kddNode, kdd).action, 'unchanged');
    assert.equal(plan(node, kddNode, etcd).action, 'conflict');
  });

  it('leaves Kubernetes-owned node labels (kube-labels) out of KDD comparisons, but not Calico-only ones', () => {
    const archived = object(
      'Node',
      'n',
      {},
      {
        metadata: {
          name: 'n',
          labels: { 'kubernetes.io/os': 'linux', rack: 'r1' },
          annotations: { 'projectcalico.org/kube-labels': '{"kubernetes.io/os":"linux"}' },
        },
      },
    );
    const live = object(
      'Node',
      'n',
      {},
      {
        metadata: {
          name: 'n',
          labels: { rack: 'r1', 'node-role.kubernetes.io/worker': '' },
          annotations: { 'projectcalico.org/kube-labels': '{"node-role.kubernetes.io/worker":""}' },
        },
      },
    );
    assert.equal(plan(archived, live, kdd).action, 'unchanged');
    const lostCalicoLabel = structuredClone(live);
    delete lostCalicoLabel.metadata.labels!.rack;
    assert.equal(plan(archived, lostCalicoLabel, kdd).action, 'conflict');
  });

  it('applies the target schema defaults before comparing', () => {
    const defaults = (r: CalicoResource) => ({
      ...r,
      spec: { assignmentMode: 'Automatic', ...r.spec },
    });
    const profile = { ...kdd, defaults };
    const live = object('IPPool', 'p', { cidr: '10.0.0.0/16', assignmentMode: 'Automatic' });
    assert.equal(plan(pool, live, profile).action, 'unchanged');
    assert.equal(plan(pool, live, kdd).action, 'conflict');
  });
});

describe('diffObjects', () => {
  it('names each differing field with both values', () => {
    const a = object('IPPool', 'p', { cidr: '10.0.0.0/16', blockSize: 26, nodeSelector: 'all()' });
    const b = object('IPPool', 'p', { cidr: '10.0.0.0/16', blockSize: 24, natOutgoing: true });
    assert.deepEqual(diffObjects(a, b, etcd), [
      { path: 'spec.blockSize', archive: 26, target: 24 },
      { path: 'spec.natOutgoing', archive: undefined, target: true },
      { path: 'spec.nodeSelector', archive: 'all()', target: undefined },
    ]);
  });
});

describe('planRaw', () => {
  const raw = {
    source: 'etcd' as const,
    key: '/calico/ipam/v2/x',
    value: Buffer.from('v'),
    reason: 'unrecognised',
  };
  it('restores raw etcd entries only into etcd, and compares bytes', () => {
    assert.equal(planRaw(raw, undefined, kdd).action, 'skip');
    assert.equal(planRaw(raw, undefined, etcd).action, 'create');
    assert.equal(planRaw(raw, Buffer.from('v'), etcd).action, 'unchanged');
    assert.equal(planRaw(raw, Buffer.from('w'), etcd).action, 'conflict');
  });
});
