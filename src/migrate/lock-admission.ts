/**
 * Recognises a ClusterInformation write refused by Kubernetes admission control and explains it.
 *
 * In KDD v3 CRD mode Calico installs the `calico-webhooks` validating webhook; its
 * `cluster-info.api.projectcalico.org` entry lets only the service accounts calico-node,
 * calico-kube-controllers and calico-typha (in the webhook's own namespace) create, update or
 * delete ClusterInformation, and answers everyone else "ClusterInformation is a read-only resource
 * (user: <name>)" (webhooks/pkg/clusterinfo/clusterinfo.go, charts/calico/templates/
 * calico-webhooks.yaml). The API server wraps a webhook denial as `admission webhook "<name>"
 * denied the request: <message>` with HTTP 400 when the webhook sets no code (k8s.io/apiserver
 * admission/plugin/webhook/errors ToStatusErr), and a ValidatingAdmissionPolicy denial as
 * `ValidatingAdmissionPolicy '<policy>' with binding '<binding>' denied request: <message>` with
 * 403 or 422 depending on the policy's reason. Since the status code does not tell, the KDD adapter
 * recognises the wording and raises AdmissionDeniedError (src/datastores/kdd/errors.ts).
 */
import { AdmissionDeniedError, CalicoMigrateError } from '../model/errors.js';
import type { DatastoreDescription } from '../datastores/datastore.js';

/** The service accounts Calico's webhook lets write ClusterInformation (clusterinfo.go). */
export const CLUSTER_INFORMATION_WRITERS: readonly string[] = [
  'calico-node',
  'calico-kube-controllers',
  'calico-typha',
];

/** Name of Calico's ClusterInformation webhook (charts/calico/templates/calico-webhooks.yaml). */
export const CALICO_CLUSTER_INFO_WEBHOOK = 'cluster-info.api.projectcalico.org';

/** The admission denial the KDD adapter reported (AdmissionDeniedError). */
export type AdmissionDenial = AdmissionDeniedError['denial'];

/** The admission denial behind an adapter error, if it is one. */
export function findAdmissionDenial(error: unknown): AdmissionDenial | undefined {
  return error instanceof AdmissionDeniedError ? error.denial : undefined;
}

/** Kubernetes admission control refused to let us write ClusterInformation; nothing changed. */
export class LockRefusedByAdmissionError extends CalicoMigrateError {
  constructor(
    readonly denial: AdmissionDenial,
    readonly action: 'lock' | 'unlock',
    readonly datastore: Pick<DatastoreDescription, 'endpoints' | 'crdMode'>,
    options?: { cause?: unknown },
  ) {
    super(explainDenial(denial, action, datastore), hintFor(denial), options);
  }
}

function explainDenial(
  denial: AdmissionDenial,
  action: 'lock' | 'unlock',
  datastore: Pick<DatastoreDescription, 'endpoints' | 'crdMode'>,
): string {
  const server = datastore.endpoints.join(',') || 'the Kubernetes API server';
  const mode = datastore.crdMode ? ` (KDD ${datastore.crdMode} CRD mode)` : '';
  const who =
    denial.by === 'webhook'
      ? `the admission webhook ${denial.name}`
      : `the ValidatingAdmissionPolicy ${denial.name}${denial.binding ? ` (binding ${denial.binding})` : ''}`;
  const accounts = CLUSTER_INFORMATION_WRITERS.join(', ');
  const isCalicoWebhook =
    denial.by === 'webhook' &&
    (denial.name === CALICO_CLUSTER_INFO_WEBHOOK ||
      /ClusterInformation is a read-only/.test(denial.message));
  const calico = isCalicoWebhook
    ? `this is Calico's calico-webhooks protection of ClusterInformation in KDD v3 CRD mode: it lets only the service accounts ${accounts} (in Calico's namespace) write it`
    : `Calico's own rule (the webhook ${CALICO_CLUSTER_INFO_WEBHOOK}, installed in KDD v3 CRD mode) lets only the service accounts ${accounts} write ClusterInformation; this one may follow the same rule`;
  return (
    `cannot ${action} the datastore at ${server}${mode}: ${who} refused the write of ClusterInformation default, ` +
    `so nothing was changed (server said: ${denial.message}); ${calico}`
  );
}

function hintFor(denial: AdmissionDenial): string {
  const accounts = CLUSTER_INFORMATION_WRITERS.join(', ');
  return (
    `run calico-migrate as one of the service accounts ${accounts} in Calico's namespace (calico-system with the operator, kube-system with manifests): ` +
    `either add "as: system:serviceaccount:<namespace>:calico-kube-controllers" to the kubeconfig user (impersonation; your user needs the "impersonate" verb on serviceaccounts) ` +
    `or run calico-migrate in a Job that uses the calico-kube-controllers service account; ` +
    `otherwise have a cluster admin exempt your user from ${denial.by === 'webhook' ? `the webhook ${denial.name}` : `the policy ${denial.name}`} for the duration of the migration`
  );
}
