/**
 * Shell exports that point calico-migrate (or calicoctl, which reads the same ETCD_* names; see
 * libcalico-go/lib/apiconfig/apiconfig.go) at the test environment.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listApiservers, stateDir } from './state.js';
import type { ApiserverName, TestEnvState } from './state.js';

/** Single-quotes a value for POSIX shells. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The exports for one apiserver (`v1`, `v3` or `throttled`); throws if it is not running. */
export function formatEnvExports(state: TestEnvState, name: ApiserverName): string {
  const apiserver = state.apiservers[name];
  const etcd = state.calicoEtcd;
  if (apiserver === undefined || etcd === undefined) {
    const running =
      listApiservers(state)
        .map((a) => a.name)
        .join(', ') || 'none';
    throw new Error(
      `the test environment has no ${name} apiserver (running: ${running}); ` +
        `start it with \`npm run testenv -- up --crd-mode both${name === 'throttled' ? ' --throttled' : ''}\``,
    );
  }
  const vars: [string, string][] = [
    ['ETCD_ENDPOINTS', etcd.endpoints.join(',')],
    ['ETCD_CA_CERT_FILE', etcd.caCertFile],
    ['ETCD_CERT_FILE', etcd.certFile],
    ['ETCD_KEY_FILE', etcd.keyFile],
    ['KUBECONFIG', apiserver.kubeconfig],
    ['CALICO_CRD_MODE', apiserver.crdMode],
  ];
  const header = `# calico-migrate test environment ${state.id}: Calico etcd + ${name} kube-apiserver`;
  return (
    [header, ...vars.map(([key, value]) => `export ${key}=${shellQuote(value)}`)].join('\n') + '\n'
  );
}

/** Writes `<stateDir>/env-<name>.sh` for every running apiserver, for `source`. Returns the paths. */
export function writeEnvFiles(state: TestEnvState): string[] {
  return listApiservers(state).map(({ name }) => {
    const path = join(stateDir(), `env-${name}.sh`);
    writeFileSync(path, formatEnvExports(state, name));
    return path;
  });
}
