/**
 * Object metadata in v1 CRD mode. Calico keeps the real v3 metadata of every
 * `crd.projectcalico.org/v1` CR in the annotation `projectcalico.org/metadata`: the JSON of a Go
 * `metav1.ObjectMeta`. This module decodes that JSON as Go would (so that what Calico rejects is
 * rejected here too), encodes it as Go writes it, and maps owner references between the groups.
 * Source: libcalico-go/lib/backend/k8s/resources/resources.go (ConvertCalicoResourceToK8sResource,
 * ConvertK8sResourceToCalicoResource); k8s.io/apimachinery/pkg/apis/meta/v1/types.go (field order).
 */
import { InvalidObjectError } from '../../model/errors.js';
import type { JsonObject, JsonValue } from '../../model/json.js';
import { isJsonObject } from '../../model/json.js';
import { METADATA_ANNOTATION } from '../../model/policy-names.js';
import type { ObjectMeta } from '../../model/resource.js';
import { GoMap, marshalGoJson } from '../go-json.js';
import { decodeGoTime } from './go-json.js';
import { convertUid } from './uid.js';

/** The v1 CRD apiVersion that Calico owner references use inside v1 CRs. */
const V1_API_VERSION = 'crd.projectcalico.org/v1';
const V3_API_VERSION = 'projectcalico.org/v3';

/** A decoding result: the value, or why Go's `json.Unmarshal` would fail. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

const STRING_FIELDS = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion'];

/**
 * Decodes ObjectMeta JSON (the metadata annotation, or a CR's `metadata`) the way Go's
 * `json.Unmarshal` into `metav1.ObjectMeta` does: `null` means unset, empty strings are unset,
 * unknown fields are dropped, times are normalised, a wrongly typed field is an error.
 * `name` is `''` when unset.
 */
export function decodeObjectMeta(value: JsonValue | undefined): Decoded<ObjectMeta> {
  const meta: ObjectMeta = { name: '' };
  if (value === null || value === undefined) return { ok: true, value: meta };
  if (!isJsonObject(value)) return { ok: false, error: 'metadata is not a JSON object' };
  for (const field of STRING_FIELDS) {
    const v = value[field];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'string') return { ok: false, error: `metadata.${field} is not a string` };
    if (v !== '') meta[field] = v;
  }
  for (const field of ['generation', 'deletionGracePeriodSeconds']) {
    const v = value[field];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number' && typeof v !== 'bigint') {
      return { ok: false, error: `metadata.${field} is not an integer` };
    }
    if (field === 'deletionGracePeriodSeconds' || v !== 0) meta[field] = v;
  }
  for (const field of ['creationTimestamp', 'deletionTimestamp']) {
    const time = decodeGoTime(value[field]);
    if (!time.ok) return { ok: false, error: `metadata.${field}: ${time.error}` };
    if (time.time !== undefined) meta[field] = time.time;
  }
  for (const field of ['labels', 'annotations'] as const) {
    const map = decodeStringMap(value[field]);
    if (!map.ok) return { ok: false, error: `metadata.${field}: ${map.error}` };
    if (map.value && Object.keys(map.value).length > 0) meta[field] = map.value;
  }
  const refs = decodeOwnerReferences(value.ownerReferences);
  if (!refs.ok) return refs;
  if (refs.value.length > 0) meta.ownerReferences = refs.value;
  const finalizers = decodeStringArray(value.finalizers);
  if (!finalizers.ok) return { ok: false, error: `metadata.finalizers: ${finalizers.error}` };
  if (finalizers.value.length > 0) meta.finalizers = finalizers.value;
  const managed = value.managedFields;
  if (managed !== null && managed !== undefined) {
    if (!Array.isArray(managed))
      return { ok: false, error: 'metadata.managedFields is not an array' };
    if (managed.length > 0) meta.managedFields = managed;
  }
  return { ok: true, value: meta };
}

