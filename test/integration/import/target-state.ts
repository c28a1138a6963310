/**
 * Reading and changing a target behind the tool's back: a fingerprint of everything it holds (to
 * prove that a run wrote nothing), and direct edits and deletions of stored objects (to make
 * conflicts and drift). etcd is read with the etcd3 client, KDD with the admin REST client.
 */
import assert from 'node:assert/strict';
import type { Etcd3 } from 'etcd3';
import type { JsonObject } from '../../../src/model/json.js';
import { isJsonObject, parseJson, stringifyJson } from '../../../src/model/json.js';
import type { KubeApi } from '../../helpers/seed-kdd.js';

/** What a target holds: a key (etcd key, or KDD `path`) -> its version and bytes. */
export type TargetState = Map<string, string>;

/** Every key under a prefix of Calico's etcd with its bytes (hex) and mod revision. */
export async function readEtcdState(etcd: Etcd3, prefix = '/calico/'): Promise<TargetState> {
  const state: TargetState = new Map();
  // The range end of a prefix: the prefix with its last byte incremented ('/calico/' -> '/calico0').
  const end = Buffer.from(
    prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1),
  );
  let start = Buffer.from(prefix);
  for (;;) {
    const page = await etcd.kv.range({ key: start, range_end: end, limit: 500 });
    for (const kv of page.kvs)
      state.set(kv.key.toString('utf8'), `${kv.mod_revision}:${kv.value.toString('hex')}`);
    const last = page.kvs.at(-1);
    if (!page.more || !last) return state;
    start = Buffer.concat([last.key, Buffer.from([0])]);
  }
}

/** Every key and value under a prefix of Calico's etcd (the bytes only). */
export async function dumpEtcd(etcd: Etcd3, prefix: string): Promise<Map<string, Buffer>> {
  const values = new Map<string, Buffer>();
  const all = await etcd.getAll().prefix(prefix).buffers();
  for (const [key, value] of Object.entries(all)) values.set(key, value);
  return values;
}

/** The collections of the Calico group a KDD apiserver serves (`/apis/<group>/<version>/<plural>`). */
async function calicoCollections(api: KubeApi): Promise<string[]> {
  const collections: string[] = [];
  for (const groupVersion of ['crd.projectcalico.org/v1', 'projectcalico.org/v3']) {
    const { status, body } = await api.send('GET', `/apis/${groupVersion}`, undefined, {
      ok: [404],
    });
    if (status === 404 || !isJsonObject(body) || !Array.isArray(body.resources)) continue;
    for (const resource of body.resources.filter(isJsonObject)) {
      const name = String(resource.name);
      if (!name.includes('/')) collections.push(`/apis/${groupVersion}/${name}`);
    }
  }
  return collections;
}

/** Every Calico custom resource and Kubernetes Node of a KDD apiserver with its resourceVersion. */
export async function readKddState(api: KubeApi): Promise<TargetState> {
  const state: TargetState = new Map();
  for (const collection of [...(await calicoCollections(api)), '/api/v1/nodes']) {
    for (const item of await api.list(collection)) {
      const meta = item.metadata as JsonObject;
      const where = meta.namespace ? `${String(meta.namespace)}/` : '';
      state.set(`${collection}/${where}${String(meta.name)}`, String(meta.resourceVersion));
    }
  }
  return state;
}

/** Asserts that a target state did not change, naming what did. */
export function assertUnchanged(before: TargetState, after: TargetState, what: string): void {
  const changed = [...new Set([...before.keys(), ...after.keys()])]
    .filter((key) => before.get(key) !== after.get(key))
    .sort();
  assert.deepEqual(changed, [], `${what}: the target changed`);
  assert.ok(before.size > 0, `${what}: the target is not empty (the comparison means something)`);
}

/** Rewrites the JSON value stored at an etcd key (the key must exist). */
export async function editEtcdValue(
  etcd: Etcd3,
  key: string,
  edit: (value: JsonObject) => void,
): Promise<void> {
  const stored = await etcd.get(key).buffer();
  assert.ok(stored, `${key} exists in etcd`);
  const value = parseJson(stored.toString('utf8')) as JsonObject;
  edit(value);
  await etcd.put(key).value(stringifyJson(value));
}

/** The one etcd key under `prefix` whose path ends with `/<name>` (policies may have `default.`). */
export async function findEtcdKey(etcd: Etcd3, prefix: string, name: string): Promise<string> {
  const keys = (await etcd.getAll().prefix(prefix).keys()).filter(
    (key) => key.endsWith(`/${name}`) || key.endsWith(`/default.${name}`),
  );
  assert.equal(keys.length, 1, `one key for ${name} under ${prefix}: ${keys.join(', ')}`);
  return keys[0]!;
}

/** A KDD custom resource path: `/apis/<group>/<version>/[namespaces/<ns>/]<plural>/<name>`. */
export function customResourcePath(
  mode: 'v1' | 'v3',
  plural: string,
  name: string,
  namespace?: string,
): string {
  const group = mode === 'v1' ? 'crd.projectcalico.org/v1' : 'projectcalico.org/v3';
  return `/apis/${group}/${namespace ? `namespaces/${namespace}/` : ''}${plural}/${name}`;
}

/** Reads, edits and puts back a KDD object (a plain PUT: what another client would do). */
export async function editKddObject(
  api: KubeApi,
  path: string,
  edit: (object: JsonObject) => void,
): Promise<void> {
  const { body } = await api.send('GET', path);
  const object = body as JsonObject;
  edit(object);
  await api.send('PUT', path, object);
}
