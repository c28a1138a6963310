/**
 * What the ClusterInformation `default` object says about a datastore: Calico version, cluster
 * GUID and the migration lock (`spec.datastoreReady`, libcalico-go/lib/clientv3/client.go
 * EnsureInitialized; calicoctl/calicoctl/commands/datastore/migrate/lock.go).
 */
import type { CalicoResource, ResourceRef } from '../model/resource.js';
import type { DatastoreDescription } from './datastore.js';

/** The one ClusterInformation object Calico uses. */
export const CLUSTER_INFORMATION_REF: ResourceRef = { kind: 'ClusterInformation', name: 'default' };

/** The description fields ClusterInformation provides (all absent when there is none). */
export function describeClusterInformation(
  resource: CalicoResource | undefined,
): Pick<DatastoreDescription, 'calicoVersion' | 'clusterGUID' | 'locked'> {
  const spec = resource?.spec;
  if (!spec) return {};
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    calicoVersion: text(spec.calicoVersion),
    clusterGUID: text(spec.clusterGUID),
    // calicoctl's CheckLocked is `!*spec.datastoreReady`; a missing flag means ready (EnsureInitialized sets it).
    locked: spec.datastoreReady === false,
  };
}
