/**
 * JSON text as Calico's Go code writes it: etcd values, and the JSON Calico keeps inside
 * annotations in KDD (`projectcalico.org/metadata`, `projectcalico.org/labels`, ...). Values are
 * written as libcalico-go writes etcd values. Values are `json.Marshal` output
 * (libcalico-go/lib/backend/model/keys.go SerializeValue; jsoniter in standard-library mode up to
 * v3.32, libcalico-go/lib/json/json.go, encoding/json at HEAD): compact, struct fields in
 * declaration order, map keys sorted bytewise, integers beyond 2^53 exact, and `<`, `>`, `&`,
 * U+2028, U+2029 escaped as `\u003c`… (HTML-safe escaping, on in both libraries). Writing the same
 * bytes lets a decode→encode of a value Calico wrote give back that value unchanged.
 *
 * Known difference: control characters U+0008/U+000C are written `\b`/`\f` (encoding/json since Go
 * 1.22) where jsoniter writes `\u0008`/`\u000c`; both decode to the same string.
 */

/** A Go map: marshalled with its keys sorted bytewise, whatever order they were given in. */
export class GoMap {
  constructor(readonly entries: ReadonlyArray<readonly [string, unknown]>) {}

  /** A map with the members of a plain object (a JS object would list integer-like keys first). */
  static of(record: Record<string, unknown>): GoMap {
    return new GoMap(Object.entries(record));
  }
}

/** Characters Go escapes although JSON does not require it. Outside strings they never occur. */
const GO_EXTRA_ESCAPES = /[<>&\u2028\u2029]/g;

/** Serialises like Go's `json.Marshal`: plain objects in their own key order, `GoMap`s sorted. */
export function marshalGoJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // Go and JS both print float64 in shortest form with an exponent outside [1e-6, 1e21).
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'string':
      return marshalGoString(value);
  }
  if (Array.isArray(value)) return `[${value.map(marshalGoJson).join(',')}]`;
  const members =
    value instanceof GoMap
      ? [...value.entries].sort(([a], [b]) => compareBytewise(a, b))
      : Object.entries(value as Record<string, unknown>);
  const written = members.filter(([, v]) => v !== undefined);
  return `{${written.map(([k, v]) => `${marshalGoString(k)}:${marshalGoJson(v)}`).join(',')}}`;
}

/** A JSON string literal with Go's HTML-safe escaping. */
export function marshalGoString(text: string): string {
  return JSON.stringify(text).replace(
    GO_EXTRA_ESCAPES,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Orders strings by their UTF-8 bytes, as Go compares map keys. */
export function compareBytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
