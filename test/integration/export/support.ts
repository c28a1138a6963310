/**
 * Shared by the export integration tests: CLI connection flags for the test servers, reading a
 * whole archive with the project's archive reader, the expected canonical objects of a KDD export
 * (the dataset plus the facts the API server recorded), and object-by-object comparison.
 */
import assert from 'node:assert/strict';
import type { ManifestEntry, ManifestHeader } from '../../../src/archive/index.js';
import { listArchiveEntries, readArchive } from '../../../src/archive/index.js';
import type { CalicoResource, RawEntry } from '../../../src/model/resource.js';
import type { DatasetEntry } from '../../fixtures/dataset/index.js';
import { identityOf } from '../../fixtures/dataset/index.js';
import type { ApiserverName } from '../../harness/state.js';
import type { KddFacts } from '../../helpers/seed-kdd.js';
import type { TestEnv } from '../../helpers/testenv.js';

/** `--from etcd` and the flags that reach the test etcd with its client certificate. */
export function etcdFlags(env: TestEnv): string[] {
  return [
    '--from',
    'etcd',
    '--etcd-endpoints',
    env.etcd.endpoints.join(','),
    '--etcd-ca-cert-file',
    env.etcd.caCertFile,
    '--etcd-cert-file',
    env.etcd.certFile,
    '--etcd-key-file',
    env.etcd.keyFile,
  ];
}

/** `--from kdd` with the admin kubeconfig of one test apiserver (CRD mode auto-detected). */
export function kddFlags(env: TestEnv, name: ApiserverName): string[] {
  const kubeconfig = env.apiservers[name]?.adminKubeconfig;
  if (!kubeconfig) throw new Error(`the test environment has no ${name} apiserver`);
  return ['--from', 'kdd', '--kubeconfig', kubeconfig];
}

/** Everything an archive holds, read and checked by the project's reader. */
export interface ArchiveContents {
  /** Objects by identity (`Kind ns/name` or `Kind name`). */
  objects: Map<string, CalicoResource>;
  /** Kinds in archive order, one per object. */
  kindOrder: string[];
  raws: RawEntry[];
  manifest: ManifestHeader;
  /** Manifest records of the objects, by identity. */
  records: Map<string, ManifestEntry>;
}

/** Reads and validates a whole archive (throws at the first problem). */
export async function readArchiveContents(path: string): Promise<ArchiveContents> {
  const objects = new Map<string, CalicoResource>();
  const kindOrder: string[] = [];
  const raws: RawEntry[] = [];
  let manifest: ManifestHeader | undefined;
  for await (const item of readArchive(path)) {
    if (item.type === 'resource') {
      const identity = identityOf(item.resource);
      assert.ok(!objects.has(identity), `${identity} appears twice`);
      objects.set(identity, item.resource);
      kindOrder.push(item.resource.kind);
    } else if (item.type === 'raw') raws.push(item.raw);
    else if (item.type === 'manifest') manifest = item.manifest;
  }
  assert.ok(manifest, 'the archive has a manifest');
  const records = new Map<string, ManifestEntry>();
  for await (const entry of listArchiveEntries(path)) {
    if (entry.type !== 'resource') continue;
    const identity = entry.namespace
      ? `${entry.kind} ${entry.namespace}/${entry.name}`
      : `${entry.kind} ${entry.name}`;
    records.set(identity, entry);
  }
  return { objects, kindOrder, raws, manifest, records };
}

/** The dataset's objects keyed by identity. */
export function expectedObjects(entries: readonly DatasetEntry[]): Map<string, CalicoResource> {
  return new Map(entries.map((entry) => [identityOf(entry.object), entry.object]));
}

/**
 * The canonical objects a KDD export must produce: the dataset's objects with the uid and
 * creationTimestamp the API server recorded (docs/canonical-form.md: recorded facts are kept).
 */
export function expectedKddObjects(
  entries: readonly DatasetEntry[],
  facts: KddFacts,
): Map<string, CalicoResource> {
  const expected = new Map<string, CalicoResource>();
  for (const entry of entries) {
    const identity = identityOf(entry.object);
    const fact = facts.get(identity);
    if (!fact) throw new Error(`no recorded uid/creationTimestamp for ${identity}`);
    const metadata = { ...entry.object.metadata, ...fact };
    expected.set(identity, { ...entry.object, metadata });
  }
  return expected;
}

/** Identities that are in one set but not the other, for readable failures. */
export function diffIdentities(
  actual: Iterable<string>,
  expected: Iterable<string>,
): { missing: string[]; unexpected: string[] } {
  const a = new Set(actual);
  const e = new Set(expected);
  return {
    missing: [...e].filter((id) => !a.has(id)).sort(),
    unexpected: [...a].filter((id) => !e.has(id)).sort(),
  };
}
