/**
 * Reading fields of parsed Kubernetes objects the way Go's `encoding/json` fills the client-go
 * structs Calico converts: a missing or `null` field is the zero value (`''`, `false`, empty map).
 * The input comes from the Kubernetes API server, so fields have their schema types; a field of
 * another type is treated as absent rather than rejected.
 */
import type { JsonObject, JsonValue } from '../../../model/json.js';
import { isJsonObject } from '../../../model/json.js';
import { decodeGoTime } from '../go-json.js';

/** The object at `value`, or an empty object. */
export function objectField(value: JsonValue | undefined): JsonObject {
  return isJsonObject(value) ? value : {};
}

/** The string at `value`, or `''` (Go's zero string). */
export function stringField(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** The integer at `value`, or 0 (Go's zero int). */
export function intField(value: JsonValue | undefined): number {
  if (typeof value === 'bigint') return Number(value);
  return typeof value === 'number' && Number.isInteger(value) ? value : 0;
}

/** The array at `value`, or an empty array. */
export function arrayField(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

/**
 * A `map[string]string` (labels, annotations): `undefined` when absent, `null` values read as `''`
 * as Go decodes them, non-string values skipped.
 */
export function stringMapField(value: JsonValue | undefined): Record<string, string> | undefined {
  if (!isJsonObject(value)) return undefined;
  const map: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null) map[key] = '';
    else if (typeof v === 'string') map[key] = v;
  }
  return map;
}

/**
 * `metadata.creationTimestamp` as Go re-encodes a `metav1.Time` (UTC, whole seconds); `undefined`
 * for a zero, missing or unparsable time (Go would print a zero time as `null`; the canonical form
 * omits it).
 */
export function creationTimestampOf(meta: JsonObject): string | undefined {
  const time = decodeGoTime(meta.creationTimestamp);
  return time.ok ? time.time : undefined;
}

/** Whether `metadata.deletionTimestamp` is set (a non-nil `*metav1.Time`). */
export function hasDeletionTimestamp(meta: JsonObject): boolean {
  return meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null;
}
