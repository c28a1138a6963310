/**
 * The writer's checks of its input: only canonical objects of exported kinds, and raw entries with
 * a source, key, reason and bytes. Violations are bugs in the caller (adapters produce canonical
 * objects), so they raise `InternalError`. Each path is also run through the reader's own parser,
 * so the writer can never write an archive the reader refuses.
 */
import { InternalError } from '../model/errors.js';
import { findKind, isNamespaced } from '../model/kinds.js';
import {
  CALICO_API_VERSION,
  describeRef,
  refOf,
  type CalicoResource,
  type RawEntry,
} from '../model/resource.js';
import { parseEntryPath, RAW_SOURCES, rawEntryPaths, resourceEntryPath } from './entry-paths.js';

/** The entry path of an object the caller wants written; `InternalError` if it is not canonical. */
export function checkedResourcePath(resource: CalicoResource): string {
  const { kind, metadata, apiVersion } = resource;
  const refuse = (why: string): never => {
    throw new InternalError(`cannot archive ${kind} ${JSON.stringify(metadata?.name)}: ${why}`);
  };
  const info = findKind(kind);
  if (!info) return refuse('calico-migrate has no such kind');
  if (!info.exported) return refuse(`${kind} is never exported (${info.reason})`);
  if (apiVersion !== CALICO_API_VERSION)
    refuse(`apiVersion is ${apiVersion}, not ${CALICO_API_VERSION}`);
  if (typeof metadata?.name !== 'string' || metadata.name === '') refuse('it has no name');
  if (isNamespaced(info) && !metadata.namespace)
    refuse(`${kind} is namespaced but the object has no namespace`);
  if (!isNamespaced(info) && metadata.namespace)
    refuse(`${kind} is cluster-scoped but the object has a namespace`);
  const what = describeRef(refOf(resource));
  return checkedPath(what, () =>
    resourceEntryPath(info, metadata.name, metadata.namespace || undefined),
  );
}

/** The two entry paths of a raw entry the caller wants written; `InternalError` if it is malformed. */
export function checkedRawPaths(raw: RawEntry): { meta: string; value: string } {
  const what = `raw ${raw.source} entry ${JSON.stringify(raw.key)}`;
  const refuse = (why: string): never => {
    throw new InternalError(`cannot archive ${what}: ${why}`);
  };
  if (!RAW_SOURCES.includes(raw.source)) refuse('unknown source');
  if (!Buffer.isBuffer(raw.value)) refuse('its value is not a Buffer');
  if (typeof raw.reason !== 'string' || raw.reason === '') refuse('it has no reason');
  return {
    meta: checkedPath(what, () => rawEntryPaths(raw.source, raw.key).meta),
    value: checkedPath(what, () => rawEntryPaths(raw.source, raw.key).value),
  };
}

/** Builds a path and proves the reader will accept it, so the writer never writes a bad archive. */
function checkedPath(what: string, build: () => string): string {
  try {
    const path = build();
    parseEntryPath(path, 'archive writer');
    return path;
  } catch (error) {
    const message = `cannot archive ${what}: ${(error as Error).message}`;
    throw new InternalError(message, undefined, { cause: error });
  }
}
