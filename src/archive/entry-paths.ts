/**
 * Archive entry paths: built from an object's kind, namespace and name (or a raw entry's source and
 * key), and parsed back with every safety rule of docs/archive-format.md ("Paths"). The writer and
 * the reader both go through here, so a path the writer builds is always one the reader accepts.
 */
import { KINDS, isNamespaced, type KindInfo } from '../model/kinds.js';
import type { RawEntry } from '../model/resource.js';
import { formatError, FIX_NOT_OURS, FIX_UPGRADE } from './archive-errors.js';
import {
  FORMAT_VERSION_PATH,
  MANIFEST_PATH,
  META_DIR,
  RAW_DIR,
  RESOURCES_DIR,
  TOP_LEVEL_DIRS,
} from './format.js';
import { decodeSegment, encodeSegment } from './path-encoding.js';

/** The backends a raw entry can come from (RawEntry `source`). */
export const RAW_SOURCES: readonly RawEntry['source'][] = ['etcd', 'kdd'];

const CLUSTER_DIR = 'cluster';
const NAMESPACES_DIR = 'namespaces';
const RESOURCE_SUFFIX = '.json';
const RAW_META_SUFFIX = '.meta.json';
const RAW_VALUE_SUFFIX = '.bin';
/** Longest path accepted (a 253-character name fully percent-encoded is about 760 bytes). */
const MAX_PATH_LENGTH = 16 * 1024;
const FIX_UNSAFE =
  'do not extract or import this archive; use one written by calico-migrate export';

/** What an entry path says the entry is. */
export type EntryPath =
  | { type: 'format-version'; path: string }
  | { type: 'manifest'; path: string }
  /** Another `calico-migrate/` entry: only a newer minor format version may have these. */
  | { type: 'meta-other'; path: string }
  | { type: 'resource'; path: string; info: KindInfo; name: string; namespace?: string }
  | { type: 'raw-meta'; path: string; source: RawEntry['source']; key: string }
  | { type: 'raw-value'; path: string; source: RawEntry['source']; key: string };

const kindByPlural = new Map(KINDS.map((row) => [row.plural, row]));

/** The path of an object: `resources/<plural>/cluster/<name>.json` or `.../namespaces/<ns>/<name>.json`. */
export function resourceEntryPath(info: KindInfo, name: string, namespace?: string): string {
  const file = encodeSegment(name) + RESOURCE_SUFFIX;
  if (!isNamespaced(info)) return `${RESOURCES_DIR}/${info.plural}/${CLUSTER_DIR}/${file}`;
  return `${RESOURCES_DIR}/${info.plural}/${NAMESPACES_DIR}/${encodeSegment(namespace ?? '')}/${file}`;
}

/** The two paths of a raw entry: its metadata (`.meta.json`, written first) and its bytes (`.bin`). */
export function rawEntryPaths(
  source: RawEntry['source'],
  key: string,
): { meta: string; value: string } {
  const base = `${RAW_DIR}/${source}/${encodeSegment(key)}`;
  return { meta: base + RAW_META_SUFFIX, value: base + RAW_VALUE_SUFFIX };
}

/**
 * Checks the rules every entry path must meet, whatever it holds: relative, `/`-separated, only
 * `[A-Za-z0-9._%/-]`, no empty, `.` or `..` segment, under a known top-level directory. Throws
 * `ArchiveFormatError`.
 */
