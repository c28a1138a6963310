/**
 * `calico-migrate migrate --from kdd --to etcd`: a KDD cluster in v1 CRD mode seeded with the
 * dataset of the export tests (test/fixtures/dataset: Calico CRs of every kind in the storage
 * forms Calico writes, Kubernetes Nodes with Calico annotations, Namespaces, ServiceAccounts and
 * running Pods, plus pods KDD does not show and soft-deleted IPAM CRs) is migrated into an emptied
 * etcd. etcd must then hold exactly what Calico v3.32.1 in etcd mode would hold for that cluster,
 * key by key: the expected keys and values come from the dataset's own etcd writer
 * (test/fixtures/dataset/etcd-storage.ts) with the facts the API server recorded (uid,
 * creationTimestamp), never from src/. That includes what only KDD derives and etcd must store:
 * WorkloadEndpoints for the pods with IPs and `kns.`/`ksa.` profiles. Runs under the datastore lock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JsonObject } from '../../../src/model/json.js';
import { isJsonObject, parseJson } from '../../../src/model/json.js';
import type { DatasetEntry } from '../../fixtures/dataset/index.js';
import {
  buildKddSeed,
  DATASET_CALICO_VERSION,
  DATASET_CLUSTER_GUID,
  identityOf,
  PORTABLE,
} from '../../fixtures/dataset/index.js';
import { toEtcdEntry } from '../../fixtures/dataset/etcd-storage.js';
import { wipeEtcdCalico, wipeKdd } from '../../helpers/clean-datastores.js';
import type { CliResult } from '../../helpers/run-cli.js';
import { runCli } from '../../helpers/run-cli.js';
import type { KddFacts } from '../../helpers/seed-kdd.js';
import { seedKdd } from '../../helpers/seed-kdd.js';
import type { MigrateReportJson } from './support.js';
import {
  assertExit,
  BY,
  etcdFlags,
  kddFlags,
  MigrateServers,
  readJsonFile,
  readObject,
  totalOf,
} from './support.js';

const V3 = '/calico/resources/v3/projectcalico.org';
const CLUSTER_INFORMATION_KEY = `${V3}/clusterinformations/default`;

/** The etcd keys and values the dataset's KDD form must become (v3.32 storage). */
function expectedEtcd(facts: KddFacts): Map<string, Buffer> {
  const expected = new Map<string, Buffer>();
  for (const entry of PORTABLE) {
    if (entry.object.kind === 'ClusterInformation') continue; // the target keeps its own
    const identity = identityOf(entry.object);
    const fact = facts.get(identity);
    const isIpam = /^(IPAMBlock|IPAMHandle|BlockAffinity|IPAMConfiguration)$/.test(
      entry.object.kind,
    );
    if (!fact && !isIpam) throw new Error(`no recorded uid/creationTimestamp for ${identity}`);
    const object = isIpam
      ? entry.object
      : { ...entry.object, metadata: { ...entry.object.metadata, ...fact } };
    // Written by this Calico version: v3.32 policy names and attributes.
    const stored: DatasetEntry = {
      ...entry,
      object,
      etcd: { ...entry.etcd, policyStyle: 'v3.32', attributes: 'omitempty' },
    };
    const { key, value } = toEtcdEntry(stored);
    expected.set(key, value);
  }
  return expected;
}

