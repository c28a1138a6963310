/**
 * Type checks matching what Go's json.Unmarshal accepts for the IPAM model structs
 * (libcalico-go/lib/backend/model/{block,block_affinity,ipam_handle,ipam_config}.go). A value Go
 * cannot unmarshal is skipped by Calico's list (etcdv3/conversion.go convertListResponse), so the
 * codec keeps such entries raw instead of guessing.
 */
import type { JsonObject } from '../../../model/json.js';
import { isJsonObject } from '../../../model/json.js';

/** Per-field checks of a value: field name -> whether the member is acceptable (absent is `undefined`). */
export type FieldChecks = Record<string, (v: unknown) => boolean>;

const INT64_MIN = -(2n ** 63n);
const INT64_LIMIT = 2n ** 63n;
const UINT64_LIMIT = 2n ** 64n;

/** A Go `int` (64-bit). */
export function isGoInt(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value);
  return typeof value === 'bigint' && value >= INT64_MIN && value < INT64_LIMIT;
}

/** A Go `uint64`. */
export function isGoUint64(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0;
  return typeof value === 'bigint' && value >= 0n && value < UINT64_LIMIT;
}

/** `null`/absent, or passes `check` (a Go pointer, slice or map field). */
export function isNullOr(value: unknown, check: (v: unknown) => boolean): boolean {
  return value === undefined || value === null || check(value);
}

/** An array whose elements pass `check`. */
export function isArrayOf(value: unknown, check: (v: unknown) => boolean): boolean {
  return Array.isArray(value) && value.every(check);
}

/** An object whose members pass `check` (a Go `map[string]T`). */
export function isMapOf(value: unknown, check: (v: unknown) => boolean): boolean {
  return isJsonObject(value) && Object.values(value).every(check);
}

/** A `map[string]string`. */
export function isStringMap(value: unknown): boolean {
  return isMapOf(value, (v) => typeof v === 'string');
}

/** A string. */
export function isString(value: unknown): boolean {
  return typeof value === 'string';
}

/** A boolean. */
export function isBoolean(value: unknown): boolean {
  return typeof value === 'boolean';
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A `metav1.Time` text: RFC 3339 (k8s.io/apimachinery/pkg/apis/meta/v1/time.go UnmarshalJSON). */
export function isGoTime(value: unknown): boolean {
  return typeof value === 'string' && RFC3339.test(value);
}

/**
 * The first field of `value` that fails its check in `checks` (fields absent from `checks` are not
 * checked), as a short reason; `undefined` when all pass.
 */
export function findBadField(value: JsonObject, checks: FieldChecks): string | undefined {
  for (const [field, check] of Object.entries(checks)) {
    if (!check(value[field])) return `field ${field} has a type Calico cannot read`;
  }
  return undefined;
}

/**
 * The members of a stored value that its Go struct does not know: kept (after the known fields) so
 * nothing is dropped. A member named like a canonical field would be ambiguous: a reason instead.
 */
export function collectExtras(
  value: JsonObject,
  known: readonly string[],
  canonical: readonly string[],
): JsonObject | string {
  const extras: JsonObject = {};
  for (const [field, member] of Object.entries(value)) {
    if (known.includes(field) || member === undefined) continue;
    if (canonical.includes(field)) return `unexpected field ${field}`;
    extras[field] = member;
  }
  return extras;
}
