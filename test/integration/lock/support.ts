/**
 * Shared by the lock integration tests: the three backends of the test environment (etcd, KDD v1,
 * KDD v3) with their CLI flags and a project adapter to arrange and check ClusterInformation, and
 * saving / clearing / restoring ClusterInformation so the shared servers are left as found.
 */
import type { Datastore } from '../../../src/datastores/datastore.js';
import { openEtcdDatastore } from '../../../src/datastores/etcd/etcd-datastore.js';
import { openKddDatastore } from '../../../src/datastores/kdd/kdd-datastore.js';
import type { CalicoResource } from '../../../src/model/resource.js';
import type { TestEnv } from '../../helpers/testenv.js';

/** The ClusterInformation reference. */
export const CI_REF = { kind: 'ClusterInformation', name: 'default' };

/** One backend under test. */
export interface Backend {
  /** `etcd`, `v1` or `v3`. */
  name: 'etcd' | 'v1' | 'v3';
  /** The `--datastore` value. */
  side: 'etcd' | 'kdd';
  /** Connection flags (without `--datastore`). */
  flags: string[];
  /** An adapter for arranging and checking. */
  ds: Datastore;
  /** Endpoint as status reports it. */
  endpoint: string;
}

/** The etcd connection flags of the test environment. */
export function etcdConnectionFlags(env: TestEnv): string[] {
  return [
    '--etcd-endpoints',
    env.etcd.endpoints.join(','),
    '--etcd-ca-cert-file',
    env.etcd.caCertFile,
    '--etcd-cert-file',
    env.etcd.certFile,
    '--etcd-key-file',
    env.etcd.keyFile,
  ];
}

/** The admin kubeconfig of a test apiserver. */
export function adminKubeconfig(env: TestEnv, name: 'v1' | 'v3'): string {
  const path = env.apiservers[name]?.adminKubeconfig;
  if (!path) throw new Error(`the test environment has no ${name} apiserver`);
  return path;
}

/** Opens the three backends. */
export async function openBackends(env: TestEnv): Promise<Backend[]> {
  const etcd: Backend = {
    name: 'etcd',
    side: 'etcd',
    flags: etcdConnectionFlags(env),
    ds: await openEtcdDatastore({
      endpoints: env.etcd.endpoints,
      caCertFile: env.etcd.caCertFile,
      certFile: env.etcd.certFile,
      keyFile: env.etcd.keyFile,
    }),
    endpoint: env.etcd.endpoints.join(','),
  };
  const kdd = async (name: 'v1' | 'v3'): Promise<Backend> => {
    const kubeconfig = adminKubeconfig(env, name);
    return {
      name,
      side: 'kdd',
      flags: ['--kubeconfig', kubeconfig],
      ds: await openKddDatastore({ kubeconfig, crdMode: 'auto' }),
      endpoint: env.apiservers[name]!.url,
    };
  };
  return [etcd, await kdd('v1'), await kdd('v3')];
}

/** A ready ClusterInformation as calico-node leaves it. */
export function readyClusterInformation(annotations?: Record<string, string>): CalicoResource {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'ClusterInformation',
    metadata: { name: 'default', ...(annotations && { annotations }) },
    spec: {
      calicoVersion: 'v3.31.7',
      clusterGUID: 'c0ffee00c0ffee00c0ffee00c0ffee00',
      clusterType: 'k8s,bgp',
      datastoreReady: true,
    },
  };
}

/** Deletes ClusterInformation `default` if it exists. */
export async function clearClusterInformation(ds: Datastore): Promise<void> {
  if (await ds.get(CI_REF)) await ds.delete(CI_REF);
}

/** Replaces ClusterInformation with `saved` (as read earlier), or removes it if there was none. */
export async function restoreClusterInformation(
  ds: Datastore,
  saved: CalicoResource | undefined,
): Promise<void> {
  await clearClusterInformation(ds);
  if (!saved) return;
  const { resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, ...metadata } = saved.metadata;
  await ds.create({ ...saved, metadata });
}
