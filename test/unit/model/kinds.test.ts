import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { load } from 'js-yaml';
import { KINDS, listCrdNames, listExportedKinds, Scope } from '../../../src/model/kinds.js';
import { calicoCrdsDir } from '../../helpers/paths.js';

interface CrdManifest {
  metadata: { name: string };
  spec: {
    group: string;
    scope: 'Cluster' | 'Namespaced';
    names: { kind: string; plural: string };
    versions: { name: string; subresources?: { status?: object } }[];
  };
}

function readCrds(): CrdManifest[] {
  const dir = calicoCrdsDir();
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => load(readFileSync(join(dir, file), 'utf8')) as CrdManifest);
}

describe('kinds table', () => {
  const crds = readCrds();

  it('reads all 46 CRD manifests', () => {
    assert.equal(crds.length, 46);
  });

  for (const crd of readCrds()) {
    it(`maps CRD ${crd.metadata.name} to exactly one row, with matching scope and status`, () => {
      const rows = KINDS.filter((row) => listCrdNames(row).includes(crd.metadata.name));
      assert.equal(
        rows.length,
        1,
        `rows claiming ${crd.metadata.name}: ${rows.map((r) => r.kind)}`,
      );
      const row = rows[0]!;
      assert.equal(row.scope, crd.spec.scope === 'Namespaced' ? Scope.Namespaced : Scope.Cluster);
      const hasStatus = crd.spec.versions.some((v) => v.subresources?.status !== undefined);
      if (hasStatus) assert.ok(row.hasStatus, `${row.kind} has a status subresource`);
    });
  }

  it('claims no CRD that Calico does not ship', () => {
    const shipped = new Set(crds.map((crd) => crd.metadata.name));
    for (const row of KINDS) {
      for (const name of listCrdNames(row)) assert.ok(shipped.has(name), `${row.kind}: ${name}`);
    }
  });

  it('has one row per kind and plural', () => {
    assert.equal(new Set(KINDS.map((r) => r.kind)).size, KINDS.length);
    assert.equal(new Set(KINDS.map((r) => r.plural)).size, KINDS.length);
  });

  it('gives every exported kind an import order and a reason', () => {
    for (const row of KINDS) {
      assert.ok(row.reason.length > 20, `${row.kind} needs a reason`);
      assert.equal(row.order !== null, row.exported, `${row.kind}: order iff exported`);
    }
  });

  it('orders dependencies before dependants', () => {
    const position = new Map(listExportedKinds().map((row, index) => [row.kind, index]));
    const before = (a: string, b: string) =>
      assert.ok(position.get(a)! < position.get(b)!, `${a} before ${b}`);
    before('Tier', 'GlobalNetworkPolicy');
    before('Tier', 'NetworkPolicy');
    before('Tier', 'StagedNetworkPolicy');
    before('BGPFilter', 'BGPPeer');
    before('Node', 'HostEndpoint');
    before('Node', 'BlockAffinity');
    before('GlobalNetworkPolicy', 'HostEndpoint');
    before('Profile', 'WorkloadEndpoint');
    before('IPPool', 'IPAMBlock');
    before('IPAMHandle', 'IPAMBlock');
    before('BlockAffinity', 'IPAMBlock');
    before('IPAMBlock', 'ClusterInformation');
  });
});
