/**
 * Connection settings, read the way calicoctl reads them (libcalico-go/lib/apiconfig/load.go):
 * a CalicoAPIConfig file, or else the environment (`CALICO_<NAME>` first, then `<NAME>`), with
 * command-line flags overriding both. One deliberate difference: calicoctl silently prefers
 * `/etc/calico/calicoctl.cfg` over the environment (projectcalico/calico#5837); we use the default
 * file only when no datastore variable is set, and say which source we used.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CrdMode, DatastoreType } from '../../datastores/datastore.js';
import type { EtcdSettings } from '../../datastores/etcd/settings.js';
import type { KubernetesSettings } from '../../datastores/kdd/settings.js';
import { ConfigError } from '../../model/errors.js';
import type { CalicoApiConfigSpec } from './read-calicoctl-config.js';
import { readCalicoctlConfig } from './read-calicoctl-config.js';

/** calicoctl's default configuration file. */
export const DEFAULT_CONFIG_FILE = '/etc/calico/calicoctl.cfg';

/** Connection flags shared by every command that talks to a datastore. */
export interface ConnectionFlags {
  config?: string;
  etcdEndpoints?: string;
  etcdCaCertFile?: string;
  etcdCertFile?: string;
  etcdKeyFile?: string;
  etcdUsername?: string;
  etcdPassword?: string;
  kubeconfig?: string;
  context?: string;
  crdMode?: string;
}

/** Settings for both backends, plus where they came from (for messages). */
export interface ConnectionConfig {
  /** `DATASTORE_TYPE` / `datastoreType`, when set. */
  datastoreType?: DatastoreType;
  etcd: EtcdSettings;
  kubernetes: KubernetesSettings;
  /** e.g. `environment`, `config file /etc/calico/calicoctl.cfg`. */
  origin: string;
}

/** Names of the environment variables that configure a datastore (calicoctl's envconfig names). */
const ENV_NAMES: Record<keyof CalicoApiConfigSpec, string | undefined> = {
  datastoreType: 'DATASTORE_TYPE',
  etcdEndpoints: 'ETCD_ENDPOINTS',
  etcdDiscoverySrv: 'ETCD_DISCOVERY_SRV',
  etcdUsername: 'ETCD_USERNAME',
  etcdPassword: 'ETCD_PASSWORD',
  etcdKeyFile: 'ETCD_KEY_FILE',
  etcdCertFile: 'ETCD_CERT_FILE',
  etcdCACertFile: 'ETCD_CA_CERT_FILE',
  etcdKey: undefined,
  etcdCert: undefined,
  etcdCACert: undefined,
  kubeconfig: 'KUBECONFIG',
  k8sAPIEndpoint: 'K8S_API_ENDPOINT',
  k8sKeyFile: 'K8S_KEY_FILE',
  k8sCertFile: 'K8S_CERT_FILE',
  k8sCAFile: 'K8S_CA_FILE',
  k8sAPIToken: undefined,
  k8sInsecureSkipTLSVerify: 'K8S_INSECURE_SKIP_TLS_VERIFY',
  kubeconfigInline: undefined,
  k8sCurrentContext: 'K8S_CURRENT_CONTEXT',
  calicoAPIGroup: 'CALICO_API_GROUP',
};

/** Resolves the connection settings from flags, a config file or the environment. */
export function resolveConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv = process.env,
  defaultConfigFile = DEFAULT_CONFIG_FILE,
): ConnectionConfig {
  const { spec, origin } = readBaseSpec(flags, env, defaultConfigFile);
  const kubeconfig = flags.kubeconfig ?? firstPath(spec.kubeconfig) ?? defaultKubeconfig(env);
  return {
    datastoreType: parseDatastoreType(spec.datastoreType, 'datastoreType / DATASTORE_TYPE'),
    origin,
    etcd: {
      endpoints: splitEndpoints(flags.etcdEndpoints ?? spec.etcdEndpoints),
      caCertFile: flags.etcdCaCertFile ?? spec.etcdCACertFile,
      certFile: flags.etcdCertFile ?? spec.etcdCertFile,
      keyFile: flags.etcdKeyFile ?? spec.etcdKeyFile,
      caCert: spec.etcdCACert,
      cert: spec.etcdCert,
      key: spec.etcdKey,
      username: flags.etcdUsername ?? spec.etcdUsername,
      password: flags.etcdPassword ?? spec.etcdPassword,
    },
    kubernetes: {
      kubeconfig,
      kubeconfigInline: flags.kubeconfig ? undefined : spec.kubeconfigInline,
      context: flags.context ?? spec.k8sCurrentContext,
      apiEndpoint: spec.k8sAPIEndpoint,
      caFile: spec.k8sCAFile,
      certFile: spec.k8sCertFile,
      keyFile: spec.k8sKeyFile,
      token: spec.k8sAPIToken,
      insecureSkipTlsVerify: spec.k8sInsecureSkipTLSVerify === true,
      crdMode: parseCrdMode(flags.crdMode, spec.calicoAPIGroup),
    },
  };
}

