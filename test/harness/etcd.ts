/**
 * The two etcd servers of the test environment:
 * - Calico's etcd: the Calico etcd datastore under test, Debian etcd 3.4 on loopback with TLS and
 *   client-certificate auth (test-environment.md §3.3). Clients connect to https://localhost:<port>
 *   (a DNS name, so Node does not warn with DEP0123 about an IP as TLS server name).
 * - The kube etcd: etcd 3.6 behind the kube-apiservers, plain http on loopback, no fsync
 *   (test-environment.md §2.1, §2.7).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { probe, waitFor } from './http-probe.js';
import type { ProbeTls } from './http-probe.js';
import type { TestPki } from './pki.js';
import { spawnDetached, tailLog } from './processes.js';
import type { ProcessRecord, SpawnedProcess } from './processes.js';

/** How long an etcd may take to answer /health. */
const START_TIMEOUT_MS = 30_000;

/** Inputs shared by both starters. */
export interface EtcdStartOptions {
  readonly binary: string;
  /** Role name, also the etcd member name and the data/log file stem. */
  readonly name: string;
  readonly dataDir: string;
  readonly logDir: string;
  readonly clientPort: number;
  readonly peerPort: number;
  /** Called with the process record right after spawn, to put it into the state file. */
  readonly onSpawn: (record: ProcessRecord) => void;
}

/** A started etcd. */
export interface StartedEtcd {
  readonly process: SpawnedProcess;
  readonly endpoint: string;
  readonly version: string;
  readonly readyMs: number;
}

function commonArgs(options: EtcdStartOptions, scheme: 'http' | 'https'): string[] {
  const client = `${scheme}://127.0.0.1:${options.clientPort}`;
  const peer = `http://127.0.0.1:${options.peerPort}`;
  return [
    `--name=${options.name}`,
    `--data-dir=${join(options.dataDir, options.name)}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=${options.name}=${peer}`,
    '--initial-cluster-state=new',
    '--logger=zap',
    '--log-level=warn',
  ];
}

/** Starts Calico's etcd with TLS and client-certificate auth; resolves once /health answers. */
export async function startCalicoEtcd(
  options: EtcdStartOptions,
  pki: TestPki,
): Promise<StartedEtcd> {
  const args = [
    ...commonArgs(options, 'https'),
    `--cert-file=${pki.etcdServer.cert}`,
    `--key-file=${pki.etcdServer.key}`,
    '--client-cert-auth',
    `--trusted-ca-file=${pki.etcdCa.cert}`,
  ];
  const tls = { ca: pki.etcdCa.cert, cert: pki.etcdClient.cert, key: pki.etcdClient.key };
  return startEtcd(options, args, `https://localhost:${options.clientPort}`, tls);
}

/** Starts the kube-apiservers' etcd (plain http, no fsync); resolves once /health answers. */
export async function startKubeEtcd(options: EtcdStartOptions): Promise<StartedEtcd> {
  const args = [...commonArgs(options, 'http'), '--unsafe-no-fsync=true'];
  return startEtcd(options, args, `http://127.0.0.1:${options.clientPort}`);
}

async function startEtcd(
  options: EtcdStartOptions,
  args: string[],
  endpoint: string,
  tls?: ProbeTls,
): Promise<StartedEtcd> {
  mkdirSync(options.logDir, { recursive: true });
  const log = join(options.logDir, `${options.name}.log`);
  const started = Date.now();
  const spawned = spawnDetached(options.name, options.binary, args, log);
  options.onSpawn(spawned.record);
  await waitFor(
    async () => {
      if (spawned.exit !== null) throw new ServerExitedError(options.name, spawned, log);
      return isEtcdHealthy(endpoint, tls);
    },
    START_TIMEOUT_MS,
    () =>
      `${options.name} did not become healthy within ${START_TIMEOUT_MS} ms; log ${log}:\n${tailLog(log)}`,
  );
  const readyMs = Date.now() - started;
  const version = JSON.parse((await probe(`${endpoint}/version`, tls)).body) as {
    etcdserver: string;
  };
  return { process: spawned, endpoint, version: version.etcdserver, readyMs };
}

/** Whether an etcd answers `{"health":"true"}` on /health. */
export async function isEtcdHealthy(endpoint: string, tls?: ProbeTls): Promise<boolean> {
  try {
    const { status, body } = await probe(`${endpoint}/health`, tls);
    return status === 200 && (JSON.parse(body) as { health?: string }).health === 'true';
  } catch {
    return false;
  }
}

/** A server process exited while it was starting; carries the tail of its log. */
export class ServerExitedError extends Error {
  override readonly name = 'ServerExitedError';
  readonly logText: string;
  readonly record: ProcessRecord;

  constructor(role: string, spawned: SpawnedProcess, log: string) {
    const how = spawned.exit?.signal ?? `code ${String(spawned.exit?.code)}`;
    const text = tailLog(log);
    super(`${role} exited during start-up (${how}); log ${log}:\n${text}`);
    this.logText = text;
    this.record = spawned.record;
  }
}
