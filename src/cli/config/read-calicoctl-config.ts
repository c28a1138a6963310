/**
 * Reads a calicoctl configuration file (`CalicoAPIConfig`, YAML or JSON), as calicoctl does in
 * libcalico-go/lib/apiconfig/load.go: strict, so a misspelt field is an error rather than a
 * silently ignored setting.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { ConfigError } from '../../model/errors.js';

/** The `spec` of a CalicoAPIConfig (libcalico-go/lib/apiconfig/apiconfig.go CalicoAPIConfigSpec). */
export interface CalicoApiConfigSpec {
  datastoreType?: string;
  etcdEndpoints?: string;
  etcdDiscoverySrv?: string;
  etcdUsername?: string;
  etcdPassword?: string;
  etcdKeyFile?: string;
  etcdCertFile?: string;
  etcdCACertFile?: string;
  etcdKey?: string;
  etcdCert?: string;
  etcdCACert?: string;
  kubeconfig?: string;
  k8sAPIEndpoint?: string;
  k8sKeyFile?: string;
  k8sCertFile?: string;
  k8sCAFile?: string;
  k8sAPIToken?: string;
  k8sInsecureSkipTLSVerify?: boolean;
  kubeconfigInline?: string;
  k8sCurrentContext?: string;
  calicoAPIGroup?: string;
}

const STRING_FIELDS = [
  'datastoreType',
  'etcdEndpoints',
  'etcdDiscoverySrv',
  'etcdUsername',
  'etcdPassword',
  'etcdKeyFile',
  'etcdCertFile',
  'etcdCACertFile',
  'etcdKey',
  'etcdCert',
  'etcdCACert',
  'kubeconfig',
  'k8sAPIEndpoint',
  'k8sKeyFile',
  'k8sCertFile',
  'k8sCAFile',
  'k8sAPIToken',
  'kubeconfigInline',
  'k8sCurrentContext',
  'calicoAPIGroup',
];
/** Fields calicoctl accepts that do not affect how calico-migrate connects. */
const IGNORED_FIELDS = ['k8sDisableNodePoll', 'usePodCIDR', 'k8sClientQPS', 'k8sClientBurst'];

/** Reads and validates a calicoctl config file; every problem is a ConfigError naming the file. */
export function readCalicoctlConfig(path: string): CalicoApiConfigSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read config file ${path}: ${(error as Error).message}`,
      'check the --config path',
    );
  }
  let document: unknown;
  try {
    document = load(text);
  } catch (error) {
    throw new ConfigError(
      `config file ${path} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`,
      'fix the file (calicoctl CalicoAPIConfig format)',
    );
  }
  return validateConfig(document, path);
}

function validateConfig(document: unknown, path: string): CalicoApiConfigSpec {
  const fail = (problem: string): never => {
    throw new ConfigError(
      `config file ${path}: ${problem}`,
      'use the calicoctl format: apiVersion projectcalico.org/v3, kind CalicoAPIConfig, spec {...}',
    );
  };
  if (!isRecord(document)) return fail('expected a CalicoAPIConfig object');
  if (document.kind !== 'CalicoAPIConfig')
    fail(`kind is ${String(document.kind)}, not CalicoAPIConfig`);
  if (document.apiVersion !== 'projectcalico.org/v3') {
    fail(`apiVersion is ${String(document.apiVersion)}, not projectcalico.org/v3`);
  }
  for (const key of Object.keys(document)) {
    if (!['apiVersion', 'kind', 'metadata', 'spec'].includes(key)) fail(`unknown field "${key}"`);
  }
  const spec = document.spec ?? {};
  if (!isRecord(spec)) return fail('spec must be an object');
  for (const [key, value] of Object.entries(spec)) {
    if (STRING_FIELDS.includes(key)) {
      if (typeof value !== 'string') fail(`spec.${key} must be a string`);
    } else if (key === 'k8sInsecureSkipTLSVerify') {
      if (typeof value !== 'boolean') fail(`spec.${key} must be true or false`);
    } else if (!IGNORED_FIELDS.includes(key)) {
      fail(`unknown field "spec.${key}"`);
    }
  }
  return spec as CalicoApiConfigSpec;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