describe('migrate --from kdd --to etcd: a KDD v1 cluster into an emptied etcd', () => {
  let servers: MigrateServers;
  let facts: KddFacts;
  let result: CliResult;
  let report: MigrateReportJson;
  let etcd: Map<string, Buffer>;
  let expected: Map<string, Buffer>;

  before(async () => {
    servers = await MigrateServers.open('kdd-to-etcd');
    await wipeKdd(servers.apis.v1);
    facts = await seedKdd(servers.apis.v1, buildKddSeed('v1'));
    await wipeEtcdCalico(servers.etcd);
    const reportPath = servers.path('report.json');
    result = await runCli([
      'migrate',
      '--from',
      'kdd',
      '--to',
      'etcd',
      ...kddFlags(servers.env, 'v1'),
      ...etcdFlags(servers.env),
      '--by',
      BY,
      '--archive',
      servers.path('kdd.tar.gz'),
      '--report',
      reportPath,
    ]);
    assertExit(result, 0, 'migrate --from kdd --to etcd');
    report = readJsonFile<MigrateReportJson>(reportPath);
    etcd = await servers.dumpEtcd();
    expected = expectedEtcd(facts);
  });

  after(async () => {
    await servers?.close();
  });

  it('exits 0 having written and verified every object, with nothing left out', () => {
    assertExit(result, 0, 'migrate');
    const done = report.result!;
    assert.deepEqual(
      [done.failures, done.missing, done.differences, done.conflicts],
      [[], [], [], []],
    );
    assert.equal(totalOf(done, 'create'), expected.size);
    assert.equal(totalOf(done, 'matched'), expected.size);
    assert.deepEqual(report.plan.transform.staying, [], 'every pod the export saw has an IP');
  });

  it('writes exactly the keys Calico in etcd mode would hold (and ClusterInformation)', () => {
    const actual = [...etcd.keys()].sort();
    assert.deepEqual(actual, [...expected.keys(), CLUSTER_INFORMATION_KEY].sort());
  });

  it('stores every object as Calico v3.32.1 stores it', () => {
    for (const [key, value] of expected) {
      assert.deepStrictEqual(
        parseJson(etcd.get(key)!.toString('utf8')),
        parseJson(value.toString('utf8')),
        key,
      );
    }
  });

  it('writes WorkloadEndpoints for the pods with IPs only, named from their nodes', () => {
    const endpoints = [...etcd.keys()].filter((key) => key.startsWith(`${V3}/workloadendpoints/`));
    assert.deepEqual(endpoints.sort(), [
      `${V3}/workloadendpoints/payments/worker--2-k8s-api--7d9f8--x2k4p-eth0`,
      `${V3}/workloadendpoints/shop/worker--1-k8s-web--0-eth0`,
    ]);
  });

  it('writes the kns./ksa. profiles of every Namespace and ServiceAccount KDD shows', () => {
    const profiles = [...etcd.keys()]
      .filter((key) => key.startsWith(`${V3}/profiles/`))
      .map((key) => key.slice(`${V3}/profiles/`.length));
    assert.deepEqual(profiles.sort(), [
      'kns.default',
      'kns.kube-node-lease',
      'kns.kube-public',
      'kns.kube-system',
      'kns.payments',
      'kns.shop',
      'ksa.payments.api',
      'ksa.shop.web',
    ]);
  });

  it('stores default-tier policies under their v3 names with the name annotation (v3.32)', () => {
    // In KDD v1 this policy's CR is default.deny-blocklist (stored by Calico v3.31).
    const value = etcd.get(`${V3}/globalnetworkpolicies/deny-blocklist`);
    assert.ok(value, 'deny-blocklist under its v3 name');
    assert.ok(!etcd.has(`${V3}/globalnetworkpolicies/default.deny-blocklist`));
    const meta = (parseJson(value.toString('utf8')) as JsonObject).metadata as JsonObject;
    const annotations = meta.annotations as Record<string, string>;
    assert.equal(annotations['projectcalico.org/metadata'], '{"name":"deny-blocklist"}');
  });

  it('locks both sides and carries the cluster GUID and Calico version into etcd', async () => {
    const info = parseJson(etcd.get(CLUSTER_INFORMATION_KEY)!.toString('utf8')) as JsonObject;
    const spec = info.spec as JsonObject;
    assert.equal(spec.clusterGUID, DATASET_CLUSTER_GUID);
    assert.equal(spec.calicoVersion, DATASET_CALICO_VERSION);
    assert.equal(spec.datastoreReady, false);
    const meta = info.metadata as JsonObject;
    // clientv3 refuses to Update an object without uid and creationTimestamp, so calico-node
    // could not take the ClusterInformation over (resources.go Update).
    assert.match(String(meta.uid), /^[0-9a-f-]{36}$/);
    assert.match(String(meta.creationTimestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const source = await readObject(
      servers.apis.v1,
      '/apis/crd.projectcalico.org/v1/clusterinformations/default',
    );
    assert.ok(isJsonObject(source?.spec) && source.spec.datastoreReady === false, 'KDD locked');
  });
});
