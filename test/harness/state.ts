/**
 * The test environment's state file: what `testenv up` started and where, so that `down`,
 * `status`, `env` and the tests (through test/helpers/testenv.ts) find it. Every process and
 * directory is recorded as soon as it exists, so a crash at any point leaves nothing that `down`
 * (or the next `up`) cannot clean up.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import { isPidAlive } from './processes.js';
import type { ProcessRecord } from './processes.js';

/** The CRD modes an apiserver can serve: Calico's v1 CRDs or its native v3 CRDs. */
export type CrdMode = 'v1' | 'v3';
/** The apiservers `up` can start: one per CRD mode, plus the throttled v1 one. */
export type ApiserverName = CrdMode | 'throttled';

/** Calico's etcd (Debian etcd 3.4, mutual TLS), in calicoctl's terms. */
export interface CalicoEtcdState {
  readonly endpoints: string[];
  readonly caCertFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly port: number;
  readonly version: string;
  readonly binary: string;
}

/** The etcd 3.6 behind the kube-apiservers (plain http on loopback). */
export interface KubeEtcdState {
  readonly endpoint: string;
  readonly port: number;
  readonly version: string;
  readonly binary: string;
}

/** One kube-apiserver. */
export interface ApiserverState {
  readonly name: ApiserverName;
  /** The CRD set installed into it. */
  readonly crdMode: CrdMode;
  readonly url: string;
  readonly port: number;
  /** kubeconfig of the admin user (O=system:masters). For `throttled`: of the throttled user. */
  readonly kubeconfig: string;
  /** kubeconfig of the admin user, for every apiserver (the throttled one's setup needs it). */
  readonly adminKubeconfig: string;
  readonly etcdPrefix: string;
  readonly version: string;
  readonly crds: string[];
  /** Milliseconds from spawn to a 200 from /readyz. */
  readonly readyMs: number;
  /** Milliseconds from /readyz to every CRD Established and its storage answering a list. */
  readonly crdsMs: number;
  /** Only `throttled`: the limits and the (non-system:masters) user. */
  readonly throttle?: {
    maxRequestsInflight: number;
    maxMutatingRequestsInflight: number;
    user: string;
  };
}

/** The whole state file. */
export interface TestEnvState {
  readonly version: 1;
  status: 'starting' | 'up';
  /** Random id of this run; part of every directory name. */
  readonly id: string;
  /** pid of the `up` process that created this state. */
  readonly ownerPid: number;
  readonly startedAt: string;
  /** Certificates, kubeconfigs, logs. */
  readonly runDir: string;
  /** etcd data directories (on /dev/shm when available). */
  readonly dataDir: string;
  readonly crdModes: CrdMode[];
  readonly throttled: boolean;
  processes: ProcessRecord[];
  calicoEtcd?: CalicoEtcdState;
  kubeEtcd?: KubeEtcdState;
  apiservers: Partial<Record<ApiserverName, ApiserverState>>;
  /** Wall-clock milliseconds of `up` phases, for reporting. */
  timings: Record<string, number>;
}

/** Apiserver names in a fixed order (for output and defaults). */
export const APISERVER_NAMES: readonly ApiserverName[] = ['v1', 'v3', 'throttled'];

/** The running apiservers of a state, in `APISERVER_NAMES` order. */
export function listApiservers(state: TestEnvState): ApiserverState[] {
  return APISERVER_NAMES.flatMap((name) => state.apiservers[name] ?? []);
}

/** The state directory: `CALICO_MIGRATE_TESTENV_DIR`, else `<repo>/.testenv`. */
export function stateDir(): string {
  return resolve(process.env.CALICO_MIGRATE_TESTENV_DIR ?? join(repoRoot, '.testenv'));
}

/** Path of the state file. */
export function statePath(): string {
  return join(stateDir(), 'state.json');
}

/** Reads the state file; `null` when there is none. */
export function readState(): TestEnvState | null {
  const path = statePath();
  if (!existsSync(path)) return null;
  const state = JSON.parse(readFileSync(path, 'utf8')) as TestEnvState;
  if (state.version !== 1)
    throw new Error(`${path}: unknown state version ${String(state.version)}`);
  return state;
}

/** Writes the state file atomically (temp file + rename), so a crash never leaves half a file. */
export function writeState(state: TestEnvState): void {
  mkdirSync(stateDir(), { recursive: true });
  const path = statePath();
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, path);
}

/** Removes the state file and the env-*.sh files written next to it. */
export function removeState(): void {
  for (const name of ['state.json', ...envFileNames()])
    rmSync(join(stateDir(), name), { force: true });
}

/** Names of the `source`-able env files `up` writes into the state directory. */
export function envFileNames(): string[] {
  return ['env-v1.sh', 'env-v3.sh', 'env-throttled.sh'];
}

/**
 * Takes the state directory's lock (a file holding our pid), so two testenv commands never work
 * on the same state at once. A lock left by a dead process is taken over. Returns the release
 * function.
 */
export function acquireLock(): () => void {
  mkdirSync(stateDir(), { recursive: true });
  const path = join(stateDir(), 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      const release = (): void => {
        process.off('exit', release);
        rmSync(path, { force: true });
      };
      process.on('exit', release); // also when a signal handler ends the process with process.exit
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isPidAlive(holder)) {
        throw new Error(
          `another testenv command (pid ${holder}) is working on ${stateDir()}; wait for it to ` +
            `finish (or, if no testenv command runs, delete ${path})`,
        );
      }
      rmSync(path, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`cannot take the lock ${path}`);
}
