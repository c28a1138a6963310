/** Health of a recorded test environment: processes alive, etcds healthy, apiservers ready. */
import { join } from 'node:path';
import { isEtcdHealthy } from './etcd.js';
import { isApiserverReady } from './kube-apiserver.js';
import { isRunning } from './processes.js';
import { listApiservers } from './state.js';
import type { TestEnvState } from './state.js';

/** One finding per component; `ok` when every component is healthy. */
export interface HealthReport {
  readonly ok: boolean;
  readonly problems: string[];
}

/** Checks every recorded component of a test environment. */
export async function checkHealth(state: TestEnvState): Promise<HealthReport> {
  const problems: string[] = [];
  if (state.status !== 'up') problems.push(`start-up did not finish (status ${state.status})`);
  for (const record of state.processes) {
    if (!isRunning(record)) problems.push(`${record.name} (pid ${record.pid}) is not running`);
  }
  const pki = join(state.runDir, 'pki');
  const admin = {
    ca: join(pki, 'ca.crt'),
    cert: join(pki, 'admin.crt'),
    key: join(pki, 'admin.key'),
  };
  const checks: Promise<void>[] = [];
  const { calicoEtcd, kubeEtcd } = state;
  if (calicoEtcd !== undefined) {
    const tls = { ca: calicoEtcd.caCertFile, cert: calicoEtcd.certFile, key: calicoEtcd.keyFile };
    checks.push(
      expect(
        isEtcdHealthy(calicoEtcd.endpoints[0] ?? '', tls),
        'calico-etcd is not healthy',
        problems,
      ),
    );
  }
  if (kubeEtcd !== undefined) {
    checks.push(expect(isEtcdHealthy(kubeEtcd.endpoint), 'kube-etcd is not healthy', problems));
  }
  for (const apiserver of listApiservers(state)) {
    const name = `kube-apiserver-${apiserver.name}`;
    checks.push(expect(isApiserverReady(apiserver.url, admin), `${name} is not ready`, problems));
  }
  await Promise.all(checks);
  return { ok: problems.length === 0, problems };
}

async function expect(check: Promise<boolean>, problem: string, problems: string[]): Promise<void> {
  if (!(await check)) problems.push(problem);
}
