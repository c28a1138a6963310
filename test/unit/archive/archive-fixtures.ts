/**
 * Helpers for the archive tests: sample objects, a writer shortcut, and tools to take an archive
 * apart and put it back together with one thing changed (so corrupted archives are built by the
 * tests themselves; no binary fixtures are committed).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { CalicoResource, RawEntry } from '../../../src/model/resource.js';
import {
  writeArchive,
  type ArchiveInputItem,
  type ArchiveWriteResult,
} from '../../../src/archive/writer.js';
import { parseEntryPath } from '../../../src/archive/entry-paths.js';
import {
  formatManifestEntry,
  formatManifestHead,
  MANIFEST_TAIL,
  type ManifestEntry,
  type ManifestHeader,
} from '../../../src/archive/manifest.js';
import { MANIFEST_PATH } from '../../../src/archive/format.js';

/** A fresh temporary directory, removed by the returned function. */
export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'archive-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A `projectcalico.org/v3` object. */
export function resource(
  kind: string,
  name: string,
  namespace?: string,
  spec: CalicoResource['spec'] = {},
): CalicoResource {
  const metadata = namespace === undefined ? { name } : { name, namespace };
  return { apiVersion: 'projectcalico.org/v3', kind, metadata, spec };
}

/** A raw entry. */
export function rawEntry(
  source: RawEntry['source'],
  key: string,
  value: Buffer,
  reason: string,
): RawEntry {
  return { source, key, value, reason };
}

export const TOOL = { name: 'calico-migrate', version: '0.0.0-test' };
export const SOURCE = {
  type: 'etcdv3',
  endpoints: ['https://etcd-0:2379'],
  position: { type: 'etcd' as const, revision: '42' },
};

/** Writes an archive of `items` to `path` with fixed tool and source. */
export function writeSample(
  path: string,
  items: ArchiveInputItem[],
  extra: { skipped?: Record<string, number>; warnings?: string[] } = {},
): Promise<ArchiveWriteResult> {
  return writeArchive(
    path,
    { tool: TOOL, createdAt: new Date('2025-01-02T03:04:05Z') },
    items,
    () => ({ source: SOURCE, ...extra }),
  );
}

/** A small archive's items: cluster and namespaced objects and one raw entry. */
export function smallItems(): ArchiveInputItem[] {
  return [
    { type: 'resource', resource: resource('Tier', 'security', undefined, { order: 100 }) },
    {
      type: 'resource',
      resource: resource('NetworkPolicy', 'allow-dns', 'kube-system', { selector: 'all()' }),
    },
    {
      type: 'resource',
      resource: resource('NetworkPolicy', 'knp.default.deny', 'default'),
      derived: true,
    },
    {
      type: 'raw',
      raw: rawEntry('etcd', '/calico/unknown/key', Buffer.from([0, 255, 10, 13]), 'unknown key'),
    },
    {
      type: 'resource',
      resource: resource('GlobalNetworkSet', 'blocked', undefined, { nets: ['10.0.0.0/8'] }),
    },
  ];
}

/** One tar entry taken out of an archive. */
export interface TarFile {
  name: string;
  data: Buffer;
  type?: 'file' | 'directory' | 'symlink';
  linkname?: string;
}

/** Every entry of a .tar.gz, in order. */
export async function unpack(gz: Buffer): Promise<TarFile[]> {
  const extract = tar.extract();
  const files: TarFile[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      files.push({
        name: entry.header.name,
        data: Buffer.concat(chunks),
        type: entry.header.type as TarFile['type'],
      });
    }
  })();
  extract.end(gunzipSync(gz));
  await done;
  return files;
}

/** A tar (uncompressed) of `files`, in order. */
export async function packTar(files: TarFile[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const file of files) {
    await new Promise<void>((resolve, reject) => {
      const header = {
        name: file.name,
        type: file.type ?? 'file',
        linkname: file.linkname,
        mode: 0o600,
      };
      const cb = (error?: Error | null): void => (error ? reject(error) : resolve());
      if ((file.type ?? 'file') === 'file') pack.entry(header, file.data, cb);
      else pack.entry(header, cb).end(undefined);
    });
  }
  pack.finalize();
  await collected;
  return Buffer.concat(chunks);
}

/** A .tar.gz of `files`. */
export async function pack(files: TarFile[]): Promise<Buffer> {
  return gzipSync(await packTar(files));
}

/** Reads an archive file, applies `change` to its entries, and writes the result to `out`. */
export async function rebuild(
  path: string,
  out: string,
  change: (files: TarFile[]) => TarFile[] | Promise<TarFile[]>,
): Promise<void> {
  const files = await unpack(await readFile(path));
  await writeFile(out, await pack(await change(files)));
}

/** The manifest of a list of entries, parsed. */
export function manifestOf(files: TarFile[]): ManifestHeader & { entries: ManifestEntry[] } {
  const file = files.find((f) => f.name === MANIFEST_PATH);
  if (!file) throw new Error('no manifest');
  return JSON.parse(file.data.toString('utf8')) as ManifestHeader & { entries: ManifestEntry[] };
}

/** Manifest bytes in the layout the writer uses. */
export function formatManifest(manifest: ManifestHeader & { entries: ManifestEntry[] }): Buffer {
  const { entries, ...header } = manifest;
  return Buffer.from(
    formatManifestHead(header) + entries.map(formatManifestEntry).join(',\n') + MANIFEST_TAIL,
  );
}

/** The manifest record a writer would make for an entry (derived: false). */
export function recordFor(file: TarFile): ManifestEntry {
  const sha256 = createHash('sha256').update(file.data).digest('hex');
  const base = { path: file.name, type: 'unknown', sha256, size: file.data.length };
  let path;
  try {
    path = parseEntryPath(file.name, 'test');
  } catch {
    return base; // a path the reader refuses anyway
  }
  base.type = path.type;
  if (path.type === 'resource')
    return {
      ...base,
      kind: path.info.kind,
      namespace: path.namespace,
      name: path.name,
      derived: false,
    };
  if (path.type === 'raw-meta' || path.type === 'raw-value')
    return { ...base, source: path.source, key: path.key };
  return base;
}

/**
 * Replaces the manifest (wherever it is) with one whose entry records match `files` exactly and
 * whose counts are recomputed; `edit` may then change it. The new manifest is appended last.
 */
export function reseal(
  files: TarFile[],
  edit: (m: ManifestHeader & { entries: ManifestEntry[] }) => void = () => {},
): TarFile[] {
  const old = manifestOf(files);
  const rest = files.filter((f) => f.name !== MANIFEST_PATH);
  const entries = rest.map(recordFor);
  const kinds: Record<string, { total: number; derived: number }> = {};
  for (const e of entries.filter((r) => r.type === 'resource')) {
    kinds[e.kind!] = { total: (kinds[e.kind!]?.total ?? 0) + 1, derived: 0 };
  }
  const manifest = { ...old, counts: { ...old.counts, kinds }, entries };
  edit(manifest);
  return [...rest, { name: MANIFEST_PATH, data: formatManifest(manifest) }];
}
