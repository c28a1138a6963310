/**
 * Go's ways with maps, times and booleans in the KDD backend: sorted string maps (Go marshals
 * `map[string]string` with sorted keys), RFC 3339 times and `strconv.ParseBool`. The JSON writer
 * itself, shared with the etcd codec, is `../go-json.ts`.
 */
import { GoMap, marshalGoJson } from '../go-json.js';

/** A copy of a string map with keys sorted, as Go marshals `map[string]string`. */
export function sortedRecord(map: Record<string, string>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(map).sort()) sorted[key] = map[key]!;
  return sorted;
}

/**
 * Go's `json.Marshal` of a `map[string]string`: `null` when the map is nil, else the sorted map.
 * Used for `projectcalico.org/kube-labels` (libcalico-go/lib/backend/k8s/resources/node.go
 * mergeCalicoAndK8sLabels marshals the Kubernetes labels, nil included).
 */
export function marshalGoStringMap(map: Record<string, string> | undefined): string {
  return map === undefined ? 'null' : marshalGoJson(GoMap.of(map));
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Go's zero `time.Time`, printed as RFC 3339. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Result of decoding a `metav1.Time`: the normalised text, `undefined` for a zero/null time, or an error. */
export type GoTimeResult = { ok: true; time: string | undefined } | { ok: false; error: string };

/**
 * Decodes a `metav1.Time` JSON value as Go does (k8s.io/apimachinery/pkg/apis/meta/v1/time.go:
 * `null` is the zero time, a string must parse as RFC 3339) and returns it as Go re-encodes it
 * (`t.UTC().Format(time.RFC3339)`: UTC, whole seconds). A zero time gives `undefined`.
 */
export function decodeGoTime(value: unknown): GoTimeResult {
  if (value === null || value === undefined) return { ok: true, time: undefined };
  if (typeof value !== 'string')
    return { ok: false, error: `time is not a string: ${String(value)}` };
  const match = RFC3339.exec(value);
  if (!match) return { ok: false, error: `time is not RFC 3339: ${value}` };
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, 0);
  // Go rejects out-of-range fields (day 31 in a 30-day month, second 60); Date would roll them over.
  if (
    utc.getUTCFullYear() !== year ||
    utc.getUTCMonth() !== month - 1 ||
    utc.getUTCDate() !== day ||
    utc.getUTCHours() !== hour ||
    utc.getUTCMinutes() !== minute ||
    utc.getUTCSeconds() !== second
  ) {
    return { ok: false, error: `time out of range: ${value}` };
  }
  const zone = match[8]!;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const offsetMinutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
    utc.setTime(utc.getTime() - sign * offsetMinutes * 60_000);
  }
  const text = formatUtcSeconds(utc);
  return { ok: true, time: text === ZERO_TIME ? undefined : text };
}

function formatUtcSeconds(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}Z`
  );
}

/**
 * Go's `strconv.ParseBool`, which the IPAM library uses for the string `spec.deleted` of v1
 * BlockAffinity CRs (libcalico-go/lib/backend/k8s/resources/ipam_affinity_v1.go toModelV1).
 * `undefined` when the text is not a boolean.
 */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}
