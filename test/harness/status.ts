/** `testenv status` and `testenv down`: report on, and stop, the recorded test environment. */
import { checkHealth } from './health.js';
import { isRunning } from './processes.js';
import { acquireLock, listApiservers, readState, statePath } from './state.js';
import type { TestEnvState } from './state.js';
import { removeOrphanRuns, teardown } from './teardown.js';

/** Stops the test environment; a no-op (that says so) when nothing is recorded. */
export async function downTestEnv(log: (line: string) => void): Promise<void> {
  const release = acquireLock();
  try {
    const state = readState();
    if (state === null) {
      const orphans = await removeOrphanRuns(log);
      if (orphans === 0) log('test environment is not up; nothing to do');
      return;
    }
    await teardown(state, log);
    await removeOrphanRuns(log);
  } finally {
    release();
  }
}

/** A human-readable report: components, ports, versions, uptime and health. */
export async function describeTestEnv(): Promise<string> {
  const state = readState();
  if (state === null) return `test environment is not up (no ${statePath()})`;
  const health = await checkHealth(state);
  const lines = [
    `test environment ${state.id}: ${health.ok ? 'up and healthy' : 'UNHEALTHY'}` +
      ` (started ${state.startedAt}, up ${formatDuration(Date.now() - Date.parse(state.startedAt))})`,
    `  state: ${statePath()}`,
    `  run dir: ${state.runDir}`,
    `  data dir: ${state.dataDir}`,
    ...describeServers(state),
  ];
  if (state.timings.totalMs !== undefined) {
    lines.push(
      `  start-up: ${Object.entries(state.timings)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
  }
  if (!health.ok) lines.push('  problems:', ...health.problems.map((p) => `    - ${p}`));
  return lines.join('\n');
}

function describeServers(state: TestEnvState): string[] {
  const lines: string[] = [];
  const processLine = (name: string): string => {
    const record = state.processes.find((p) => p.name === name);
    if (record === undefined) return 'not started';
    const alive = isRunning(record);
    const uptime = formatDuration(Date.now() - Date.parse(record.startedAt));
    return `pid ${record.pid} ${alive ? `running, up ${uptime}` : 'NOT RUNNING'}`;
  };
  const { calicoEtcd, kubeEtcd } = state;
  if (calicoEtcd !== undefined) {
    lines.push(
      `  calico-etcd ${calicoEtcd.version}: ${calicoEtcd.endpoints.join(',')} (TLS, client certs); ${processLine('calico-etcd')}`,
    );
  }
  if (kubeEtcd !== undefined) {
    lines.push(
      `  kube-etcd ${kubeEtcd.version}: ${kubeEtcd.endpoint}; ${processLine('kube-etcd')}`,
    );
  }
  for (const apiserver of listApiservers(state)) {
    const name = `kube-apiserver-${apiserver.name}`;
    const throttle =
      apiserver.throttle === undefined
        ? ''
        : `, throttled (user ${apiserver.throttle.user}, max inflight ${apiserver.throttle.maxRequestsInflight}/${apiserver.throttle.maxMutatingRequestsInflight} mutating)`;
    lines.push(
      `  ${name} ${apiserver.version}: ${apiserver.url}, ${apiserver.crds.length} ${apiserver.crdMode} CRDs${throttle}; ${processLine(name)}`,
      `    kubeconfig: ${apiserver.kubeconfig}`,
    );
  }
  return lines;
}

function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h${minutes % 60}m`;
}
