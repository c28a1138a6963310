/**
 * Proves the test environment's kube-apiservers serve the real Calico CRDs: in v1 CRD mode and in
 * v3 CRD mode (separate apiservers), one object of EVERY CRD-backed kind of the kinds table is
 * created with strict field validation and read back with an identical spec, so a field the schema
 * prunes or defaults would fail the test. Each apiserver serves exactly one Calico CRD group.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ApiextensionsV1Api, ApisApi, CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { KINDS } from '../../../src/model/kinds.js';
import type { KindInfo } from '../../../src/model/kinds.js';
import { buildCustomResource, crTargetFor, findCrFixture } from '../../fixtures/crs/index.js';
import type { CrTarget } from '../../fixtures/crs/index.js';
import { listCrdFiles, readCrdManifest } from '../../harness/crds.js';
import type { CrdMode } from '../../harness/state.js';
import { loadKubeConfig, loadTestEnv } from '../../helpers/testenv.js';

const suffix = randomBytes(3).toString('hex');
const MODE_GROUPS: Record<CrdMode, { served: string; absent: string }> = {
  v1: { served: 'crd.projectcalico.org', absent: 'projectcalico.org' },
  v3: { served: 'projectcalico.org', absent: 'crd.projectcalico.org' },
};

/**
 * The kinds stored as custom resources in `mode`: every `crd` row, plus `other-crd` rows whose CRD
 * is part of the mode's manifest set (ClusterNetworkPolicy in v1 mode).
 */
function listCrKinds(mode: CrdMode): { row: KindInfo; target: CrTarget }[] {
  const manifests = new Set(listCrdFiles(mode).map((file) => readCrdManifest(file).metadata.name));
  return KINDS.flatMap((row) => {
    const target = crTargetFor(row, mode);
    if (target === null) return [];
    if (row.kdd.type === 'other-crd' && !manifests.has(target.crdName)) return [];
    return [{ row, target }];
  });
}

interface CreatedObject {
  readonly target: CrTarget & { version: string };
  readonly name: string;
  readonly namespace: string | undefined;
}

for (const mode of ['v1', 'v3'] as const) {
  describe(`Calico CRDs in ${mode} CRD mode`, () => {
    const kinds = listCrKinds(mode);
    let kubeConfig: KubeConfig;
    let objects: CustomObjectsApi;
    const created: CreatedObject[] = [];

    before(() => {
      kubeConfig = loadKubeConfig(loadTestEnv(), mode);
      objects = kubeConfig.makeApiClient(CustomObjectsApi);
    });

    after(async () => {
      for (const object of created.reverse()) await deleteObject(objects, object);
    });

    it(`serves ${MODE_GROUPS[mode].served} and not ${MODE_GROUPS[mode].absent}`, async () => {
      const groups = await kubeConfig.makeApiClient(ApisApi).getAPIVersions();
      const names = groups.groups.map((group) => group.name);
      assert.ok(names.includes(MODE_GROUPS[mode].served), `${MODE_GROUPS[mode].served} is served`);
      assert.ok(
        !names.includes(MODE_GROUPS[mode].absent),
        `${MODE_GROUPS[mode].absent} is not served`,
      );
    });

    it('has every CRD of the kinds table Established', async () => {
      const crds = kubeConfig.makeApiClient(ApiextensionsV1Api);
      const expected = kinds.filter(({ row }) => row.kdd.type === 'crd').length;
      assert.equal(expected, KINDS.filter((row) => row.kdd.type === 'crd').length);
      for (const { target } of kinds) {
        const crd = await crds.readCustomResourceDefinition({ name: target.crdName });
        const established = crd.status?.conditions?.find((c) => c.type === 'Established');
        assert.equal(established?.status, 'True', `${target.crdName} is Established`);
      }
    });

    it('rejects what the CRD validation rules forbid (built-in tier with the wrong action)', async () => {
      const target = withVersion(crTargetFor(findRow('Tier'), mode));
      const tier = buildCustomResource(findFixture('Tier'), target, mode, 'kube-admin');
      tier.spec = { order: 1000, defaultAction: 'Deny' };
      const error = await createObject(objects, target, undefined, tier).then(
        async () => {
          await deleteObject(objects, { target, name: 'kube-admin', namespace: undefined });
          return null;
        },
        (e: unknown) => e as { code?: number; body?: string },
      );
      assert.ok(error !== null, 'the apiserver accepted a kube-admin tier with defaultAction Deny');
      assert.equal(error.code, 422);
      assert.match(String(error.body), /kube-admin/);
    });

    for (const { row, target } of kinds) {
      it(`${row.kind}: creates and reads back ${target.kind}.${target.group}`, async () => {
        const fixture = findFixture(target.fixtureKind);
        const version = target.version ?? (await readStorageVersion(kubeConfig, target.crdName));
        const full = { ...target, version };
        const name = `${fixture.name}-${suffix}`;
        const namespace = row.scope === 'namespaced' ? (fixture.namespace ?? 'default') : undefined;
        const body = buildCustomResource(fixture, full, mode, name);
        await createObject(objects, full, namespace, body);
        created.push({ target: full, name, namespace });
        const read = (await readObject(objects, full, name, namespace)) as Record<string, unknown>;
        const meta = read.metadata as { name: string; labels?: Record<string, string> };
        assert.equal(read.apiVersion, body.apiVersion);
        assert.equal(read.kind, target.kind);
        assert.equal(meta.name, name);
        assert.deepEqual(meta.labels, fixture.labels);
        assert.deepEqual(
          read.spec,
          body.spec,
          'the spec reads back unchanged (nothing pruned or defaulted)',
        );
      });
    }
  });
}

