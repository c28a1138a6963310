/**
 * The server binaries of the test environment and where they come from:
 * - Calico's etcd: Debian etcd-server 3.4 (`/usr/bin/etcd`); `ETCD_BIN` overrides.
 * - The apiservers' etcd: etcd 3.6 built by scripts/build-test-binaries.sh; `KUBE_ETCD_BIN` overrides.
 *   Not Debian's: 3.4.23 is older than the etcd versions Kubernetes 1.36 supports.
 * - kube-apiserver: built by the same script; `KUBE_APISERVER_BIN` overrides.
 * A missing binary is an error that names it and how to get it; tests never skip because of it.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

/** Paths of the three server binaries. */
export interface TestBinaries {
  readonly calicoEtcd: string;
  readonly kubeEtcd: string;
  readonly kubeApiserver: string;
}

/** The cache the build script writes to: `CALICO_MIGRATE_CACHE`, else `~/.cache/calico-migrate`. */
export function cacheDir(): string {
  return process.env.CALICO_MIGRATE_CACHE ?? join(homedir(), '.cache', 'calico-migrate');
}

/** The version a tools/ wrapper module requires of `modulePath` (the build script reads the same). */
export function wrapperVersion(wrapper: 'kube-apiserver' | 'etcd', modulePath: string): string {
  const goMod = readFileSync(join(repoRoot, 'tools', wrapper, 'go.mod'), 'utf8');
  for (const line of goMod.split('\n')) {
    const [name, version] = line.trim().split(/\s+/);
    if (name === modulePath && version?.startsWith('v')) return version;
  }
  throw new Error(`tools/${wrapper}/go.mod does not require ${modulePath}`);
}

/** Resolves the binaries, failing with one message that lists every missing one. */
export function resolveBinaries(): TestBinaries {
  const k8s = wrapperVersion('kube-apiserver', 'k8s.io/kubernetes');
  const etcd = wrapperVersion('etcd', 'go.etcd.io/etcd/server/v3');
  const bin = join(cacheDir(), 'bin');
  const wanted = [
    {
      path: process.env.ETCD_BIN ?? '/usr/bin/etcd',
      what: "Calico's etcd (Debian etcd-server 3.4)",
      how: 'run `npm run provision` (apt-get install etcd-server), or set ETCD_BIN to an etcd binary',
    },
    {
      path: process.env.KUBE_ETCD_BIN ?? join(bin, `etcd-${etcd}`),
      what: `etcd ${etcd} for the kube-apiservers`,
      how: 'run `npm run provision` (builds it from tools/etcd with Go), or set KUBE_ETCD_BIN',
    },
    {
      path: process.env.KUBE_APISERVER_BIN ?? join(bin, `kube-apiserver-${k8s}`),
      what: `kube-apiserver ${k8s}`,
      how: 'run `npm run provision` (builds it from tools/kube-apiserver with Go), or set KUBE_APISERVER_BIN',
    },
  ] as const;
  const missing = wanted.filter(({ path }) => !isExecutable(path));
  if (missing.length > 0) {
    const lines = missing.map(({ path, what, how }) => `  - ${what}: ${path} is missing; ${how}`);
    throw new MissingBinaryError(`the test environment cannot start:\n${lines.join('\n')}`);
  }
  const [calicoEtcd, kubeEtcd, kubeApiserver] = wanted.map(({ path }) => path);
  return { calicoEtcd: calicoEtcd!, kubeEtcd: kubeEtcd!, kubeApiserver: kubeApiserver! };
}

/** A server binary is missing. */
export class MissingBinaryError extends Error {
  override readonly name = 'MissingBinaryError';
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
