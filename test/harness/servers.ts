/**
 * Start steps shared by `testenv up`: one kube-apiserver with its CRDs and kubeconfigs, port
 * retries, and settling parallel starts before a failure is reported.
 */
import { join } from 'node:path';
import type { TestBinaries } from './binaries.js';
import { installCrds } from './crds.js';
import { ServerExitedError } from './etcd.js';
import { startKubeApiserver, writeKubeconfig } from './kube-apiserver.js';
import { THROTTLED_USER } from './pki.js';
import type { TestPki } from './pki.js';
import { findFreePorts, isAddressInUse } from './ports.js';
import type { ProcessRecord } from './processes.js';
import type { ApiserverName, ApiserverState, CrdMode, TestEnvState } from './state.js';
import { bindThrottledUser, THROTTLE, throttledApiserverArgs } from './throttled.js';

/** What the start steps share: logging, and recording or dropping spawned processes. */
export interface StartContext {
  readonly log: (line: string) => void;
  readonly onSpawn: (record: ProcessRecord) => void;
  readonly forget: (record: ProcessRecord) => void;
}

/** SIGKILLs a just-spawned process group (used while a signal tears the run down). */
export function killNow(record: ProcessRecord): void {
  try {
    process.kill(-record.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Starts one kube-apiserver, installs its mode's CRDs and writes its kubeconfigs. */
export async function startApiserver(
  name: ApiserverName,
  state: TestEnvState,
  binaries: TestBinaries,
  pki: TestPki,
  etcdEndpoint: string,
  { onSpawn, forget }: StartContext,
): Promise<ApiserverState> {
  const crdMode: CrdMode = name === 'throttled' ? 'v1' : name;
  const etcdPrefix = `/registry-${name}`;
  const started = await withFreshPorts(1, forget, ([port]) =>
    startKubeApiserver({
      binary: binaries.kubeApiserver,
      name: `kube-apiserver-${name}`,
      port: port!,
      etcdEndpoint,
      etcdPrefix,
      runDir: state.runDir,
      pki,
      extraArgs: name === 'throttled' ? throttledApiserverArgs() : [],
      onSpawn,
    }),
  );
  const adminKubeconfig = writeKubeconfig(
    join(state.runDir, `kubeconfig-${name}-admin.yaml`),
    started.url,
    pki.kubeCa.cert,
    'calico-migrate-admin',
    pki.admin,
  );
  const admin = { url: started.url, ca: pki.kubeCa.cert, ...pki.admin };
  const crdsStarted = Date.now();
  const crds = await installCrds(admin, crdMode);
  const crdsMs = Date.now() - crdsStarted;
  let kubeconfig = adminKubeconfig;
  if (name === 'throttled') {
    await bindThrottledUser(admin);
    const path = join(state.runDir, 'kubeconfig-throttled.yaml');
    kubeconfig = writeKubeconfig(
      path,
      started.url,
      pki.kubeCa.cert,
      THROTTLED_USER,
      pki.throttledUser,
    );
  }
  return {
    name,
    crdMode,
    url: started.url,
    port: Number(new URL(started.url).port),
    kubeconfig,
    adminKubeconfig,
    etcdPrefix,
    version: started.version,
    crds,
    readyMs: started.readyMs,
    crdsMs,
    ...(name === 'throttled' ? { throttle: { ...THROTTLE, user: THROTTLED_USER } } : {}),
  };
}

/**
 * Like Promise.all, but waits for every promise to settle before rejecting with the first error,
 * so nothing is still spawning servers while the caller tears down after a failure.
 */
export async function settleAll<T extends readonly unknown[]>(
  promises: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}

/**
 * Runs `start` with `count` fresh free ports, again (up to 3 times) when the server died because
 * one of them was taken in the meantime. The dead attempt's record is dropped from the state.
 */
export async function withFreshPorts<T>(
  count: number,
  forget: (record: ProcessRecord) => void,
  start: (ports: number[]) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await findFreePorts(count));
    } catch (error) {
      if (!(error instanceof ServerExitedError) || !isAddressInUse(error.logText) || attempt >= 3)
        throw error;
      forget(error.record);
    }
  }
}
