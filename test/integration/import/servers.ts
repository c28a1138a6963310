/**
 * The shared test servers for the import tests, under the cross-process datastore lock: Calico's
 * etcd (saved before, restored after), the v1 and v3 kube-apiservers (wiped after), and the ways a
 * test puts them in a known state: an etcd seeded with the etcd form of the dataset, a KDD seeded
 * with its KDD form, or an empty target. An empty KDD target is a cluster without Calico data: its
 * Namespaces and Kubernetes Nodes exist (they are the cluster's, not Calico's), nothing else.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Etcd3 } from 'etcd3';
import type { JsonObject } from '../../../src/model/json.js';
import type { CrdMode, EtcdExtraKey } from '../../fixtures/dataset/index.js';
import { buildEtcdSeed, buildKddSeed, ETCD_ONLY_RAW } from '../../fixtures/dataset/index.js';
import type { SavedEtcd } from '../../helpers/clean-datastores.js';
import {
  acquireDatastoreLock,
  restoreEtcdCalico,
  saveEtcdCalico,
  wipeEtcdCalico,
  wipeKdd,
} from '../../helpers/clean-datastores.js';
import { openTestEtcd, putKeys } from '../../helpers/seed-etcd.js';
import { KubeApi, seedKdd } from '../../helpers/seed-kdd.js';
import type { TestEnv } from '../../helpers/testenv.js';
import { loadTestEnv } from '../../helpers/testenv.js';
import type { Server } from './support.js';

const MERGE_PATCH = 'application/merge-patch+json';

/**
 * The etcd form of the dataset without the second stored copy of `dup-policy`: that copy's key is
 * the key a v3.32 datastore stores the first copy under, so no restore can give back both (the
 * directions test shows how import reports it).
 */
export function etcdSeedWithoutDuplicate(): EtcdExtraKey[] {
  const duplicate = ETCD_ONLY_RAW.find((raw) => /second stored copy/.test(String(raw.reason)));
  return buildEtcdSeed().filter((entry) => entry.key !== duplicate?.key);
}

/** The key of the dataset's duplicated policy copy (a raw entry of the etcd export). */
export const DUPLICATE_COPY_KEY = ETCD_ONLY_RAW.find((raw) =>
  /second stored copy/.test(String(raw.reason)),
)!.key;

/** The names of the Kubernetes Nodes an empty KDD target has (the portable Calico nodes). */
export const TARGET_KUBERNETES_NODES = buildKddSeed('v1').nodes.map(
  (write) => (write.body.metadata as JsonObject).name as string,
);

/** The shared servers, held for the duration of one test file. */
export class TestServers {
  private constructor(
    readonly env: TestEnv,
    readonly etcd: Etcd3,
    readonly apis: Record<CrdMode | 'throttled', KubeApi>,
    /** A scratch directory, removed on close. */
    readonly dir: string,
    private readonly saved: SavedEtcd,
    private readonly release: () => void,
  ) {}

  /** Takes the datastore lock, saves Calico's etcd, and opens clients of every server. */
  static async open(name: string): Promise<TestServers> {
    const env = loadTestEnv();
    const release = await acquireDatastoreLock();
    let etcd: Etcd3 | undefined;
    try {
      etcd = openTestEtcd(env);
      const saved = await saveEtcdCalico(etcd);
      const apis = {
        v1: await KubeApi.forApiserver(env, 'v1'),
        v3: await KubeApi.forApiserver(env, 'v3'),
        throttled: await KubeApi.forApiserver(env, 'throttled'),
      };
      const dir = mkdtempSync(join(tmpdir(), `calico-migrate-import-${name}-`));
      return new TestServers(env, etcd, apis, dir, saved, release);
    } catch (error) {
      etcd?.close();
      release();
      throw error;
    }
  }

  /** Puts Calico's etcd back as it was, wipes the apiservers it used, and releases the lock. */
  async close(used: readonly Server[] = ['v1', 'v3']): Promise<void> {
    try {
      await restoreEtcdCalico(this.etcd, this.saved);
      for (const server of used) if (server !== 'etcd') await wipeKdd(this.apis[server]);
    } finally {
      this.etcd.close();
      rmSync(this.dir, { recursive: true, force: true });
      this.release();
    }
  }

  /** The admin client of a KDD server. */
  api(server: Server): KubeApi {
    if (server === 'etcd') throw new Error('etcd has no Kubernetes API');
    return this.apis[server];
  }

  /** Replaces Calico's etcd data with `keys` (default: the dataset's etcd form, see above). */
  async seedEtcd(keys: readonly EtcdExtraKey[] = etcdSeedWithoutDuplicate()): Promise<void> {
    await wipeEtcdCalico(this.etcd);
    await putKeys(this.etcd, keys);
  }

  /** Replaces a KDD apiserver's data with the dataset's KDD form in its CRD mode. */
  async seedKdd(server: 'v1' | 'v3'): Promise<void> {
    const api = this.apis[server];
    await wipeKdd(api);
    await seedKdd(api, buildKddSeed(server));
  }

  /** Makes a server an empty import target (see the file comment for KDD). */
  async emptyTarget(server: Server): Promise<void> {
    if (server === 'etcd') {
      await wipeEtcdCalico(this.etcd);
      return;
    }
    await prepareEmptyKdd(this.apis[server]);
  }
}

/**
 * Wipes a KDD apiserver and creates what the cluster itself would have: the dataset's Namespaces
 * and its Kubernetes Nodes (labels, pod CIDRs, addresses) without any Calico annotation.
 */
export async function prepareEmptyKdd(api: KubeApi): Promise<void> {
  await wipeKdd(api);
  const seed = buildKddSeed('v1');
  for (const namespace of seed.namespaces)
    await api.send('POST', namespace.collection, namespace.body);
  for (const node of seed.nodes) {
    const metadata = { ...(node.body.metadata as JsonObject) };
    delete metadata.annotations;
    await api.send('POST', node.collection, { ...node.body, metadata });
    if (node.status) {
      await api.send(
        'PATCH',
        `${node.collection}/${String(metadata.name)}/status`,
        { status: node.status },
        { contentType: MERGE_PATCH },
      );
    }
  }
}
