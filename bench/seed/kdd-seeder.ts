/**
 * Seeds the v1-CRD-mode kube-apiserver with a generated cluster through concurrent creates, and
 * removes it again. Namespaces are created first (everything namespaced waits for them); the rest
 * streams through a fixed number of in-flight POSTs. Every object except the cluster singletons
 * carries the seed label, so cleaning is a few DELETE-collection calls per resource type.
 */
import { generateCluster } from '../data/cluster.js';
import type { KddRecord } from '../data/kdd-records.js';
import { toKddRecords } from '../data/kdd-records.js';
import { SEED_LABEL, SEED_LABEL_VALUE } from '../data/naming.js';
import type { ClusterShape } from '../data/shape.js';
import type { KubeHttp } from '../lib/kube-http.js';
import { progress } from '../lib/log.js';
import { TaskPool } from '../lib/pool.js';
import type { SeedSummary } from './etcd-seeder.js';

const SELECTOR = `labelSelector=${encodeURIComponent(`${SEED_LABEL}=${SEED_LABEL_VALUE}`)}`;
const CALICO_GROUP = '/apis/crd.projectcalico.org/v1';

/** Creates one object, retrying briefly on throttling and server errors. */
async function create(client: KubeHttp, record: KddRecord): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const reply = await client.send('POST', record.path, record.body);
    if (reply.status >= 200 && reply.status < 300) return true;
    if (reply.status === 409 && record.singleton) return false;
    if ((reply.status === 429 || reply.status >= 500) && attempt < 5) {
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      continue;
    }
    const message = (reply.body as { message?: string } | undefined)?.message ?? String(reply.body);
    throw new Error(`POST ${record.path}: HTTP ${reply.status}: ${message}`);
  }
}

/** Writes the cluster `shape` describes with `concurrency` creates in flight. */
export async function seedKdd(
  client: KubeHttp,
  shape: ClusterShape,
  concurrency: number,
): Promise<SeedSummary> {
  const started = Date.now();
  const pool = new TaskPool(concurrency);
  let objects = 0;
  let bytes = 0;
  let creatingNamespaces = false;
  for (const object of generateCluster(shape)) {
    for (const record of toKddRecords(object)) {
      // The namespaces must exist before the first object in them is sent.
      if (creatingNamespaces && !record.isNamespace) await pool.drain();
      creatingNamespaces = record.isNamespace;
      bytes += Buffer.byteLength(record.body);
      await pool.run(async () => {
        if (!(await create(client, record))) return;
        if (++objects % 2_000 === 0) progress(`  kdd: ${objects} objects created`);
      });
    }
  }
  await pool.drain();
  return { objects, bytes, seconds: (Date.now() - started) / 1000 };
}

interface ApiResource {
  name: string;
  namespaced: boolean;
  verbs: string[];
}

/** The Calico v1 CRD collections the apiserver serves, from API discovery. */
async function calicoCollections(client: KubeHttp): Promise<ApiResource[]> {
  const reply = await client.expect('GET', CALICO_GROUP);
  const resources = (reply.body as { resources?: ApiResource[] }).resources ?? [];
  return resources.filter(
    (resource) => !resource.name.includes('/') && resource.verbs.includes('deletecollection'),
  );
}

/** Deletes a labelled collection until nothing labelled is left (large ones may take a few calls). */
async function deleteCollection(client: KubeHttp, path: string, extra = ''): Promise<void> {
  for (let attempt = 1; attempt <= 10; attempt++) {
    await client.expect('DELETE', `${path}?${SELECTOR}${extra}`, undefined, [404, 504]);
    const left = await client.send('GET', `${path}?${SELECTOR}&limit=1`);
    const items = (left.body as { items?: unknown[] } | undefined)?.items ?? [];
    if (left.status === 404 || items.length === 0) return;
  }
  throw new Error(`${path}: labelled objects remain after 10 DELETE-collection calls`);
}

/** Removes everything the seeder created (found by the seed label). */
export async function cleanKdd(client: KubeHttp): Promise<void> {
  const namespaces = await client.expect('GET', `/api/v1/namespaces?${SELECTOR}`);
  const names = ((namespaces.body as { items?: { metadata: { name: string } }[] }).items ?? []).map(
    (item) => item.metadata.name,
  );
  const collections = await calicoCollections(client);
  for (const resource of collections.filter((candidate) => !candidate.namespaced)) {
    await deleteCollection(client, `${CALICO_GROUP}/${resource.name}`);
  }
  for (const namespace of names) {
    // Pods are bound to nodes that have no kubelet: delete them at once (grace period 0).
    await deleteCollection(client, `/api/v1/namespaces/${namespace}/pods`, '&gracePeriodSeconds=0');
    await deleteCollection(client, `/api/v1/namespaces/${namespace}/serviceaccounts`);
    for (const resource of collections.filter((candidate) => candidate.namespaced)) {
      await deleteCollection(client, `${CALICO_GROUP}/namespaces/${namespace}/${resource.name}`);
    }
  }
  await deleteCollection(client, '/api/v1/nodes');
  for (const namespace of names) await removeNamespace(client, namespace);
}

/**
 * Deletes an (emptied) namespace. With no namespace controller running, the apiserver leaves it
 * Terminating with its `kubernetes` finalizer; clearing the finalizer and deleting again removes
 * it, as the controller would after emptying it.
 */
async function removeNamespace(client: KubeHttp, name: string): Promise<void> {
  const path = `/api/v1/namespaces/${name}`;
  await client.expect('DELETE', path, undefined, [404, 409]);
  const reply = await client.send('GET', path);
  if (reply.status === 404) return;
  const namespace = reply.body as { spec?: { finalizers?: string[] } };
  namespace.spec = { ...namespace.spec, finalizers: [] };
  await client.expect('PUT', `${path}/finalize`, JSON.stringify(namespace), [404, 409]);
  await client.expect('DELETE', path, undefined, [404, 409]);
}