/** A `map[string]string` as Go decodes it (`null` values become `""`). */
export function decodeStringMap(
  value: JsonValue | undefined,
): Decoded<Record<string, string> | undefined> {
  if (value === null || value === undefined) return { ok: true, value: undefined };
  if (!isJsonObject(value)) return { ok: false, error: 'not a JSON object' };
  const map: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (v !== null && typeof v !== 'string')
      return { ok: false, error: `value of ${key} is not a string` };
    map[key] = v ?? '';
  }
  return { ok: true, value: map };
}

function decodeStringArray(value: JsonValue | undefined): Decoded<string[]> {
  if (value === null || value === undefined) return { ok: true, value: [] };
  if (!Array.isArray(value)) return { ok: false, error: 'not an array' };
  if (value.some((v) => v !== null && typeof v !== 'string'))
    return { ok: false, error: 'not all strings' };
  return { ok: true, value: value.map((v) => (v as string | null) ?? '') };
}

/** Owner references in Go's `metav1.OwnerReference` shape (four strings always, flags when set). */
function decodeOwnerReferences(value: JsonValue | undefined): Decoded<JsonObject[]> {
  if (value === null || value === undefined) return { ok: true, value: [] };
  if (!Array.isArray(value))
    return { ok: false, error: 'metadata.ownerReferences is not an array' };
  const refs: JsonObject[] = [];
  for (const item of value) {
    if (item === null) {
      refs.push({ apiVersion: '', kind: '', name: '', uid: '' });
      continue;
    }
    if (!isJsonObject(item)) return { ok: false, error: 'an owner reference is not a JSON object' };
    const ref: JsonObject = {};
    for (const field of ['apiVersion', 'kind', 'name', 'uid']) {
      const v = item[field];
      if (v !== null && v !== undefined && typeof v !== 'string') {
        return { ok: false, error: `ownerReferences[].${field} is not a string` };
      }
      ref[field] = v ?? '';
    }
    for (const field of ['controller', 'blockOwnerDeletion']) {
      const v = item[field];
      if (v === null || v === undefined) continue;
      if (typeof v !== 'boolean')
        return { ok: false, error: `ownerReferences[].${field} is not a boolean` };
      ref[field] = v;
    }
    refs.push(ref);
  }
  return { ok: true, value: refs };
}

/**
 * Owner references as the v3 API shows them: references with apiVersion `crd.projectcalico.org/v1`
 * (or `projectcalico.org/v3`, written before Calico's uid conversion fix) become
 * `projectcalico.org/v3` with ConvertUID applied (resources.go ConvertK8sResourceToCalicoResource).
 */
export function ownerReferencesToV3(refs: JsonObject[]): Decoded<JsonObject[]> {
  return mapCalicoOwners(refs, [V1_API_VERSION, V3_API_VERSION], V3_API_VERSION);
}

/**
 * Owner references as stored in the v1 metadata annotation: `projectcalico.org/v3` references
 * become `crd.projectcalico.org/v1` with ConvertUID applied (resources.go
 * ConvertCalicoResourceToK8sResource). Throws `InvalidObjectError` for a uid that is not a UUID,
 * as Calico refuses such an object.
 */
export function ownerReferencesToV1(refs: JsonObject[]): JsonObject[] {
  const mapped = mapCalicoOwners(refs, [V3_API_VERSION], V1_API_VERSION);
  if (!mapped.ok) throw new InvalidObjectError(mapped.error);
  return mapped.value;
}

function mapCalicoOwners(refs: JsonObject[], from: string[], to: string): Decoded<JsonObject[]> {
  const out: JsonObject[] = [];
  for (const ref of refs) {
    if (!from.includes(ref.apiVersion as string)) {
      out.push(ref);
      continue;
    }
    const uid = convertUid(typeof ref.uid === 'string' ? ref.uid : '');
    if (uid === undefined)
      return { ok: false, error: `owner reference uid is not a UUID: ${String(ref.uid)}` };
    out.push({ ...ref, apiVersion: to, uid });
  }
  return { ok: true, value: out };
}

/**
 * Whether Calico copies a label or annotation key onto the v1 CR itself (besides the metadata
 * annotation): keys containing `projectcalico.org/` or `operator.tigera.io/` (resources.go isOurs).
 */
