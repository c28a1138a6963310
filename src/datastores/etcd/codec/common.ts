/** Small pieces shared by the etcd codecs: decode results, raw entries and value text. */
import type { JsonObject, JsonValue } from '../../../model/json.js';
import { isJsonObject, parseJson } from '../../../model/json.js';
import type { CalicoResource, RawEntry } from '../../../model/resource.js';

/** Outcome of decoding one stored value: a canonical object, or why the entry stays raw. */
export type Decoded = { ok: true; resource: CalicoResource } | { ok: false; reason: string };

/** A failed decode. */
export function fail(reason: string): Decoded {
  return { ok: false, reason };
}

/** One etcd write: the key and the value text, exactly as libcalico-go would write them. */
export interface EtcdWrite {
  key: string;
  value: string;
}

/** A raw etcd entry: the key and a copy of the bytes, with the reason it has no canonical form. */
export function makeRawEntry(key: string, value: Uint8Array, reason: string): RawEntry {
  return { source: 'etcd', key, value: Buffer.from(value), reason };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The value as text; `undefined` when it is not valid UTF-8 (Go would replace bytes, changing it). */
export function decodeUtf8(value: Uint8Array): string | undefined {
  try {
    return utf8.decode(value);
  } catch {
    return undefined;
  }
}

/** Parses a stored value that must be a JSON object; a reason string when it is not. */
export function parseJsonObject(text: string): JsonObject | string {
  let parsed: JsonValue;
  try {
    parsed = parseJson(text);
  } catch (error) {
    return `value is not valid JSON (${(error as Error).message})`;
  }
  return isJsonObject(parsed) ? parsed : 'value is not a JSON object';
}

/** The decimal text of an etcd mod-revision, as Calico reports it in `resourceVersion`. */
export function formatRevision(modRevision: string | number | bigint): string {
  return typeof modRevision === 'string' ? modRevision : modRevision.toString();
}