function findRow(kind: string): KindInfo {
  const row = KINDS.find((r) => r.kind === kind);
  assert.ok(row !== undefined, `kinds table has no ${kind}`);
  return row;
}

function findFixture(kind: string): NonNullable<ReturnType<typeof findCrFixture>> {
  const fixture = findCrFixture(kind);
  assert.ok(fixture !== undefined, `no fixture for ${kind}: add one to test/fixtures/crs/`);
  return fixture;
}

function withVersion(target: CrTarget | null): CrTarget & { version: string } {
  assert.ok(target !== null && target.version !== undefined);
  return { ...target, version: target.version };
}

async function readStorageVersion(kubeConfig: KubeConfig, crdName: string): Promise<string> {
  const crd = await kubeConfig
    .makeApiClient(ApiextensionsV1Api)
    .readCustomResourceDefinition({ name: crdName });
  const version = crd.spec.versions.find((v) => v.storage)?.name;
  assert.ok(version !== undefined, `${crdName} has a storage version`);
  return version;
}

function createObject(
  api: CustomObjectsApi,
  target: CrTarget & { version: string },
  namespace: string | undefined,
  body: object,
): Promise<unknown> {
  const common = { group: target.group, version: target.version, plural: target.plural, body };
  // Strict: an unknown field is an error instead of being silently dropped.
  return namespace === undefined
    ? api.createClusterCustomObject({ ...common, fieldValidation: 'Strict' })
    : api.createNamespacedCustomObject({ ...common, namespace, fieldValidation: 'Strict' });
}

function readObject(
  api: CustomObjectsApi,
  target: CrTarget & { version: string },
  name: string,
  namespace: string | undefined,
): Promise<unknown> {
  const common = { group: target.group, version: target.version, plural: target.plural, name };
  return namespace === undefined
    ? api.getClusterCustomObject(common)
    : api.getNamespacedCustomObject({ ...common, namespace });
}

async function deleteObject(api: CustomObjectsApi, object: CreatedObject): Promise<void> {
  const { target, name, namespace } = object;
  const common = { group: target.group, version: target.version, plural: target.plural, name };
  try {
    if (namespace === undefined) await api.deleteClusterCustomObject(common);
    else await api.deleteNamespacedCustomObject({ ...common, namespace });
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
  }
}
