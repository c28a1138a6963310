/**
 * Where to look for an object in etcd. Most kinds have one key per name, but a policy may sit
 * under its v3 name or under the older `default.`-prefixed name (an upgraded datastore keeps the
 * old keys until `calicoctl datastore migrate-policy-names` runs, calico-datastore-model.md
 * §5.2), and IPAM keys are built from the spec (CIDR, host, handle ID), not from the name.
 */
import { findKind } from '../../model/kinds.js';
import { TIERED_POLICY_KINDS } from '../../model/policy-names.js';
import type { CalicoResource, ResourceRef } from '../../model/resource.js';
import type { EtcdTarget } from './codec.js';
import { etcdKeyOf } from './codec.js';
import { resourceKey } from './keys.js';

/** Candidate keys for an object, the target version's own key first. */
export function etcdStoredKeyCandidates(
  ref: ResourceRef,
  target: EtcdTarget,
  like?: CalicoResource,
): string[] {
  const kind = findKind(ref.kind);
  if (!kind) return [];
  if (kind.etcd.type === 'ipam') {
    return like ? [etcdKeyOf(like, target)] : [];
  }
  if (kind.etcd.type !== 'resource') return [];
  const key = (name: string) => resourceKey(kind, name, ref.namespace);
  if (!TIERED_POLICY_KINDS.has(ref.kind)) return [key(ref.name)];
  const prefixed = ref.name.startsWith('default.') ? ref.name : `default.${ref.name}`;
  const names = target.policyNames.prefixDefaultTier ? [prefixed, ref.name] : [ref.name, prefixed];
  return [...new Set(names)].map(key);
}
