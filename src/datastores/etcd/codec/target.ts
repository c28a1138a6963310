/**
 * What an etcd writer needs to know about the Calico version of the target datastore: the formats
 * libcalico-go writes changed between releases, and a value is written the way that version's
 * libcalico-go would write it.
 */
import type { PolicyNameConvention } from '../../../model/policy-names.js';
import { calicoMinorVersion, policyConventionFor } from '../../../model/policy-names.js';

/**
 * How block allocation attributes are written
 * (libcalico-go/lib/backend/model/block.go AllocationAttribute):
 * - `legacy` (v3.31 and earlier): `{"handle_id":…,"secondary":…}`, both always written, `null`
 *   when unset (no omitempty; the struct has only these two fields);
 * - `omitempty` (v3.32 and later): `handle_id`, `secondary`, `alternateOwnerAttrs`, `releasedAt`,
 *   each omitted when unset (maps also when empty).
 */
export type AttributeFormat = 'legacy' | 'omitempty';

/** The Calico-version-dependent formats of an etcd target. */
export interface EtcdTarget {
  /** How policy names and the `{"name":…}` annotation are stored. */
  policyNames: PolicyNameConvention;
  /** How IPAM block attributes are serialised. */
  attributeFormat: AttributeFormat;
}

/**
 * The formats of a Calico version such as `v3.31.7` (ClusterInformation `spec.calicoVersion`);
 * unknown or empty means the newest.
 */
export function etcdTargetFor(calicoVersion: string | undefined): EtcdTarget {
  return {
    policyNames: policyConventionFor(calicoVersion),
    attributeFormat: calicoMinorVersion(calicoVersion) >= 32 ? 'omitempty' : 'legacy',
  };
}
