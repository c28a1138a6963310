import type { CrdMode } from '../datastore.js';

/** How to reach the Kubernetes API server: the fields of calicoctl's Kubernetes configuration. */
export interface KubernetesSettings {
  /** Path of a kubeconfig file (`KUBECONFIG`; the first of a path list). */
  kubeconfig?: string;
  /** kubeconfig contents (calicoctl.cfg `kubeconfigInline`); wins over `kubeconfig`. */
  kubeconfigInline?: string;
  /** Context to use instead of the kubeconfig's current one (`K8S_CURRENT_CONTEXT`, `--context`). */
  context?: string;
  /** API server URL without a kubeconfig (`K8S_API_ENDPOINT`), with the fields below. */
  apiEndpoint?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  token?: string;
  insecureSkipTlsVerify?: boolean;
  /** CRD mode: `auto` detects it as Calico does (calico-datastore-model.md §8.1). */
  crdMode: CrdMode | 'auto';
}
