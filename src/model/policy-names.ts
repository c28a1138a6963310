/**
 * Policy names across Calico versions (calico-datastore-model.md §5.1). The canonical (archive)
 * name of a policy is always its v3 name; the name it is stored under depends on the Calico
 * version of the datastore being written:
 *
 * | version      | default-tier `foo` stored as | `{"name":…}` annotation |
 * | <= 3.29      | `default.foo`                | no                      |
 * | 3.30 - 3.31  | `default.foo`                | yes                     |
 * | >= 3.32      | `foo`                        | yes                     |
 *
 * Sources: libcalico-go/lib/names/policy.go and libcalico-go/lib/backend/etcdv3 at the tags,
 * libcalico-go/lib/backend/model/resource.go (determinePolicyName) at HEAD.
 */

/** The kinds whose names follow the tier rules. StagedKubernetesNetworkPolicy is not tiered. */
export const TIERED_POLICY_KINDS: ReadonlySet<string> = new Set([
  'NetworkPolicy',
  'GlobalNetworkPolicy',
  'StagedNetworkPolicy',
  'StagedGlobalNetworkPolicy',
]);

/** The annotation that carries a policy's v3 name (and, in KDD v1 mode, all v3 metadata). */
export const METADATA_ANNOTATION = 'projectcalico.org/metadata';

/** Name prefixes of generated policies that are never given a `default.` prefix. */
const FORMATTED_PREFIXES = ['knp.default.', 'ossg.', 'kanp.adminnetworkpolicy.', 'kbanp.baselineadminnetworkpolicy.'];

/** How a Calico version stores policy names. */
export interface PolicyNameConvention {
  /** Default-tier policies are stored as `default.<name>`. */
  prefixDefaultTier: boolean;
  /** The stored object carries `projectcalico.org/metadata: {"name":"<v3 name>"}`. */
  nameAnnotation: boolean;
}

/** The convention of a Calico version such as `v3.31.7`; unknown or empty means the newest. */
export function policyConventionFor(calicoVersion: string | undefined): PolicyNameConvention {
  const match = /^v?(\d+)\.(\d+)/.exec(calicoVersion ?? '');
  if (!match) return { prefixDefaultTier: false, nameAnnotation: true };
  const minor = Number(match[1]) > 3 ? Infinity : Number(match[2]);
  return { prefixDefaultTier: minor < 32, nameAnnotation: minor >= 30 };
}

/** Whether a name is a generated one that keeps its form in every version. */
export function isFormattedPolicyName(name: string): boolean {
  return FORMATTED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * The v3 name of a stored policy: the annotated name if there is one, else the stored name with a
 * leading `default.` removed when the policy is in the default tier.
 */
export function readPolicyName(stored: { name: string; tier?: string; annotatedName?: string }): string {
  if (stored.annotatedName) return stored.annotatedName;
  const tier = stored.tier || 'default';
  if (tier === 'default' && stored.name.startsWith('default.') && !isFormattedPolicyName(stored.name)) {
    return stored.name.slice('default.'.length);
  }
  return stored.name;
}

/** The name a policy is stored under in a datastore that follows `convention`. */
export function storagePolicyName(
  policy: { kind: string; name: string; tier?: string },
  convention: PolicyNameConvention,
): string {
  if (!TIERED_POLICY_KINDS.has(policy.kind) || !convention.prefixDefaultTier) return policy.name;
  const tier = policy.tier || 'default';
  if (tier !== 'default' || isFormattedPolicyName(policy.name)) return policy.name;
  return policy.name.startsWith('default.') ? policy.name : `default.${policy.name}`;
}
