import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { load } from 'js-yaml';
import {
  crdPathsFor,
  customResourcePath,
  nodePath,
  nodeStatusPath,
} from '../../../../src/datastores/kdd/crd-paths.js';
import { findKind, KINDS } from '../../../../src/model/kinds.js';
import { calicoCrdsDir } from '../../../helpers/paths.js';

interface CrdManifest {
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string };
    versions: { name: string }[];
  };
}

function manifest(group: string, plural: string): CrdManifest {
  const file = join(calicoCrdsDir(), `${group}_${plural}.yaml`);
  return load(readFileSync(file, 'utf8')) as CrdManifest;
}

describe('crdPathsFor', () => {
  const crdRows = KINDS.filter((row) => row.kdd.type === 'crd');

  it('covers the 22 Calico CRD kinds', () => assert.equal(crdRows.length, 22));

  for (const row of crdRows) {
    for (const mode of ['v1', 'v3'] as const) {
      it(`${row.kind} in ${mode} mode matches the shipped CRD`, () => {
        const paths = crdPathsFor(row, mode);
        const crd = manifest(paths.group, paths.plural);
        assert.equal(paths.group, crd.spec.group);
        assert.equal(paths.kind, crd.spec.names.kind);
        assert.equal(paths.plural, crd.spec.names.plural);
        assert.equal(paths.namespaced, crd.spec.scope === 'Namespaced');
        assert.ok(crd.spec.versions.some((v) => v.name === paths.version));
        assert.equal(paths.apiVersion, `${paths.group}/${paths.version}`);
      });
    }
  }

  it('uses IPAMConfig / ipamconfigs in v1 mode and IPAMConfiguration / ipamconfigurations in v3 mode', () => {
    const row = findKind('IPAMConfiguration')!;
    assert.deepEqual(crdPathsFor(row, 'v1'), {
      group: 'crd.projectcalico.org',
      version: 'v1',
      apiVersion: 'crd.projectcalico.org/v1',
      plural: 'ipamconfigs',
      kind: 'IPAMConfig',
      namespaced: false,
    });
    assert.deepEqual(crdPathsFor(row, 'v3'), {
      group: 'projectcalico.org',
      version: 'v3',
      apiVersion: 'projectcalico.org/v3',
      plural: 'ipamconfigurations',
      kind: 'IPAMConfiguration',
      namespaced: false,
    });
  });

  it('refuses kinds that are not Calico CRDs', () => {
    assert.throws(() => crdPathsFor(findKind('Node')!, 'v1'), /not stored as a Calico CRD/);
    assert.throws(() => crdPathsFor(findKind('Profile')!, 'v3'), /not stored as a Calico CRD/);
  });
});

describe('REST paths', () => {
  it('builds collection and item paths, namespaced and cluster-wide', () => {
    const np = crdPathsFor(findKind('NetworkPolicy')!, 'v1');
    assert.equal(customResourcePath(np), '/apis/crd.projectcalico.org/v1/networkpolicies');
    assert.equal(
      customResourcePath(np, undefined, 'prod'),
      '/apis/crd.projectcalico.org/v1/namespaces/prod/networkpolicies',
    );
    assert.equal(
      customResourcePath(np, 'default.allow-dns', 'prod'),
      '/apis/crd.projectcalico.org/v1/namespaces/prod/networkpolicies/default.allow-dns',
    );
    const pool = crdPathsFor(findKind('IPPool')!, 'v3');
    assert.equal(
      customResourcePath(pool, 'pool-a', 'ignored'),
      '/apis/projectcalico.org/v3/ippools/pool-a',
    );
  });

  it('builds Node paths, the update going to the status subresource', () => {
    assert.equal(nodePath(), '/api/v1/nodes');
    assert.equal(nodePath('worker-1'), '/api/v1/nodes/worker-1');
    assert.equal(nodeStatusPath('worker-1'), '/api/v1/nodes/worker-1/status');
  });
});
