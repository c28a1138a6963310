/**
 * The checks of a finished etcd -> KDD migration of the hybrid deployment, as `it` cases: every
 * Kubernetes-side and shared object is in KDD in the CRD mode's storage form with its nodes under
 * their Kubernetes names (generic, object by object, and field by field for each place Calico keeps
 * a node name), KDD holds nothing else, every OpenStack-side object stayed in etcd byte for byte and
 * is listed in the plan and the report, and the locks are as documented. Expectations come from
 * test/fixtures/hybrid (built for Kubernetes names) and test/fixtures/dataset's storage writers,
 * never from src/.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonObject } from '../../../src/model/json.js';
import { isJsonObject, parseJson, stringifyJson } from '../../../src/model/json.js';
import type { CrdMode } from '../../fixtures/dataset/index.js';
import { cidrToName, hostnameHash } from '../../fixtures/dataset/calico-names.js';
import { toCustomResource } from '../../fixtures/dataset/kdd-crs.js';
import { toKubernetesNode } from '../../fixtures/dataset/kdd-k8s.js';
import type { HybridEntry } from '../../fixtures/hybrid/index.js';
import {
  EXPECTED_RENAMES,
  expectedInKdd,
  HYBRID_CALICO_VERSION,
  HYBRID_CLUSTER_GUID,
  hybridIdentity,
  KUBERNETES_HOSTS,
  kubernetesV4Block,
  kubernetesV6Block,
  OPENSTACK_HOSTS,
  openstackSide,
  PODS,
} from '../../fixtures/hybrid/index.js';
import type { CliResult } from '../../helpers/run-cli.js';
import type { KubeApi } from '../../helpers/seed-kdd.js';
import type { MigrateReportJson, PlanJson } from './support.js';
import {
  assertContains,
  assertExit,
  BY,
  listCalicoObjects,
  listedIdentity,
  readObject,
  totalOf,
} from './support.js';

/** What a finished etcd -> KDD migration left, for the checks. */
export interface FinishedKddMigration {
  mode: CrdMode;
  api: KubeApi;
  /** The migrate run. */
  result: CliResult;
  plan: PlanJson;
  report: MigrateReportJson;
  /** The etcd keys seeded before the run. */
  seeded: Map<string, Buffer>;
  /** Every etcd key after the run. */
  etcdAfter: Map<string, Buffer>;
  /** Whether the run was given --unlock-target. */
  targetUnlocked: boolean;
}

const CLUSTER_INFORMATION_KEY =
  '/calico/resources/v3/projectcalico.org/clusterinformations/default';

/** The path of an entry's custom resource, and the resource its storage form must be. */
function expectedResource(entry: HybridEntry, mode: CrdMode) {
  const write = toCustomResource(entry, mode);
  const name = String((write.body.metadata as JsonObject).name);
  const ns = write.namespace ? `/namespaces/${write.namespace}` : '';
  return { path: `${write.groupVersion}${ns}/${write.plural}/${name}`, write };
}

/** Reads the CR of a hybrid entry; fails when it is missing. */
async function readExpected(api: KubeApi, entry: HybridEntry, mode: CrdMode) {
  const { path, write } = expectedResource(entry, mode);
  const live = await readObject(api, path);
  assert.ok(live, `${hybridIdentity(entry)}: no ${path} in KDD`);
  return { live, write, path };
}

function specOf(object: JsonObject): JsonObject {
  return isJsonObject(object.spec) ? object.spec : {};
}

function labelsOf(object: JsonObject): Record<string, string> {
  const meta = isJsonObject(object.metadata) ? object.metadata : {};
  return (isJsonObject(meta.labels) ? meta.labels : {}) as Record<string, string>;
}

function annotationsOf(object: JsonObject): Record<string, string> {
  const meta = isJsonObject(object.metadata) ? object.metadata : {};
  return (isJsonObject(meta.annotations) ? meta.annotations : {}) as Record<string, string>;
}

const byKind = (kind: string) => expectedInKdd().filter((entry) => entry.object.kind === kind);