/** Maps `etcd`/`etcdv3`/`kdd`/`kubernetes` to a datastore type. */
export function parseDatastoreType(
  value: string | undefined,
  what: string,
): DatastoreType | undefined {
  if (value === undefined || value === '') return undefined;
  const type = { etcd: 'etcdv3', etcdv3: 'etcdv3', kdd: 'kubernetes', kubernetes: 'kubernetes' }[
    value.toLowerCase()
  ];
  if (!type) {
    throw new ConfigError(
      `unknown datastore type "${value}" in ${what}`,
      'use etcd (etcdv3) or kdd (kubernetes)',
    );
  }
  return type as DatastoreType;
}

function readBaseSpec(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  defaultConfigFile: string,
): { spec: CalicoApiConfigSpec; origin: string } {
  if (flags.config) {
    return { spec: readCalicoctlConfig(flags.config), origin: `config file ${flags.config}` };
  }
  const fromEnv = readEnvSpec(env);
  const envIsSet = ['datastoreType', 'etcdEndpoints', 'kubeconfig'].some(
    (field) => fromEnv[field as keyof CalicoApiConfigSpec] !== undefined,
  );
  if (!envIsSet && existsSync(defaultConfigFile)) {
    return {
      spec: readCalicoctlConfig(defaultConfigFile),
      origin: `config file ${defaultConfigFile}`,
    };
  }
  if (fromEnv.etcdDiscoverySrv) {
    throw new ConfigError(
      'ETCD_DISCOVERY_SRV is not supported',
      'list the etcd client URLs in ETCD_ENDPOINTS or --etcd-endpoints',
    );
  }
  return { spec: fromEnv, origin: 'environment' };
}

function readEnvSpec(env: NodeJS.ProcessEnv): CalicoApiConfigSpec {
  const spec: Record<string, string | boolean | undefined> = {};
  for (const [field, name] of Object.entries(ENV_NAMES)) {
    if (!name) continue;
    const value = env[`CALICO_${name}`] ?? env[name];
    if (value === undefined || value === '') continue;
    spec[field] = field === 'k8sInsecureSkipTLSVerify' ? /^(1|true|yes)$/i.test(value) : value;
  }
  return spec as CalicoApiConfigSpec;
}

function splitEndpoints(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((endpoint) => endpoint.trim())
    .filter((endpoint) => endpoint !== '');
}

function firstPath(value: string | undefined): string | undefined {
  return value?.split(':').find((path) => path !== '');
}

/** calicoctl defaults the kubeconfig to `$HOME/.kube/config` when that file exists (applyConfigDefaults). */
function defaultKubeconfig(env: NodeJS.ProcessEnv): string | undefined {
  const path = join(env.HOME ?? homedir(), '.kube', 'config');
  return existsSync(path) ? path : undefined;
}

/** `--crd-mode` wins; else `CALICO_API_GROUP` forces the mode as Calico does (apiconfig.go); else auto. */
function parseCrdMode(flag: string | undefined, apiGroup: string | undefined): CrdMode | 'auto' {
  if (flag !== undefined) {
    if (flag === 'auto' || flag === 'v1' || flag === 'v3') return flag;
    throw new ConfigError(`unknown CRD mode "${flag}"`, 'use --crd-mode auto, v1 or v3');
  }
  if (!apiGroup) return 'auto';
  return apiGroup.toLowerCase() === 'projectcalico.org/v3' ? 'v3' : 'v1';
}
