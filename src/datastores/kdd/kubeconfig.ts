/**
 * Loads Kubernetes credentials the way calicoctl does (libcalico-go/lib/backend/k8s/client.go
 * fillLoadingRulesFromKubeConfigSpec): inline kubeconfig, a kubeconfig file, an API endpoint
 * with certificate or token, or the pod's service account when running in a cluster.
 */
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../../model/errors.js';
import type { KubernetesSettings } from './settings.js';

/** Builds a KubeConfig from settings; every problem is a ConfigError saying what to set. */
export function loadKubeConfig(
  settings: KubernetesSettings,
  env: NodeJS.ProcessEnv = process.env,
): KubeConfig {
  const config = new KubeConfig();
  try {
    if (settings.kubeconfigInline) {
      config.loadFromString(settings.kubeconfigInline);
    } else if (settings.kubeconfig) {
      if (!existsSync(settings.kubeconfig)) {
        throw new ConfigError(
          `kubeconfig ${settings.kubeconfig} does not exist`,
          'check KUBECONFIG or --kubeconfig',
        );
      }
      config.loadFromFile(settings.kubeconfig);
    } else if (settings.apiEndpoint) {
      config.loadFromClusterAndUser(
        {
          name: 'calico',
          server: settings.apiEndpoint,
          caFile: settings.caFile,
          skipTLSVerify: settings.insecureSkipTlsVerify === true,
        },
        {
          name: 'calico',
          certFile: settings.certFile,
          keyFile: settings.keyFile,
          token: settings.token,
        },
      );
    } else if (env.KUBERNETES_SERVICE_HOST) {
      config.loadFromCluster();
    } else {
      throw new ConfigError(
        'no Kubernetes configuration found',
        'set KUBECONFIG or pass --kubeconfig (in a pod, the service account is used automatically)',
      );
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const from = settings.kubeconfigInline
      ? 'the inline kubeconfig'
      : settings.kubeconfig
        ? `kubeconfig ${settings.kubeconfig}`
        : 'the Kubernetes configuration';
    throw new ConfigError(
      `cannot load ${from}: ${(error as Error).message}`,
      'check KUBECONFIG or --kubeconfig',
    );
  }
  if (settings.context) selectContext(config, settings.context);
  if (!config.getCurrentCluster()) {
    throw new ConfigError(
      'the kubeconfig has no current cluster',
      'set current-context in the kubeconfig or pass --context',
    );
  }
  return config;
}

function selectContext(config: KubeConfig, context: string): void {
  if (!config.getContexts().some((candidate) => candidate.name === context)) {
    const known =
      config
        .getContexts()
        .map((candidate) => candidate.name)
        .join(', ') || 'none';
    throw new ConfigError(
      `kubeconfig has no context "${context}" (contexts: ${known})`,
      'pass an existing --context',
    );
  }
  config.setCurrentContext(context);
}