/** Declares the checks; `get` returns the finished migration once the before hook has run it. */
export function describeKddTargetChecks(get: () => FinishedKddMigration): void {
  it('exits 0 and verifies every object it wrote', () => {
    const { result, report } = get();
    assertExit(result, 0, 'migrate');
    const done = report.result!;
    assert.deepEqual(
      [done.failures, done.missing, done.differences, done.conflicts],
      [[], [], [], []],
    );
    const written = expectedInKdd().length;
    // A resumed run finds what the interrupted one wrote: unchanged instead of create.
    assert.equal(
      totalOf(done, 'create') + totalOf(done, 'unchanged'),
      written,
      'each Kubernetes-side/shared object written once (or found already written)',
    );
    assert.equal(totalOf(done, 'matched'), written, 'each read back unchanged');
  });

  it('puts every Kubernetes-side and shared object into KDD in its storage form', async () => {
    const { api, mode } = get();
    for (const entry of expectedInKdd()) {
      if (entry.object.kind === 'Node') continue; // on Kubernetes Nodes, checked below
      const { live, write, path } = await readExpected(api, entry, mode);
      assert.equal(live.apiVersion, write.body.apiVersion, `${path}: apiVersion`);
      assert.equal(live.kind, write.body.kind, `${path}: kind`);
      assertContains(live.spec, write.body.spec, `${path} spec`);
      const metadata = annotationsOf(live)['projectcalico.org/metadata'];
      if (mode === 'v1')
        assert.ok(metadata && parseJson(metadata), `${path}: v1 metadata annotation`);
      else assert.equal(metadata, undefined, `${path}: no metadata annotation in v3 mode`);
    }
  });

  it('writes nothing else into KDD (derived and OpenStack-side objects stay out)', async () => {
    const { api, mode } = get();
    const kindOf = (kind: string) => (kind === 'IPAMConfig' ? 'IPAMConfiguration' : kind);
    const actual = (await listCalicoObjects(api)).map((object) => {
      const meta = object.metadata as JsonObject;
      const ns = typeof meta.namespace === 'string' ? `${meta.namespace}/` : '';
      return `${kindOf(String(object.kind))} ${ns}${String(meta.name)}`;
    });
    const expected = expectedInKdd()
      .filter((entry) => entry.object.kind !== 'Node')
      .map((entry) => {
        const { write } = expectedResource(entry, mode);
        const name = String((write.body.metadata as JsonObject).name);
        const ns = write.namespace ? `${write.namespace}/` : '';
        return `${entry.object.kind} ${ns}${name}`;
      });
    assert.deepEqual(actual.sort(), [...expected, 'ClusterInformation default'].sort());
  });

  it('leaves no Calico node name of a renamed node and no OpenStack host in any Calico object', async () => {
    const { api } = get();
    const text = stringifyJson(await listCalicoObjects(api));
    const renamed = EXPECTED_RENAMES.map((rename) => rename.from);
    for (const name of [...renamed, ...OPENSTACK_HOSTS.map((host) => host.calico)])
      assert.ok(!text.includes(name), `${name} appears in KDD`);
  });

  it('writes each Calico Node onto its Kubernetes Node (annotations), under the Kubernetes name', async () => {
    const { api } = get();
    for (const entry of byKind('Node')) {
      const name = entry.object.metadata.name;
      const live = await readObject(api, `/api/v1/nodes/${name}`);
      assert.ok(live, `Kubernetes Node ${name}`);
      const expected = toKubernetesNode(entry).body.metadata as JsonObject;
      const calicoAnnotations = Object.fromEntries(
        Object.entries(annotationsOf(live)).filter(([key]) => key.startsWith('projectcalico.org/')),
      );
      assert.deepEqual(calicoAnnotations, expected.annotations, `Node ${name} annotations`);
    }
    for (const { from } of EXPECTED_RENAMES)
      assert.equal(await readObject(api, `/api/v1/nodes/${from}`), undefined, `no Node ${from}`);
  });

  it('renames node.<name> FelixConfiguration and BGPConfiguration', async () => {
    const { api, mode } = get();
    const group = mode === 'v1' ? '/apis/crd.projectcalico.org/v1' : '/apis/projectcalico.org/v3';
    for (const host of KUBERNETES_HOSTS) {
      assert.ok(await readObject(api, `${group}/felixconfigurations/node.${host.k8s}`), host.k8s);
      if (host.calico !== host.k8s) {
        for (const plural of ['felixconfigurations', 'bgpconfigurations']) {
          const stale = await readObject(api, `${group}/${plural}/node.${host.calico}`);
          assert.equal(stale, undefined, `${plural} node.${host.calico}`);
        }
      }
    }
    for (const host of KUBERNETES_HOSTS.slice(0, 2))
      assert.ok(await readObject(api, `${group}/bgpconfigurations/node.${host.k8s}`), host.k8s);
  });

  it('renames block affinities: host, CR name and hostname-hash label', async () => {
    const { api, mode } = get();
    const group = mode === 'v1' ? '/apis/crd.projectcalico.org/v1' : '/apis/projectcalico.org/v3';
    for (const host of KUBERNETES_HOSTS) {
      for (const cidr of [kubernetesV4Block(host), kubernetesV6Block(host)]) {
        const name = `${host.k8s}-${cidrToName(cidr)}`;
        const live = await readObject(api, `${group}/blockaffinities/${name}`);
        assert.ok(live, `BlockAffinity ${name}`);
        assert.equal(specOf(live).node, host.k8s);
        assert.equal(specOf(live).deleted, mode === 'v1' ? 'false' : false);
        assert.deepEqual(labelsOf(live), {
          'projectcalico.org/affinity-type': 'host',
          'projectcalico.org/hostname-hash': hostnameHash(host.k8s),
          'projectcalico.org/ip-version': cidr.includes(':') ? '6' : '4',
        });
      }
    }
  });

  it('renames block affinity and allocation attributes (node, alternate owner, tunnel handle IDs)', async () => {
    const { api, mode } = get();
    const group = mode === 'v1' ? '/apis/crd.projectcalico.org/v1' : '/apis/projectcalico.org/v3';
    for (const host of KUBERNETES_HOSTS) {
      for (const cidr of [kubernetesV4Block(host), kubernetesV6Block(host)]) {
        const live = await readObject(api, `${group}/ipamblocks/${cidrToName(cidr)}`);
        assert.ok(live, `IPAMBlock ${cidr}`);
        const spec = specOf(live);
        assert.equal(spec.affinity, `host:${host.k8s}`, `${cidr} affinity`);
        const attributes = spec.attributes as JsonObject[];
        for (const attribute of attributes) {
          assert.equal((attribute.secondary as JsonObject).node, host.k8s, `${cidr} node`);
          const handle = String(attribute.handle_id);
          if (handle.includes('tunnel-addr-'))
            assert.ok(handle.endsWith(`-tunnel-addr-${host.k8s}`), `${cidr} handle ${handle}`);
        }
      }
    }
    const migrating = PODS.find((pod) => pod.migratingTo)!;
    const host = KUBERNETES_HOSTS[migrating.host]!;
    const block = await readObject(
      api,
      `${group}/ipamblocks/${cidrToName(kubernetesV4Block(host))}`,
    );
    const attribute = (specOf(block!).attributes as JsonObject[]).find(
      (candidate) => (candidate.secondary as JsonObject).pod === migrating.name,
    )!;
    assert.equal(
      (attribute.alternateOwnerAttrs as JsonObject).node,
      KUBERNETES_HOSTS[migrating.migratingTo!.host]!.k8s,
      'alternateOwnerAttrs.node',
    );
  });

  it('renames all five tunnel handles of every Kubernetes node (IPIP, VXLAN, VXLAN v6, WireGuard, WireGuard v6)', async () => {
    const { api, mode } = get();
    const group = mode === 'v1' ? '/apis/crd.projectcalico.org/v1' : '/apis/projectcalico.org/v3';
    const prefixes = ['ipip', 'vxlan', 'vxlan-v6', 'wireguard', 'wireguard-v6'];
    for (const host of KUBERNETES_HOSTS) {
      for (const prefix of prefixes) {
        const id = `${prefix}-tunnel-addr-${host.k8s}`;
        const live = await readObject(api, `${group}/ipamhandles/${id.toLowerCase()}`);
        assert.ok(live, `IPAMHandle ${id}`);
        assert.equal(specOf(live).handleID, id);
        if (host.calico !== host.k8s) {
          const stale = `${prefix}-tunnel-addr-${host.calico}`.toLowerCase();
          assert.equal(await readObject(api, `${group}/ipamhandles/${stale}`), undefined, stale);
        }
      }
    }
  });

  it('renames spec.node of HostEndpoint, BGPPeer and CalicoNodeStatus', async () => {
    const { api, mode } = get();
    const bound = expectedInKdd().filter((entry) =>
      ['HostEndpoint', 'BGPPeer', 'CalicoNodeStatus'].includes(entry.object.kind),
    );
    const kinds = new Set<string>();
    for (const entry of bound) {
      const node = entry.object.spec?.node;
      if (typeof node !== 'string') continue; // the global peer
      const { live } = await readExpected(api, entry, mode);
      assert.ok(
        KUBERNETES_HOSTS.some((host) => host.k8s === specOf(live).node),
        `${hybridIdentity(entry)} spec.node`,
      );
      assert.equal(specOf(live).node, node);
      kinds.add(entry.object.kind);
    }
    assert.deepEqual([...kinds].sort(), ['BGPPeer', 'CalicoNodeStatus', 'HostEndpoint']);
  });

  it('lists exactly the OpenStack-side objects as staying, in the plan JSON and the report', () => {
    const { plan, report } = get();
    const expected = openstackSide().map(hybridIdentity).sort();
    for (const [what, staying] of [
      ['plan', plan.transform.staying],
      ['report', report.plan.transform.staying],
    ] as const) {
      assert.deepEqual(staying.map(listedIdentity).sort(), expected, what);
      for (const item of staying) assert.ok(item.reason.length > 0, `${what}: reason`);
    }
    assert.equal(plan.transform.rawStaying, 0);
    const printed = get().result.stdout.toString('utf8');
    for (const item of plan.transform.staying)
      assert.ok(
        printed.includes(`  ${listedIdentity(item)}: `),
        `printed: ${listedIdentity(item)}`,
      );
  });

  it('leaves etcd untouched but for the lock on ClusterInformation', () => {
    const { seeded, etcdAfter } = get();
    assert.deepEqual([...etcdAfter.keys()].sort(), [...seeded.keys()].sort(), 'same keys');
    for (const [key, value] of seeded) {
      if (key === CLUSTER_INFORMATION_KEY) continue;
      assert.ok(etcdAfter.get(key)!.equals(value), `${key} unchanged`);
    }
    const before = parseJson(seeded.get(CLUSTER_INFORMATION_KEY)!.toString()) as JsonObject;
    const after = parseJson(etcdAfter.get(CLUSTER_INFORMATION_KEY)!.toString()) as JsonObject;
    assert.deepEqual(specOf(after), { ...specOf(before), datastoreReady: false });
  });

  it('locks the source, and the target unless --unlock-target; carries GUID and version over', async () => {
    const { api, mode, etcdAfter, targetUnlocked } = get();
    const source = parseJson(etcdAfter.get(CLUSTER_INFORMATION_KEY)!.toString()) as JsonObject;
    assert.equal(annotationsOf(source)['calico-migrate.projectcalico.org/locked-by'], BY);
    const group = mode === 'v1' ? '/apis/crd.projectcalico.org/v1' : '/apis/projectcalico.org/v3';
    const target = await readObject(api, `${group}/clusterinformations/default`);
    assert.ok(target, 'ClusterInformation in KDD');
    const spec = specOf(target);
    assert.equal(spec.clusterGUID, HYBRID_CLUSTER_GUID);
    assert.equal(spec.calicoVersion, HYBRID_CALICO_VERSION);
    assert.equal(spec.datastoreReady, targetUnlocked);
    const lockedBy = annotationsOf(target)['calico-migrate.projectcalico.org/locked-by'];
    assert.equal(lockedBy, targetUnlocked ? undefined : BY);
  });

  it('plans the renames and reports the pool with blocks on both sides', () => {
    const { plan } = get();
    assert.deepEqual(plan.blockers, []);
    assert.deepEqual(
      plan.transform.renames.map(({ from, to }) => ({ from, to })),
      [...EXPECTED_RENAMES].sort((a, b) => a.from.localeCompare(b.from)),
    );
    const risks = plan.transform.pools?.risks ?? [];
    assert.deepEqual(
      risks.map((risk) => [risk.pool, risk.blocks.kubernetes, risk.blocks.openstack]),
      [['default-ipv4-ippool', KUBERNETES_HOSTS.length, OPENSTACK_HOSTS.length]],
    );
  });
}