export function isCalicoOwnedKey(key: string): boolean {
  return key.includes('projectcalico.org/') || key.includes('operator.tigera.io/');
}

/** The entries of a map whose keys Calico owns, or `undefined` when there are none. */
export function filterCalicoOwned(
  map: Record<string, string> | undefined,
): Record<string, string> | undefined {
  const entries = Object.entries(map ?? {}).filter(([key]) => isCalicoOwnedKey(key));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** How the metadata annotation is written. */
export interface MetadataAnnotationOptions {
  /** Keep `name` (tiered policies from Calico v3.30; cleared for every other kind). */
  keepName: boolean;
  /** How a zero `creationTimestamp` is written (see `KddWriteTarget`). */
  zeroCreationTimestamp: 'null' | 'omit';
  /** Leave `creationTimestamp` out of the annotation (IPAM objects, written without one by Calico). */
  dropCreationTimestamp: boolean;
}

/**
 * The value of `projectcalico.org/metadata`: the v3 ObjectMeta without namespace, resourceVersion
 * and uid (and without name unless `keepName`), owner references mapped to the v1 group, encoded as
 * Go's `json.Marshal` writes `metav1.ObjectMeta` (struct field order, sorted maps, omitempty).
 */
export function encodeMetadataAnnotation(
  meta: ObjectMeta,
  options: MetadataAnnotationOptions,
): string {
  const out: Record<string, unknown> = {};
  if (options.keepName && meta.name) out.name = meta.name;
  copyIfSet(meta, out, 'generateName');
  copyIfSet(meta, out, 'selfLink');
  if (meta.generation) out.generation = meta.generation;
  const created = options.dropCreationTimestamp
    ? undefined
    : encodeTime(meta.creationTimestamp, 'creationTimestamp');
  if (created !== undefined) out.creationTimestamp = created;
  else if (options.zeroCreationTimestamp === 'null') out.creationTimestamp = null;
  const deleted = encodeTime(meta.deletionTimestamp, 'deletionTimestamp');
  if (deleted !== undefined) out.deletionTimestamp = deleted;
  if (meta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds !== null) {
    out.deletionGracePeriodSeconds = meta.deletionGracePeriodSeconds;
  }
  if (meta.labels && Object.keys(meta.labels).length > 0) out.labels = GoMap.of(meta.labels);
  const annotations = { ...meta.annotations };
  delete annotations[METADATA_ANNOTATION];
  if (Object.keys(annotations).length > 0) out.annotations = GoMap.of(annotations);
  if (meta.ownerReferences && meta.ownerReferences.length > 0) {
    out.ownerReferences = ownerReferencesToV1(meta.ownerReferences.map(goOwnerReference));
  }
  if (meta.finalizers && meta.finalizers.length > 0) out.finalizers = meta.finalizers;
  const managed = meta.managedFields;
  if (Array.isArray(managed) && managed.length > 0) out.managedFields = managed;
  return marshalGoJson(out);
}

function copyIfSet(meta: ObjectMeta, out: Record<string, unknown>, field: string): void {
  const value = meta[field];
  if (typeof value === 'string' && value !== '') out[field] = value;
}

function encodeTime(value: JsonValue | undefined, field: string): string | undefined {
  const time = decodeGoTime(value);
  if (!time.ok) throw new InvalidObjectError(`metadata.${field}: ${time.error}`);
  return time.time;
}

/** An owner reference with Go's field order; fields Go does not know are dropped. */
function goOwnerReference(ref: JsonObject): JsonObject {
  const out: JsonObject = {
    apiVersion: ref.apiVersion ?? '',
    kind: ref.kind ?? '',
    name: ref.name ?? '',
    uid: ref.uid ?? '',
  };
  if (typeof ref.controller === 'boolean') out.controller = ref.controller;
  if (typeof ref.blockOwnerDeletion === 'boolean') out.blockOwnerDeletion = ref.blockOwnerDeletion;
  return out;
}
