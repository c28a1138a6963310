/**
 * Checks the manifest against what the reader found, in one streaming pass: entry by entry in
 * archive order (path, size, SHA-256, and what the record says against what the path says), then
 * the counts. The reader's own entry list comes back from its spool file, so memory stays flat.
 */
import { integrityError } from './archive-errors.js';
import { parseEntryPath, type EntryPath } from './entry-paths.js';
import type { LineSpool } from './line-spool.js';
import {
  MANIFEST_ENTRY_TYPES,
  type KindCount,
  type ManifestEntry,
  type ManifestHeader,
} from './manifest.js';
import { openManifest } from './manifest-lines.js';
import { Peekable } from './peekable.js';

/** An entry as the reader saw it (one spool line: `<sha256> <size> <path>`). */
export interface SeenEntry {
  path: string;
  size: number;
  sha256: string;
}

/** What the reader counted before the manifest. */
export interface ContentCounts {
  formatVersion: string;
  kinds: Map<string, number>;
  raw: Map<string, number>;
}

/** The spool line for an entry the reader saw. */
export function formatSeenEntry(entry: SeenEntry): string {
  return `${entry.sha256} ${entry.size} ${entry.path}\n`;
}

async function* readSeenEntries(spool: LineSpool): AsyncGenerator<SeenEntry> {
  for await (const line of spool.readLines()) {
    const [sha256, size, path] = line.split(' ');
    yield { sha256: sha256!, size: Number(size), path: path! };
  }
}

/**
 * Reads the manifest body and checks it against the spooled entries and counts. Yields each entry
 * record once it has been checked; returns the manifest head. Throws `ArchiveIntegrityError`.
 */
export async function* checkManifest(
  body: AsyncIterable<Buffer>,
  seen: LineSpool,
  counts: ContentCounts,
  label: string,
): AsyncGenerator<ManifestEntry, ManifestHeader> {
  const { header, entries } = await openManifest(body, label);
  if (header.formatVersion !== counts.formatVersion) {
    throw integrityError(
      label,
      `manifest says format ${header.formatVersion}, the format-version entry says ${counts.formatVersion}`,
    );
  }
  const records = new Peekable(entries);
  const actual = new Peekable(readSeenEntries(seen));
  const derived = new Map<string, number>();
  for (let position = 1; ; position++) {
    const record = await records.next();
    const entry = await actual.next();
    if (!record && !entry) break;
    if (!record)
      throw integrityError(label, `archive entry ${entry!.path} is not listed in the manifest`);
    if (!entry)
      throw integrityError(label, `manifest lists ${record.path}, which is not in the archive`);
    if (record.path !== entry.path)
      await throwOrderMismatch(record, entry, position, records, actual, label);
    if (record.size !== entry.size) {
      throw integrityError(
        label,
        `entry ${entry.path} is ${entry.size} bytes, the manifest says ${record.size}`,
      );
    }
    if (record.sha256 !== entry.sha256) {
      throw integrityError(
        label,
        `entry ${entry.path} does not match its SHA-256 in the manifest (its content was changed or damaged)`,
      );
    }
    checkRecordFields(record, parseEntryPath(record.path, label), label);
    if (record.type === 'resource' && record.derived)
      derived.set(record.kind!, (derived.get(record.kind!) ?? 0) + 1);
    yield record;
  }
  checkKindCounts(header.counts.kinds, counts.kinds, derived, label);
  checkRawCounts(header.counts.raw, counts.raw, label);
  return header;
}

async function throwOrderMismatch(
  record: ManifestEntry,
  entry: SeenEntry,
  position: number,
  records: Peekable<ManifestEntry>,
  actual: Peekable<SeenEntry>,
  label: string,
): Promise<never> {
  const recordSkipped = (await records.peek())?.path === entry.path;
  const entryInserted = (await actual.peek())?.path === record.path;
  if (recordSkipped && !entryInserted) {
    throw integrityError(label, `manifest lists ${record.path}, which is not in the archive`);
  }
  if (entryInserted && !recordSkipped) {
    throw integrityError(label, `archive entry ${entry.path} is not listed in the manifest`);
  }
  throw integrityError(
    label,
    `archive entry ${position} is ${entry.path}, the manifest lists ${record.path} there`,
  );
}

/** The record's type, kind, namespace, name, source and key must be what its path says. */
function checkRecordFields(record: ManifestEntry, path: EntryPath, label: string): void {
  const wrong = (field: string, value: unknown, expected: unknown): never => {
    throw integrityError(
      label,
      `manifest record of ${record.path} says ${field} ${JSON.stringify(value)}, its path says ${JSON.stringify(expected)}`,
    );
  };
  if (path.type === 'meta-other') {
    if (MANIFEST_ENTRY_TYPES.includes(record.type)) wrong('type', record.type, 'another type');
    return;
  }
  if (record.type !== path.type) wrong('type', record.type, path.type);
  if (path.type === 'resource') {
    if (record.kind !== path.info.kind) wrong('kind', record.kind, path.info.kind);
    if (record.name !== path.name) wrong('name', record.name, path.name);
    if (record.namespace !== path.namespace) wrong('namespace', record.namespace, path.namespace);
  }
  if (path.type === 'raw-meta' || path.type === 'raw-value') {
    if (record.source !== path.source) wrong('source', record.source, path.source);
    if (record.key !== path.key) wrong('key', record.key, path.key);
  }
}

function checkKindCounts(
  listed: Record<string, KindCount>,
  found: Map<string, number>,
  derived: Map<string, number>,
  label: string,
): void {
  for (const kind of new Set([...Object.keys(listed), ...found.keys()])) {
    const count = Object.hasOwn(listed, kind) ? listed[kind]! : { total: 0, derived: 0 };
    const total = found.get(kind) ?? 0;
    if (count.total !== total) {
      throw integrityError(
        label,
        `manifest counts ${count.total} ${kind} objects, the archive holds ${total}`,
      );
    }
    if (count.derived !== (derived.get(kind) ?? 0)) {
      throw integrityError(
        label,
        `manifest counts ${count.derived} derived ${kind} objects, its entry records mark ${derived.get(kind) ?? 0}`,
      );
    }
  }
}

function checkRawCounts(
  listed: Record<string, number>,
  found: Map<string, number>,
  label: string,
): void {
  for (const reason of new Set([...Object.keys(listed), ...found.keys()])) {
    const count = Object.hasOwn(listed, reason) ? listed[reason]! : 0;
    const total = found.get(reason) ?? 0;
    if (count !== total) {
      throw integrityError(
        label,
        `manifest counts ${count} raw entries for reason ${JSON.stringify(reason)}, the archive holds ${total}`,
      );
    }
  }
}
