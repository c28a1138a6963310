/**
 * The manifest: the archive's last entry, describing where the data came from, what it holds, and
 * the size and SHA-256 of every other entry. Its layout is fixed (docs/archive-format.md,
 * "Manifest"): a pretty-printed head, then `"entries"` with one compact record per line, in archive
 * order. The fixed layout lets both sides stream it, so memory does not grow with the archive.
 */
import { isJsonObject, stringifyJson, type JsonObject, type JsonValue } from '../model/json.js';
import type { RawEntry } from '../model/resource.js';
import { integrityError } from './archive-errors.js';

/** Where a snapshot stood: etcd revision, or the list resourceVersion of each KDD plural. */
export type ManifestPosition =
  { type: 'etcd'; revision: string } | { type: 'kdd'; resourceVersions: Record<string, string> };

/**
 * What the archive was exported from, without credentials. Same shape as the datastores'
 * `DatastoreDescription` plus `position` (archive/ may not import datastores/), so export can pass
 * `{ ...await datastore.describe(), position: snapshot.position() }`. Extra JSON fields are kept.
 */
export interface ManifestSource {
  /** `etcdv3` or `kubernetes`. */
  type: string;
  /** etcd endpoints or the API server URL; any user:password in a URL is removed on write. */
  endpoints: string[];
  crdMode?: string;
  calicoVersion?: string;
  clusterGUID?: string;
  locked?: boolean;
  position?: ManifestPosition;
  [field: string]: JsonValue | ManifestPosition | undefined;
}

/** Objects of one kind in the archive. */
export interface KindCount {
  total: number;
  /** How many of them the writer's caller marked as derived. */
  derived: number;
}

/** The manifest without its entry list (which is streamed, never held in memory). */
export interface ManifestHeader {
  formatVersion: string;
  tool: { name: string; version: string };
  /** RFC 3339 UTC time the writer was created. */
  createdAt: string;
  source: ManifestSource;
  counts: {
    kinds: Record<string, KindCount>;
    /** Raw entries by reason. */
    raw: Record<string, number>;
    /** Stored data skipped on purpose, as the exporter counted it (opaque to the archive). */
    skipped: Record<string, number>;
  };
  warnings: string[];
}

/** The types of entry record a reader of this version knows. */
export const MANIFEST_ENTRY_TYPES: readonly string[] = [
  'format-version',
  'resource',
  'raw-meta',
  'raw-value',
];

/** The manifest's record of one entry. */
export interface ManifestEntry {
  path: string;
  /** One of `MANIFEST_ENTRY_TYPES`; a newer minor format may add others (for its own `calico-migrate/` entries). */
  type: string;
  /** `resource` records. */
  kind?: string;
  namespace?: string;
  name?: string;
  derived?: boolean;
  /** `raw-meta` and `raw-value` records. */
  source?: RawEntry['source'];
  key?: string;
  /** Lower-case hex SHA-256 of the entry's bytes. */
  sha256: string;
  size: number;
}

/** The line that opens the entry list; nothing in the head can equal it (nested keys are indented deeper). */
export const ENTRIES_OPEN_LINE = '  "entries": [';
/** The line that closes the entry list. */
export const ENTRIES_CLOSE_LINE = '  ]';
/** Indent of each entry record line. */
export const ENTRY_INDENT = '    ';

/** The manifest text before the first entry record (ends with the entries-open line and `\n`). */
export function formatManifestHead(header: ManifestHeader): string {
  const text = stringifyJson(header, 2);
  return `${text.slice(0, -2)},\n${ENTRIES_OPEN_LINE}\n`;
}

/** One entry record line, without separator (fields in a fixed order). */
export function formatManifestEntry(entry: ManifestEntry): string {
  const { path, type, kind, namespace, name, derived, source, key, sha256, size } = entry;
  return (
    ENTRY_INDENT +
    stringifyJson({ path, type, kind, namespace, name, derived, source, key, sha256, size })
  );
}

/** The manifest text after the last entry record. */
export const MANIFEST_TAIL = `\n${ENTRIES_CLOSE_LINE}\n}\n`;

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isCountMap = (v: unknown): boolean => isJsonObject(v) && Object.values(v).every(isCount);
const isStringArray = (v: unknown): boolean =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Checks the shape of a parsed manifest head; throws `ArchiveIntegrityError` naming the bad field. */
export function checkManifestHeader(value: JsonValue, label: string): ManifestHeader {
  const bad = (field: string, want: string): never => {
    throw integrityError(label, `manifest field ${field} is missing or not ${want}`);
  };
  if (!isJsonObject(value)) return bad('(root)', 'an object');
  if (typeof value.formatVersion !== 'string') bad('formatVersion', 'a string');
  const tool = value.tool;
  if (!isJsonObject(tool) || typeof tool.name !== 'string' || typeof tool.version !== 'string') {
    bad('tool', 'an object with string name and version');
  }
  if (typeof value.createdAt !== 'string') bad('createdAt', 'a string');
  const source = value.source as JsonObject;
  if (
    !isJsonObject(source) ||
    typeof source.type !== 'string' ||
    !isStringArray(source.endpoints)
  ) {
    bad('source', 'an object with a string type and an endpoints list');
  }
  const counts = value.counts as JsonObject;
  if (!isJsonObject(counts)) return bad('counts', 'an object');
  const kinds = counts.kinds;
  if (!isJsonObject(kinds)) return bad('counts.kinds', 'an object');
  for (const [kind, count] of Object.entries(kinds)) {
    if (
      !isJsonObject(count) ||
      !isCount(count.total) ||
      !isCount(count.derived) ||
      count.derived > count.total
    ) {
      bad(`counts.kinds.${kind}`, 'an object with counts total >= derived >= 0');
    }
  }
  if (!isCountMap(counts.raw)) bad('counts.raw', 'a map of counts');
  if (!isCountMap(counts.skipped)) bad('counts.skipped', 'a map of counts');
  if (!isStringArray(value.warnings)) bad('warnings', 'a list of strings');
  return value as unknown as ManifestHeader;
}

/** Checks the shape of one parsed entry record; throws `ArchiveIntegrityError`. */
export function checkManifestEntry(value: JsonValue, index: number, label: string): ManifestEntry {
  const bad = (why: string): never => {
    throw integrityError(label, `manifest entry record ${index + 1} ${why}`);
  };
  if (!isJsonObject(value)) return bad('is not an object');
  if (typeof value.path !== 'string' || typeof value.type !== 'string') bad('has no path or type');
  if (typeof value.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(value.sha256))
    bad('has no hex sha256');
  if (!isCount(value.size)) bad('has no size');
  if (value.type === 'resource') {
    if (typeof value.kind !== 'string' || typeof value.name !== 'string')
      bad('has no kind or name');
    if (value.namespace !== undefined && typeof value.namespace !== 'string')
      bad('has a namespace that is not a string');
    if (typeof value.derived !== 'boolean') bad('has no derived flag');
  }
  if (value.type === 'raw-meta' || value.type === 'raw-value') {
    if (typeof value.source !== 'string' || typeof value.key !== 'string')
      bad('has no source or key');
  }
  return value as unknown as ManifestEntry;
}

/** Removes any `user:password@` from URL endpoints, so credentials never reach an archive. */
export function stripCredentials(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    if (!url.username && !url.password) return endpoint;
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return endpoint;
  }
}
