/**
 * The throttled kube-apiserver: v1 CRDs and tiny in-flight limits, so tests can provoke real
 * HTTP 429 responses. Two facts shape it (kube-apiserver v1.36.3 source,
 * k8s.io/apiserver/pkg/server/filters):
 * - maxinflight.go `WithMaxInFlightLimit`: when the in-flight channel is full, a request from a
 *   user in group system:masters is still served ("A system:master is so powerful that they should
 *   always get an answer"); everyone else gets 429 with Retry-After. So the tests' user must NOT be
 *   in system:masters: it is a plain user bound to cluster-admin by a ClusterRoleBinding.
 * - priority-and-fairness.go replaces the in-flight filter when API Priority and Fairness is on
 *   (the default), and APF queues requests instead of rejecting them at once. So APF is disabled.
 */
import { THROTTLED_USER } from './pki.js';
import { expectStatus, kubeRequest } from './kube-rest.js';
import type { KubeConnection } from './kube-rest.js';

/** The limits of the throttled apiserver. */
export const THROTTLE = { maxRequestsInflight: 2, maxMutatingRequestsInflight: 1 } as const;

/** Extra kube-apiserver flags of the throttled apiserver. */
export function throttledApiserverArgs(): string[] {
  return [
    `--max-requests-inflight=${THROTTLE.maxRequestsInflight}`,
    `--max-mutating-requests-inflight=${THROTTLE.maxMutatingRequestsInflight}`,
    '--enable-priority-and-fairness=false',
  ];
}

/** Binds the throttled user to cluster-admin (called with the admin connection). */
export async function bindThrottledUser(admin: KubeConnection): Promise<void> {
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: `${THROTTLED_USER}-cluster-admin` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: THROTTLED_USER }],
  };
  const path = '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings';
  expectStatus(
    await kubeRequest(admin, 'POST', path, binding),
    [201, 409],
    'binding the throttled user',
  );
}
