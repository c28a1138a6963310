/**
 * Disaster recovery into etcd is exact. For two Calico versions, an etcd is seeded with the
 * dataset (portable and etcd-only objects, and the raw entries) written exactly the way that
 * version writes it (test/fixtures/dataset/etcd-storage.ts, independent of src/):
 * - v3.31.x: default-tier policies under `default.<name>` keys with the
 *   `projectcalico.org/metadata` name annotation, IPAM block attributes with `handle_id` and
 *   `secondary` always present (null when unset); policies with names v3.31 rejects are left out;
 * - v3.32.x: policies under their v3 names with the annotation, attributes omitempty;
 * and ClusterInformation carrying the version. Every key under `/calico/resources/v3/` and
 * `/calico/ipam/v2/` is dumped, the etcd is exported, wiped, and the archive imported; the dump
 * after must have the same keys and byte-identical values (uid, creationTimestamp and the
 * version's policy-name conventions included). No value needs an exception (nothing here is
 * compared only as parsed JSON): every seeded value comes back byte for byte.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DatasetEntry, EtcdExtraKey } from '../../fixtures/dataset/index.js';
import { ETCD_ONLY_OBJECTS, ETCD_ONLY_RAW, PORTABLE } from '../../fixtures/dataset/index.js';
import type { EtcdPolicyStyle } from '../../fixtures/dataset/types.js';
import { TIERED_POLICIES, toEtcdEntry } from '../../fixtures/dataset/etcd-storage.js';
import { wipeEtcdCalico } from '../../helpers/clean-datastores.js';
import { putKeys } from '../../helpers/seed-etcd.js';
import { DUPLICATE_COPY_KEY, TestServers } from './servers.js';
import type { ReportedRun } from './support.js';
import { assertExit, exportFrom, importInto, resultOf, totalOf } from './support.js';
import { dumpEtcd } from './target-state.js';

/** The prefixes an etcd export reads objects and raw entries from. */
const PREFIXES = ['/calico/resources/v3/', '/calico/ipam/v2/'];

interface CalicoRelease {
  version: string;
  policyStyle: EtcdPolicyStyle;
  attributes: 'legacy' | 'omitempty';
}

const RELEASES: CalicoRelease[] = [
  { version: 'v3.31.2', policyStyle: 'v3.31', attributes: 'legacy' },
  { version: 'v3.32.1', policyStyle: 'v3.32', attributes: 'omitempty' },
];

/** Whether `release` accepts the object (v3.31 requires `<tier>.` on names in other tiers). */
function acceptedBy(entry: DatasetEntry, release: CalicoRelease): boolean {
  const { kind, metadata, spec } = entry.object;
  if (!TIERED_POLICIES.has(kind) || release.policyStyle !== 'v3.31') return true;
  const tier = typeof spec?.tier === 'string' && spec.tier !== '' ? spec.tier : 'default';
  return tier === 'default' || metadata.name.startsWith(`${tier}.`);
}

/** A dataset entry stored as `release` stores it. */
function storedBy(entry: DatasetEntry, release: CalicoRelease): DatasetEntry {
  const object = structuredClone(entry.object);
  if (object.kind === 'ClusterInformation') object.spec!.calicoVersion = release.version;
  return {
    ...entry,
    object,
    etcd: { policyStyle: release.policyStyle, attributes: release.attributes },
  };
}

/** Every key of the dataset's etcd form as `release` writes it. */
function seedFor(release: CalicoRelease): EtcdExtraKey[] {
  const objects = [...PORTABLE, ...ETCD_ONLY_OBJECTS]
    .filter((entry) => acceptedBy(entry, release))
    .map((entry) => toEtcdEntry(storedBy(entry, release)));
  // The duplicated policy's second copy shares its key with the first copy in v3.32.
  const raws = ETCD_ONLY_RAW.filter((raw) => raw.key !== DUPLICATE_COPY_KEY);
  return [...objects, ...raws.map(({ key, value }) => ({ key, value }))];
}

async function dumpPrefixes(servers: TestServers): Promise<Map<string, Buffer>> {
  const all = new Map<string, Buffer>();
  for (const prefix of PREFIXES)
    for (const [key, value] of await dumpEtcd(servers.etcd, prefix)) all.set(key, value);
  return all;
}

describe('disaster recovery into an emptied etcd of the same Calico version is exact', () => {
  let servers: TestServers;

  before(async () => {
    servers = await TestServers.open('dr-exact');
  });

  after(async () => {
    await servers?.close([]);
  });

  for (const release of RELEASES) {
    describe(`Calico ${release.version}`, () => {
      let seed: EtcdExtraKey[];
      let dumpBefore: Map<string, Buffer>;
      let dumpAfter: Map<string, Buffer>;
      let imported: ReportedRun;

      before(async () => {
        seed = seedFor(release);
        await wipeEtcdCalico(servers.etcd);
        await putKeys(servers.etcd, seed);
        dumpBefore = await dumpPrefixes(servers);
        const { path } = await exportFrom(
          servers.env,
          servers.dir,
          'etcd',
          `${release.version}.tar.gz`,
        );
        await wipeEtcdCalico(servers.etcd);
        assert.equal((await dumpPrefixes(servers)).size, 0, 'etcd is empty before the import');
        imported = await importInto(servers.env, servers.dir, path, 'etcd');
        dumpAfter = await dumpPrefixes(servers);
      });

      it('the seed is what the dump shows (every key under the two prefixes)', () => {
        assert.deepEqual([...dumpBefore.keys()].sort(), seed.map((entry) => entry.key).sort());
      });

      it(`the seed follows ${release.version}'s conventions`, () => {
        const keys = seed.map((entry) => entry.key);
        const text = seed.map((entry) => entry.value.toString('latin1')).join('\n');
        const prefixed = keys.filter((key) =>
          /\/(staged)?(global)?networkpolicies\/(.+\/)?default\./.test(key),
        );
        const legacy = text.includes('"handle_id":null,"secondary":null');
        if (release.policyStyle === 'v3.31') {
          assert.ok(prefixed.length >= 5, 'default-tier policies under default.<name> keys');
          assert.ok(legacy, 'attributes with null handle_id and secondary');
        } else {
          assert.deepEqual(prefixed, [], 'policies under their v3 names');
          assert.ok(!legacy, 'attributes omitempty');
        }
        const info = seed.find((entry) => entry.key.endsWith('/clusterinformations/default'))!;
        assert.match(
          info.value.toString('utf8'),
          new RegExp(`"calicoVersion":"${release.version}"`),
        );
      });

      it('imports everything and verifies it (exit 0)', () => {
        assertExit(imported.result, 0, 'import');
        const result = resultOf(imported.report)!;
        assert.equal(totalOf(result, 'different') + totalOf(result, 'missing'), 0);
        assert.equal(result.raw.create, ETCD_ONLY_RAW.length - 1);
      });

      it('gives back exactly the same keys', () => {
        const missing = [...dumpBefore.keys()].filter((key) => !dumpAfter.has(key)).sort();
        const extra = [...dumpAfter.keys()].filter((key) => !dumpBefore.has(key)).sort();
        assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
      });

      it('gives back byte-identical values', () => {
        const different = [...dumpBefore]
          .filter(([key, value]) => !dumpAfter.get(key)?.equals(value))
          .map(([key, value]) => ({
            key,
            before: value.toString('utf8'),
            after: dumpAfter.get(key)?.toString('utf8'),
          }));
        assert.deepEqual(different, []);
      });
    });
  }
});
