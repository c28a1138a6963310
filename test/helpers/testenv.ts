/**
 * Connection details of the running test environment (started by `npm run testenv -- up`), for
 * integration tests and benchmarks. They never skip: when the environment is not up, these
 * functions throw an error that says how to start it.
 */
import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import type { IOptions } from 'etcd3';
import { isRunning } from '../harness/processes.js';
import { readState, statePath } from '../harness/state.js';
import type { ApiserverName, ApiserverState, CalicoEtcdState, CrdMode } from '../harness/state.js';

/** How to start the environment, quoted in every error. */
const START_HINT = 'run `npm run testenv -- up --crd-mode both --throttled` first';

/** What tests need to reach the test environment. */
export interface TestEnv {
  /** Run id (random; differs on every `up`). */
  readonly id: string;
  /** Calico's etcd (etcd 3.4, mutual TLS): endpoints and cert paths, as calicoctl names them. */
  readonly etcd: Pick<
    CalicoEtcdState,
    'endpoints' | 'caCertFile' | 'certFile' | 'keyFile' | 'version'
  >;
  /** kubeconfig path per running apiserver (`throttled`: a user outside system:masters). */
  readonly kubeconfigs: Partial<Record<ApiserverName, string>>;
  /** Everything recorded about each running apiserver. */
  readonly apiservers: Partial<Record<ApiserverName, ApiserverState>>;
}

/** The test environment is not (fully) running. */
export class TestEnvNotUpError extends Error {
  override readonly name = 'TestEnvNotUpError';
}

/** Reads the state of the running test environment; throws `TestEnvNotUpError` if it is not up. */
export function loadTestEnv(): TestEnv {
  const state = readState();
  if (state === null)
    throw new TestEnvNotUpError(
      `the test environment is not up (no ${statePath()}); ${START_HINT}`,
    );
  if (state.status !== 'up' || state.calicoEtcd === undefined) {
    throw new TestEnvNotUpError(`the test environment did not finish starting; ${START_HINT}`);
  }
  const dead = state.processes.filter((record) => !isRunning(record)).map((record) => record.name);
  if (dead.length > 0) {
    throw new TestEnvNotUpError(
      `the test environment is broken (${dead.join(', ')} not running); ${START_HINT}`,
    );
  }
  const { endpoints, caCertFile, certFile, keyFile, version } = state.calicoEtcd;
  const kubeconfigs: Partial<Record<ApiserverName, string>> = {};
  for (const [name, apiserver] of Object.entries(state.apiservers)) {
    kubeconfigs[name as ApiserverName] = apiserver.kubeconfig;
  }
  return {
    id: state.id,
    etcd: { endpoints, caCertFile, certFile, keyFile, version },
    kubeconfigs,
    apiservers: state.apiservers,
  };
}

/** The kubeconfig path of one apiserver; throws if that apiserver is not running. */
export function kubeconfigFor(env: TestEnv, name: ApiserverName): string {
  const path = env.kubeconfigs[name];
  if (path === undefined) {
    throw new TestEnvNotUpError(
      `the test environment has no ${name} kube-apiserver; ${START_HINT}`,
    );
  }
  return path;
}

/** A @kubernetes/client-node KubeConfig for one apiserver (never `loadFromDefault`). */
export function loadKubeConfig(env: TestEnv, name: ApiserverName): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigFor(env, name));
  return config;
}

/** The CRD mode an apiserver serves (`throttled` serves v1). */
export function crdModeOf(name: ApiserverName): CrdMode {
  return name === 'throttled' ? 'v1' : name;
}

/** etcd3 client options for Calico's etcd, with the client certificate (mutual TLS). */
export function etcd3Options(env: TestEnv): IOptions {
  return {
    hosts: env.etcd.endpoints,
    credentials: {
      rootCertificate: readFileSync(env.etcd.caCertFile),
      certChain: readFileSync(env.etcd.certFile),
      privateKey: readFileSync(env.etcd.keyFile),
    },
  };
}
