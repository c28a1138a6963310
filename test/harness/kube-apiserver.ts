/**
 * Starts a kube-apiserver for the test environment with the flag set of test-environment.md §2.2
 * (envtest's defaults plus an advertise address and a client CA), and writes kubeconfig files.
 * Readiness is a 200 from /readyz, asked with the admin certificate (anonymous requests may get a
 * 403 until the RBAC bootstrap hook has run).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { ServerExitedError } from './etcd.js';
import { probe, tryProbe, waitFor } from './http-probe.js';
import type { ProbeTls } from './http-probe.js';
import type { CertPair, TestPki } from './pki.js';
import { spawnDetached, tailLog } from './processes.js';
import type { ProcessRecord, SpawnedProcess } from './processes.js';

/** How long an apiserver may take to report ready (envtest allows 20 s; 2 cores run several). */
const START_TIMEOUT_MS = 90_000;

/** Inputs of `startKubeApiserver`. */
export interface ApiserverStartOptions {
  readonly binary: string;
  /** Role name, e.g. `kube-apiserver-v1`; also the log and cert-dir stem. */
  readonly name: string;
  readonly port: number;
  readonly etcdEndpoint: string;
  /** Distinct per apiserver: they share one etcd. */
  readonly etcdPrefix: string;
  readonly runDir: string;
  readonly pki: TestPki;
  /** Extra flags (e.g. the throttled apiserver's in-flight limits). */
  readonly extraArgs?: readonly string[];
  readonly onSpawn: (record: ProcessRecord) => void;
}

/** A started, ready kube-apiserver. */
export interface StartedApiserver {
  readonly process: SpawnedProcess;
  readonly url: string;
  readonly version: string;
  readonly readyMs: number;
}

/** The command-line flags for one apiserver. */
export function apiserverArgs(options: ApiserverStartOptions): string[] {
  const { pki, port } = options;
  return [
    `--etcd-servers=${options.etcdEndpoint}`,
    `--etcd-prefix=${options.etcdPrefix}`,
    // Nothing else uses this etcd, but do not let the apiserver compact it under a paging test.
    '--etcd-compaction-interval=0',
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1', // no default route needed
    `--secure-port=${port}`,
    `--tls-cert-file=${pki.apiserverServing.cert}`,
    `--tls-private-key-file=${pki.apiserverServing.key}`,
    `--cert-dir=${join(options.runDir, `${options.name}-certs`)}`,
    `--client-ca-file=${pki.kubeCa.cert}`,
    '--authorization-mode=RBAC',
    `--service-account-issuer=https://127.0.0.1:${port}`,
    `--service-account-key-file=${pki.serviceAccount.pub}`,
    `--service-account-signing-key-file=${pki.serviceAccount.key}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--disable-admission-plugins=ServiceAccount', // no controller-manager creates default SAs
    '--allow-privileged=true',
    // Several apiservers share the loopback address; none should maintain the kubernetes
    // Service's endpoints (nothing would read them).
    '--endpoint-reconciler-type=none',
    '--profiling=false',
    ...(options.extraArgs ?? []),
  ];
}

/** Starts a kube-apiserver and resolves once /readyz answers 200. */
export async function startKubeApiserver(
  options: ApiserverStartOptions,
): Promise<StartedApiserver> {
  const logDir = join(options.runDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const log = join(logDir, `${options.name}.log`);
  const url = `https://127.0.0.1:${options.port}`;
  const tls = {
    ca: options.pki.kubeCa.cert,
    cert: options.pki.admin.cert,
    key: options.pki.admin.key,
  };
  const started = Date.now();
  const spawned = spawnDetached(options.name, options.binary, apiserverArgs(options), log);
  options.onSpawn(spawned.record);
  await waitFor(
    async () => {
      if (spawned.exit !== null) throw new ServerExitedError(options.name, spawned, log);
      return (await tryProbe(`${url}/readyz`, tls))?.status === 200;
    },
    START_TIMEOUT_MS,
    () =>
      `${options.name} was not ready within ${START_TIMEOUT_MS} ms; log ${log}:\n${tailLog(log)}`,
  );
  const readyMs = Date.now() - started;
  const version = JSON.parse((await probe(`${url}/version`, tls)).body) as { gitVersion: string };
  return { process: spawned, url, version: version.gitVersion, readyMs };
}

/** Whether an apiserver answers 200 on /readyz. */
export async function isApiserverReady(url: string, tls: ProbeTls): Promise<boolean> {
  return (await tryProbe(`${url}/readyz`, tls))?.status === 200;
}

/** Writes a kubeconfig for `user` (client-certificate auth) against `url`; returns its path. */
export function writeKubeconfig(
  path: string,
  url: string,
  caFile: string,
  user: string,
  client: CertPair,
): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'calico-migrate-testenv', cluster: { server: url, 'certificate-authority': caFile } },
    ],
    users: [{ name: user, user: { 'client-certificate': client.cert, 'client-key': client.key } }],
    contexts: [
      { name: 'calico-migrate-testenv', context: { cluster: 'calico-migrate-testenv', user } },
    ],
    'current-context': 'calico-migrate-testenv',
  };
  writeFileSync(path, dump(config), { mode: 0o600 });
  return path;
}
