/**
 * Listing the kinds KDD derives from Kubernetes objects: Profiles from Namespaces and
 * ServiceAccounts (libcalico-go/lib/backend/k8s/resources/profile.go), WorkloadEndpoints from Pods
 * (resources/workloadendpoint.go). They are exported marked as derived; LiveMigration (derived
 * from KubeVirt) is not read and is reported as skipped.
 */
import type { KindInfo } from '../../model/kinds.js';
import type { CalicoResource } from '../../model/resource.js';
import type { ListedItem } from '../datastore.js';
import {
  profileFromNamespace,
  profileFromServiceAccount,
  workloadEndpointsFromPod,
} from './derived/index.js';
import type { KubeClient } from './http-client.js';
import { paginateList } from './paginate.js';

/** Context shared with the snapshot. */
export interface DerivedListContext {
  pageSize?: number;
  /** The snapshot's record of list resourceVersions. */
  resourceVersions: Record<string, string>;
  /** Counts skipped objects under a reason (`amount` 0 records the reason alone). */
  count: (reason: string, amount?: number) => void;
}

/** Streams the derived objects of `kind`. */
export async function* listDerivedObjects(
  client: KubeClient,
  kind: KindInfo,
  context: DerivedListContext,
): AsyncGenerator<ListedItem> {
  const list = async function* (path: string, key: string) {
    for await (const page of paginateList(client, path, { pageSize: context.pageSize })) {
      context.resourceVersions[key] = page.resourceVersion;
      yield* page.items;
    }
  };
  const resource = (value: CalicoResource): ListedItem => ({ type: 'resource', resource: value });

  // Calico skips an object its conversion rejects and lists the rest (resources/list_pager.go).
  const convert = (what: string, derive: () => CalicoResource): ListedItem[] => {
    try {
      return [resource(derive())];
    } catch {
      context.count(`${what} Calico cannot convert (skipped, as Calico skips it)`);
      return [];
    }
  };
  if (kind.kind === 'Profile') {
    for await (const namespace of list('/api/v1/namespaces', 'namespaces'))
      yield* convert('Namespace', () => profileFromNamespace(namespace));
    for await (const account of list('/api/v1/serviceaccounts', 'serviceaccounts'))
      yield* convert('ServiceAccount', () => profileFromServiceAccount(account));
  } else if (kind.kind === 'WorkloadEndpoint') {
    for await (const pod of list('/api/v1/pods', 'pods')) {
      const derivation = workloadEndpointsFromPod(pod);
      if (derivation.skipped) context.count(`Pod not shown by Calico: ${derivation.skipped}`);
      if (derivation.error)
        context.count('Pod Calico cannot convert (skipped, as Calico skips it)');
      for (const endpoint of derivation.endpoints) yield resource(endpoint);
    }
  } else if (kind.kind === 'LiveMigration') {
    context.count(
      'LiveMigration: derived from KubeVirt migrations in KDD, not read by calico-migrate',
      0,
    );
  }
}
