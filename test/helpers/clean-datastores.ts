/**
 * Clean slates for the integration tests that export whole datastores: wiping Calico's etcd data
 * (everything under `/calico/`, after saving what was there so it can be put back), wiping a test
 * kube-apiserver's Calico data (every Calico CR, and the Nodes, Pods, ServiceAccounts and
 * non-system Namespaces tests create), and a cross-process lock so that test files that wipe the
 * shared servers never run at the same time (Node's test runner runs files in parallel).
 */
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Etcd3 } from 'etcd3';
import type { JsonObject } from '../../src/model/json.js';
import { isJsonObject } from '../../src/model/json.js';
import { SYSTEM_NAMESPACES } from '../fixtures/dataset/index.js';
import type { KubeApi } from './seed-kdd.js';

/** Everything under `/calico/` in Calico's etcd, key -> value. */
export type SavedEtcd = Map<string, Buffer>;

/** Reads every key under `/calico/`, page by page (it may be large: benchmarks seed 200k keys). */
export async function saveEtcdCalico(client: Etcd3): Promise<SavedEtcd> {
  const saved: SavedEtcd = new Map();
  const end = Buffer.from('/calico0'); // '0' follows '/': the end of the /calico/ prefix range
  let start = Buffer.from('/calico/');
  for (;;) {
    const page = await client.kv.range({ key: start, range_end: end, limit: 200 });
    for (const kv of page.kvs) saved.set(kv.key.toString('utf8'), kv.value);
    const last = page.kvs.at(-1);
    if (!page.more || !last) return saved;
    start = Buffer.concat([last.key, Buffer.from([0])]);
  }
}

/** Deletes every key under `/calico/` (the prefix Calico's Clean uses). */
export async function wipeEtcdCalico(client: Etcd3): Promise<void> {
  await client.delete().prefix('/calico/');
}

/** Replaces `/calico/` with what `saveEtcdCalico` read (leases are not restored). */
export async function restoreEtcdCalico(client: Etcd3, saved: SavedEtcd): Promise<void> {
  await wipeEtcdCalico(client);
  const entries = [...saved];
  for (let i = 0; i < entries.length; i += 64) {
    await Promise.all(entries.slice(i, i + 64).map(([key, value]) => client.put(key).value(value)));
  }
}

const MERGE_PATCH = 'application/merge-patch+json';
const CALICO_GROUPS = ['crd.projectcalico.org/v1', 'projectcalico.org/v3'];

/** Runs `work` over `items`, a few at a time. */
async function forEach<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

function selfPath(collection: string, item: JsonObject): string {
  const meta = isJsonObject(item.metadata) ? item.metadata : {};
  const name = encodeURIComponent(String(meta.name));
  if (typeof meta.namespace === 'string' && meta.namespace !== '') {
    const [prefix, plural] = splitCollection(collection);
    return `${prefix}/namespaces/${meta.namespace}/${plural}/${name}`;
  }
  return `${collection}/${name}`;
}

function splitCollection(collection: string): [string, string] {
  const at = collection.lastIndexOf('/');
  return [collection.slice(0, at), collection.slice(at + 1)];
}

/** Deletes every item of a (cluster-wide) collection, removing finalizers that would keep it. */
async function deleteAll(api: KubeApi, collection: string, query = ''): Promise<void> {
  const items = await api.list(collection);
  await forEach(items, async (item) => {
    const path = selfPath(collection, item);
    const meta = isJsonObject(item.metadata) ? item.metadata : {};
    if (Array.isArray(meta.finalizers) && meta.finalizers.length > 0) {
      await api.send(
        'PATCH',
        path,
        { metadata: { finalizers: null } },
        { contentType: MERGE_PATCH, ok: [404] },
      );
    }
    await api.send('DELETE', `${path}${query}`, undefined, { ok: [404] });
  });
}

/** The plurals a served Calico group has (empty when the group is not served). */
async function listPlurals(api: KubeApi, groupVersion: string): Promise<string[]> {
  const { status, body } = await api.send('GET', `/apis/${groupVersion}`, undefined, { ok: [404] });
  if (status === 404 || !isJsonObject(body) || !Array.isArray(body.resources)) return [];
  return body.resources
    .filter(isJsonObject)
    .map((resource) => String(resource.name))
    .filter((name) => !name.includes('/'));
}

/**
 * Wipes a test apiserver: every Calico custom resource (both groups, whichever is served), every
 * Pod, ServiceAccount and Node, and every Namespace but the four the API server creates. Without a
 * controller manager nothing finalizes namespaces, so this empties them and finalizes them itself.
 */
export async function wipeKdd(api: KubeApi): Promise<void> {
  for (const group of CALICO_GROUPS) {
    for (const plural of await listPlurals(api, group))
      await deleteAll(api, `/apis/${group}/${plural}`);
  }
  await deleteAll(api, '/api/v1/pods', '?gracePeriodSeconds=0');
  await deleteAll(api, '/api/v1/serviceaccounts');
  await deleteAll(api, '/api/v1/nodes');
  const namespaces = (await api.list('/api/v1/namespaces')).filter(
    (ns) => !SYSTEM_NAMESPACES.includes(String((ns.metadata as JsonObject).name)),
  );
  await forEach(namespaces, async (ns) => {
    const name = String((ns.metadata as JsonObject).name);
    const path = `/api/v1/namespaces/${name}`;
    await api.send('DELETE', path, undefined, { ok: [404, 409] });
    const finalize = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
      spec: { finalizers: [] },
    };
    await api.send('PUT', `${path}/finalize`, finalize, { ok: [404, 409] });
    for (let attempt = 0; attempt < 100; attempt++) {
      const { status } = await api.send('GET', path, undefined, { ok: [404] });
      if (status === 404) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`namespace ${name} on ${api.server} is still there after deletion`);
  });
}

const LOCK_PATH = join(tmpdir(), 'calico-migrate-datastore-tests.lock');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock shared by every test file that wipes or seeds the test servers' Calico data;
 * waits while another live process holds it (a lock left by a dead process is taken over).
 * Returns the release function.
 */
export async function acquireDatastoreLock(timeoutMs = 15 * 60_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(LOCK_PATH, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => {
        process.off('exit', release);
        try {
          if (readFileSync(LOCK_PATH, 'utf8') === String(process.pid)) rmSync(LOCK_PATH);
        } catch {
          // already gone
        }
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let text: string;
      try {
        text = readFileSync(LOCK_PATH, 'utf8');
      } catch {
        continue; // released meanwhile
      }
      const holder = Number(text);
      if (text !== '' && (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder))) {
        rmSync(LOCK_PATH, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`${LOCK_PATH} is held by pid ${holder} for too long`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