export function checkPathSafety(path: string, label: string): string[] {
  const unsafe = (why: string): never => {
    throw formatError(label, `entry path ${JSON.stringify(path)} is unsafe (${why})`, FIX_UNSAFE);
  };
  if (path.length === 0) unsafe('empty');
  if (path.length > MAX_PATH_LENGTH) unsafe(`longer than ${MAX_PATH_LENGTH} characters`);
  if (path.includes('\0')) unsafe('holds a NUL byte');
  if (path.includes('\\')) unsafe('holds a backslash');
  if (path.startsWith('/')) unsafe('absolute');
  const segments = path.split('/');
  if (segments.some((s) => s === '..')) unsafe('holds a ".." segment');
  if (segments.some((s) => s === '.' || s === '')) unsafe('holds an empty or "." segment');
  if (!/^[A-Za-z0-9._%/-]+$/.test(path)) unsafe('holds characters outside [A-Za-z0-9._%/-]');
  if (!TOP_LEVEL_DIRS.includes(segments[0]!) || segments.length < 2) {
    unsafe(`not under ${TOP_LEVEL_DIRS.map((d) => `${d}/`).join(', ')}`);
  }
  return segments;
}

/** Parses an entry path into what it names. Throws `ArchiveFormatError` for unsafe or unknown paths. */
export function parseEntryPath(path: string, label: string): EntryPath {
  const segments = checkPathSafety(path, label);
  const unknown = (why: string): never => {
    throw formatError(label, `entry ${path} is not a calico-migrate entry (${why})`, FIX_NOT_OURS);
  };
  const decode = (segment: string, what: string): string =>
    decodeSegment(segment) ?? unknown(`its ${what} is not percent-encoded the canonical way`);
  const [top, second, third, fourth, fifth] = segments;
  if (top === META_DIR) {
    if (segments.length !== 2) return unknown(`nothing is nested under ${META_DIR}/`);
    if (path === FORMAT_VERSION_PATH) return { type: 'format-version', path };
    if (path === MANIFEST_PATH) return { type: 'manifest', path };
    return { type: 'meta-other', path };
  }
  if (top === RAW_DIR) {
    const source = RAW_SOURCES.find((s) => s === second);
    if (!source) return unknown(`raw entries come from ${RAW_SOURCES.join(' or ')}`);
    if (segments.length !== 3) return unknown('expected raw/<source>/<key>.meta.json or .bin');
    const file = third!;
    if (file.endsWith(RAW_META_SUFFIX)) {
      return {
        type: 'raw-meta',
        path,
        source,
        key: decode(file.slice(0, -RAW_META_SUFFIX.length), 'key'),
      };
    }
    if (file.endsWith(RAW_VALUE_SUFFIX)) {
      return {
        type: 'raw-value',
        path,
        source,
        key: decode(file.slice(0, -RAW_VALUE_SUFFIX.length), 'key'),
      };
    }
    return unknown('a raw entry ends in .meta.json or .bin');
  }
  const info = kindByPlural.get(second ?? '');
  if (!info) {
    throw formatError(
      label,
      `entry ${path} is in ${RESOURCES_DIR}/${second}/, a kind this calico-migrate does not know`,
      FIX_UPGRADE,
    );
  }
  if (!info.exported) {
    throw formatError(
      label,
      `entry ${path} holds kind ${info.kind}, which archives never contain (${info.reason})`,
      FIX_NOT_OURS,
    );
  }
  const file = isNamespaced(info) ? fifth : fourth;
  const expected = isNamespaced(info)
    ? segments.length === 5 && third === NAMESPACES_DIR
    : segments.length === 4 && third === CLUSTER_DIR;
  if (!expected || !file?.endsWith(RESOURCE_SUFFIX)) {
    const layout = isNamespaced(info)
      ? `${NAMESPACES_DIR}/<namespace>/<name>.json`
      : `${CLUSTER_DIR}/<name>.json`;
    const scope = isNamespaced(info) ? 'namespaced' : 'cluster-scoped';
    return unknown(
      `${info.kind} is ${scope}, so its entries are ${RESOURCES_DIR}/${info.plural}/${layout}`,
    );
  }
  const name = decode(file.slice(0, -RESOURCE_SUFFIX.length), 'name');
  if (!isNamespaced(info)) return { type: 'resource', path, info, name };
  return { type: 'resource', path, info, name, namespace: decode(fourth!, 'namespace') };
}
