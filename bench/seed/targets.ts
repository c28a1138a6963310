/**
 * The datastores of the test environment as benchmark targets: seed a generated cluster, clean it
 * away, and the connection flags the calico-migrate CLI needs to reach the same datastore.
 * etcd leftovers are found again from a small state file (the shape last seeded), KDD leftovers by
 * their seed label, so an interrupted run is cleaned up by the next one.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { etcd3Options, kubeconfigFor, loadKubeConfig } from '../../test/helpers/testenv.js';
import type { TestEnv } from '../../test/helpers/testenv.js';
import type { Backend, ClusterShape } from '../data/shape.js';
import { REPO_ROOT } from '../lib/cli.js';
import { progress } from '../lib/log.js';
import { KubeHttp } from '../lib/kube-http.js';
import { cleanEtcd, compactEtcd, EtcdKeyExistsError, seedEtcd } from './etcd-seeder.js';
import { sweepEtcd } from './etcd-sweep.js';
import type { SeedSummary } from './etcd-seeder.js';
import { cleanKdd, seedKdd } from './kdd-seeder.js';

/** Where benchmarks keep their files (git-ignored). */
export const RESULTS_DIR = join(REPO_ROOT, 'bench-results');

/** A datastore to seed and to point the CLI at. */
export interface SeedTarget {
  readonly backend: Backend;
  /** Endpoint, for the report. */
  readonly endpoint: string;
  /** calico-migrate flags that select and reach this datastore (`--from`/`--to` not included). */
  readonly connectionFlags: string[];
  seed(shape: ClusterShape): Promise<SeedSummary>;
  /** Removes whatever a benchmark seeded here (also after an interrupted run); etcd: compacts. */
  clean(): Promise<void>;
  close(): Promise<void>;
}

/** Options of `openSeedTarget`. */
export interface TargetOptions {
  /** KDD: creates in flight. */
  concurrency: number;
}

/** Opens `backend` of the running test environment (etcd, or the v1-CRD-mode apiserver). */
export async function openSeedTarget(
  backend: Backend,
  env: TestEnv,
  options: TargetOptions,
): Promise<SeedTarget> {
  if (backend === 'etcd') return openEtcdTarget(env);
  const client = await KubeHttp.create(loadKubeConfig(env, 'v1'), options.concurrency);
  return {
    backend,
    endpoint: env.apiservers.v1?.url ?? 'v1 apiserver',
    connectionFlags: ['--kubeconfig', kubeconfigFor(env, 'v1'), '--crd-mode', 'v1'],
    seed: (shape) => seedKdd(client, shape, options.concurrency),
    clean: () => cleanKdd(client),
    async close() {
      client.close();
    },
  };
}

/** Calico's etcd of the test environment. */
function openEtcdTarget(env: TestEnv): SeedTarget {
  const client = new Etcd3(etcd3Options(env));
  // Per test environment: each run of `testenv up` starts an empty etcd.
  const stateFile = join(RESULTS_DIR, `etcd-seeded-shape-${env.id}.json`);
  const { endpoints, caCertFile, certFile, keyFile } = env.etcd;
  const recordShape = (shape: ClusterShape) => {
    mkdirSync(dirname(stateFile), { recursive: true });
    writeFileSync(stateFile, JSON.stringify(shape, null, 2));
  };
  const clean = async () => {
    if (existsSync(stateFile)) {
      await cleanEtcd(client, JSON.parse(readFileSync(stateFile, 'utf8')) as ClusterShape);
      rmSync(stateFile);
    }
    const stray = await sweepEtcd(client);
    if (stray > 0)
      progress(`etcd: removed ${stray} benchmark keys the shape file did not account for`);
    await compactEtcd(client);
  };
  const seed = async (shape: ClusterShape) => {
    recordShape(shape);
    try {
      return await seedEtcd(client, shape);
    } catch (error) {
      if (!(error instanceof EtcdKeyExistsError)) throw error;
      // Benchmark data that came back (a test that saved /calico/ while it was there restored it
      // later): remove it and seed once more.
      progress(`etcd: ${error.message}; removing benchmark data and seeding again`);
      await clean();
      recordShape(shape);
      return seedEtcd(client, shape);
    }
  };
  return {
    backend: 'etcd',
    endpoint: endpoints.join(','),
    connectionFlags: [
      ...['--etcd-endpoints', endpoints.join(','), '--etcd-ca-cert-file', caCertFile],
      ...['--etcd-cert-file', certFile, '--etcd-key-file', keyFile],
    ],
    seed,
    clean,
    close: async () => client.close(),
  };
}
