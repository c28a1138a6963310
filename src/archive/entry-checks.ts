/**
 * The reader's checks of one entry's content against its path. Each takes the parsed path
 * (`parseEntryPath`) and the entry's bytes and returns the typed content, or throws
 * `ArchiveIntegrityError` / `ArchiveFormatError`.
 */
import { isJsonObject, parseJson, stringifyJson, type JsonValue } from '../model/json.js';
import { findKind, isNamespaced } from '../model/kinds.js';
import { CALICO_API_VERSION, type CalicoResource, type RawEntry } from '../model/resource.js';
import { integrityError } from './archive-errors.js';
import type { EntryPath } from './entry-paths.js';
import { checkFormatVersion, type FormatVersion } from './format.js';

type PathOf<T extends EntryPath['type']> = Extract<EntryPath, { type: T }>;

/** The metadata of a raw entry, as its `.meta.json` entry holds it. */
export interface RawMeta {
  source: RawEntry['source'];
  key: string;
  reason: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 JSON, keeping big integers exact; throws `ArchiveIntegrityError`. */
export function parseEntryJson(path: string, bytes: Uint8Array, label: string): JsonValue {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (error) {
    throw integrityError(label, `entry ${path} is not valid UTF-8`, undefined, error);
  }
  try {
    return parseJson(text);
  } catch (error) {
    throw integrityError(
      label,
      `entry ${path} does not parse as JSON (${(error as Error).message})`,
      undefined,
      error,
    );
  }
}

/** Checks the format-version entry (`MAJOR.MINOR.PATCH\n`) and that this code can read it. */
export function checkFormatVersionEntry(
  bytes: Uint8Array,
  label: string,
): { text: string; version: FormatVersion } {
  const text = Buffer.from(bytes).toString('latin1').replace(/\n$/, '');
  return { text, version: checkFormatVersion(text, label) };
}

/**
 * Parses an object entry and checks it is the object its path names: a `projectcalico.org/v3`
 * object of the path's kind, with the path's name and namespace (and no namespace for
 * cluster-scoped kinds).
 */
export function checkResourceEntry(
  entry: PathOf<'resource'>,
  bytes: Uint8Array,
  label: string,
): CalicoResource {
  const value = parseEntryJson(entry.path, bytes, label);
  const wrong = (why: string): never => {
    throw integrityError(
      label,
      `entry ${entry.path} does not hold the object its path names: ${why}`,
    );
  };
  if (!isJsonObject(value)) return wrong('it is not a JSON object');
  if (value.apiVersion !== CALICO_API_VERSION) {
    wrong(`apiVersion is ${JSON.stringify(value.apiVersion)}, not ${CALICO_API_VERSION}`);
  }
  if (value.kind !== entry.info.kind) {
    const known =
      typeof value.kind === 'string' && findKind(value.kind)
        ? ''
        : ', a kind calico-migrate does not know';
    wrong(`kind is ${JSON.stringify(value.kind)}${known}, the path says ${entry.info.kind}`);
  }
  const metadata = value.metadata;
  if (!isJsonObject(metadata)) return wrong('metadata is missing');
  if (metadata.name !== entry.name) {
    wrong(
      `metadata.name is ${JSON.stringify(metadata.name)}, the path says ${JSON.stringify(entry.name)}`,
    );
  }
  const namespace = metadata.namespace;
  if (
    isNamespaced(entry.info)
      ? namespace !== entry.namespace
      : namespace !== undefined && namespace !== ''
  ) {
    wrong(
      `metadata.namespace is ${JSON.stringify(namespace)}, the path says ${JSON.stringify(entry.namespace)}`,
    );
  }
  for (const field of ['spec', 'status'] as const) {
    if (value[field] !== undefined && !isJsonObject(value[field]))
      wrong(`${field} is not an object`);
  }
  return value as CalicoResource;
}

/** Parses a raw entry's `.meta.json` and checks its source and key against its path. */
export function checkRawMetaEntry(
  entry: PathOf<'raw-meta'>,
  bytes: Uint8Array,
  label: string,
): RawMeta {
  const value = parseEntryJson(entry.path, bytes, label);
  const wrong = (why: string): never => {
    throw integrityError(label, `raw metadata entry ${entry.path} ${why}`);
  };
  if (!isJsonObject(value)) return wrong('is not a JSON object');
  if (value.source !== entry.source)
    wrong(`says source ${JSON.stringify(value.source)}, its path says ${entry.source}`);
  if (value.key !== entry.key)
    wrong(`says key ${JSON.stringify(value.key)}, its path says ${JSON.stringify(entry.key)}`);
  if (typeof value.reason !== 'string' || value.reason === '') wrong('has no reason');
  return { source: entry.source, key: entry.key, reason: value.reason as string };
}

/** The bytes of a raw entry's `.meta.json`. */
export function formatRawMeta(raw: RawEntry): Buffer {
  const meta: RawMeta = { source: raw.source, key: raw.key, reason: raw.reason };
  return Buffer.from(stringifyJson(meta, 2) + '\n');
}
