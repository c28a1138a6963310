/**
 * `testenv up`: starts Calico's etcd, the kube etcd and one kube-apiserver per requested CRD mode
 * (plus the throttled one), installs the CRDs, and records everything in the state file as it
 * appears. An environment that is already up and healthy with what was asked is left alone; a
 * broken or different one is torn down first.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolveBinaries } from './binaries.js';
import type { TestBinaries } from './binaries.js';
import { writeEnvFiles } from './env-exports.js';
import { startCalicoEtcd, startKubeEtcd } from './etcd.js';
import type { StartedEtcd } from './etcd.js';
import { checkHealth } from './health.js';
import { createTestPki } from './pki.js';
import type { TestPki } from './pki.js';
import { killNow, settleAll, startApiserver, withFreshPorts } from './servers.js';
import type { StartContext } from './servers.js';
import { acquireLock, readState, stateDir, writeState } from './state.js';
import type { ApiserverName, CrdMode, TestEnvState } from './state.js';
import { dataDirFor, removeOrphanRuns, RUN_DIR_PREFIX, teardown } from './teardown.js';

/** What `up` should start. */
export interface UpOptions {
  readonly crdModes: CrdMode[];
  readonly throttled: boolean;
  readonly log: (line: string) => void;
}

/** Starts the test environment (or confirms it is already up); returns its state. */
export async function upTestEnv(options: UpOptions): Promise<TestEnvState> {
  const release = acquireLock();
  try {
    const existing = readState();
    if (existing !== null) {
      const health = await checkHealth(existing);
      if (health.ok && covers(existing, options)) {
        options.log(`test environment ${existing.id} is already up and healthy; nothing to do`);
        return existing;
      }
      const why = health.ok ? 'it runs a different set of apiservers' : health.problems.join('; ');
      options.log(`replacing test environment ${existing.id} (${why})`);
      await teardown(existing, options.log);
    }
    await removeOrphanRuns(options.log);
    return await startFresh(options);
  } finally {
    release();
  }
}

function covers(state: TestEnvState, options: UpOptions): boolean {
  const same = (a: readonly string[], b: readonly string[]): boolean =>
    a.length === b.length && a.every((x) => b.includes(x));
  return same(state.crdModes, options.crdModes) && state.throttled === options.throttled;
}

async function startFresh(options: UpOptions): Promise<TestEnvState> {
  const binaries = resolveBinaries(); // fail before anything exists
  const id = randomBytes(4).toString('hex');
  const state: TestEnvState = {
    version: 1,
    status: 'starting',
    id,
    ownerPid: process.pid,
    startedAt: new Date().toISOString(),
    runDir: join(stateDir(), `${RUN_DIR_PREFIX}${id}`),
    dataDir: dataDirFor(id),
    crdModes: options.crdModes,
    throttled: options.throttled,
    processes: [],
    apiservers: {},
    timings: {},
  };
  writeState(state); // the directories are recorded before they exist
  mkdirSync(state.runDir, { recursive: true });
  mkdirSync(state.dataDir, { recursive: true, mode: 0o700 });
  let aborting: Promise<void> | null = null;
  const context: StartContext = {
    log: options.log,
    onSpawn: (record) => {
      state.processes.push(record);
      writeState(state);
      if (aborting !== null) killNow(record); // spawned while a signal tears the run down
    },
    forget: (record) => {
      state.processes = state.processes.filter((p) => p !== record);
      writeState(state);
    },
  };
  const stopOnSignal = (signal: NodeJS.Signals): void => {
    options.log(`${signal}: stopping the half-started test environment`);
    aborting = teardown(state, options.log).finally(() => process.exit(130));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  signals.forEach((signal) => process.once(signal, stopOnSignal));
  try {
    await startAll(state, binaries, context);
    state.status = 'up';
    state.timings.totalMs = Date.now() - Date.parse(state.startedAt);
    writeState(state);
    writeEnvFiles(state);
    return state;
  } catch (error) {
    if (aborting !== null) await aborting; // a signal's teardown is under way; it exits the process
    options.log('start-up failed; stopping what was started');
    await teardown(state, options.log);
    throw error;
  } finally {
    signals.forEach((signal) => process.off(signal, stopOnSignal));
  }
}

async function startAll(
  state: TestEnvState,
  binaries: TestBinaries,
  context: StartContext,
): Promise<void> {
  const { log, onSpawn, forget } = context;
  const timed = async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const result = await work();
    state.timings[key] = Date.now() - started;
    return result;
  };
  const etcdOptions = (name: string, binary: string, [clientPort, peerPort]: number[]) => ({
    binary,
    name,
    dataDir: state.dataDir,
    logDir: join(state.runDir, 'logs'),
    clientPort: clientPort!,
    peerPort: peerPort!,
    onSpawn,
  });
  // The kube etcd needs no certificates: it starts while the PKI is generated.
  const [pki, kubeEtcd] = await settleAll([
    timed('pkiMs', () => createTestPki(state.runDir)),
    timed('kubeEtcdMs', () =>
      withFreshPorts(2, forget, (ports) =>
        startKubeEtcd(etcdOptions('kube-etcd', binaries.kubeEtcd, ports)),
      ),
    ),
  ] as const);
  log(`kube-etcd ${kubeEtcd.version} at ${kubeEtcd.endpoint} (${kubeEtcd.readyMs} ms)`);
  const names: ApiserverName[] = [
    ...state.crdModes,
    ...(state.throttled ? (['throttled'] as const) : []),
  ];
  const startCalicoEtcdNow = async (): Promise<void> => {
    const calicoEtcd = await withFreshPorts(2, forget, (ports) =>
      startCalicoEtcd(etcdOptions('calico-etcd', binaries.calicoEtcd, ports), pki),
    );
    recordEtcds(state, pki, binaries, calicoEtcd, kubeEtcd);
    log(`calico-etcd ${calicoEtcd.version} at ${calicoEtcd.endpoint} (${calicoEtcd.readyMs} ms)`);
  };
  const startApiserverNow = async (name: ApiserverName): Promise<void> => {
    const apiserver = await startApiserver(name, state, binaries, pki, kubeEtcd.endpoint, context);
    state.apiservers[name] = apiserver;
    writeState(state);
    log(
      `kube-apiserver-${name} ${apiserver.version} at ${apiserver.url}: ready in ${apiserver.readyMs} ms, ` +
        `${apiserver.crds.length} ${apiserver.crdMode} CRDs Established and served in ${apiserver.crdsMs} ms`,
    );
  };
  await timed('serversMs', () =>
    settleAll([startCalicoEtcdNow(), ...names.map(startApiserverNow)]),
  );
}

function recordEtcds(
  state: TestEnvState,
  pki: TestPki,
  binaries: TestBinaries,
  calicoEtcd: StartedEtcd,
  kubeEtcd: StartedEtcd,
): void {
  state.calicoEtcd = {
    endpoints: [calicoEtcd.endpoint],
    caCertFile: pki.etcdCa.cert,
    certFile: pki.etcdClient.cert,
    keyFile: pki.etcdClient.key,
    port: Number(new URL(calicoEtcd.endpoint).port),
    version: calicoEtcd.version,
    binary: binaries.calicoEtcd,
  };
  state.kubeEtcd = {
    endpoint: kubeEtcd.endpoint,
    port: Number(new URL(kubeEtcd.endpoint).port),
    version: kubeEtcd.version,
    binary: binaries.kubeEtcd,
  };
  state.timings.calicoEtcdReadyMs = calicoEtcd.readyMs;
  writeState(state);
}
