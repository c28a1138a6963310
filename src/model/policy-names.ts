/**
 * Policy names across Calico versions (calico-datastore-model.md §5.1). The canonical (archive)
 * name of a policy is always its v3 name; the name it is stored under (etcd key segment, stored
 * `metadata.name`, KDD CR name) depends on the Calico version of the datastore being written:
 *
 * | version     | stored name of v3 name `n`                                       | `{"name":…}` annotation |
 * | <= 3.28     | `default.n`, except names starting `knp.` or `ossg.`             | no                      |
 * | 3.29        | `n` if it contains a `.`, else `default.n`                       | no                      |
 * | 3.30 - 3.31 | `n` if it contains a `.`, else `default.n`                       | yes                     |
 * | >= 3.32     | `n`                                                              | yes                     |
 *
 * Verified against projectcalico/calico at v3.25.0-v3.28.0
 * (libcalico-go/lib/clientv3/globalnetworkpolicy.go convertPolicyNameForStorage, used by
 * networkpolicy.go too), v3.29.0 (clientv3/*policy.go BackendTieredPolicyName), v3.30.0/v3.31.0
 * (libcalico-go/lib/backend/etcdv3/etcdv3.go defaultPolicyName + defaultPolicyKey, both
 * names.TieredPolicyName; libcalico-go/lib/backend/k8s/resources/resources.go likewise), v3.32.0
 * and HEAD 87c15906 (etcdv3.go defaultPolicyName only adds the annotation).
 *
 * `names.TieredPolicyName` (libcalico-go/lib/names/policy.go, v3.29-v3.31) keeps the "formatted"
 * names (`knp.default.`, `kanp.adminnetworkpolicy.`, `kbanp.baselineadminnetworkpolicy.`, `ossg.`)
 * and otherwise adds `default.` only to names without a dot; since every formatted prefix contains
 * a dot, the rule is exactly "no dot: add `default.`". It ignores the tier: the tier only takes part
 * in validation, which rejects names that do not fit (see `policyNameProblem`).
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

/**
 * Name prefixes of generated policies that keep their form (names.policyNameIsFormatted,
 * libcalico-go/lib/names/policy.go at v3.29-v3.31; kbanp. from v3.30).
 */
const FORMATTED_PREFIXES = [
  'knp.default.',
  'ossg.',
  'kanp.adminnetworkpolicy.',
  'kbanp.baselineadminnetworkpolicy.',
];

/** Prefixes convertPolicyNameForStorage leaves alone in v3.28 and earlier (clientv3/globalnetworkpolicy.go). */
const PRE_TIER_UNPREFIXED = ['knp.', 'ossg.'];

/** How a Calico version stores policy names. */
export interface PolicyNameConvention {
  /** Stored names carry a tier prefix: `default.` is added to default-tier names (<= 3.31). */
  prefixDefaultTier: boolean;
  /**
   * <= 3.28 (no tiers): `default.` is added to every name except `knp.*` / `ossg.*`, even names
   * that already contain a dot. From 3.29 only names without a dot get it. Absent means false.
   */
  prefixEveryName?: boolean;
  /** The stored object carries `projectcalico.org/metadata: {"name":"<v3 name>"}` (>= 3.30). */
  nameAnnotation: boolean;
}

/**
 * The minor version of a Calico 3.x version string such as `v3.31.7` or `3.32.0-0.dev`;
 * `Infinity` for a later major version or text that is not a version (treated as the newest).
 */
export function calicoMinorVersion(calicoVersion: string | undefined): number {
  const match = /^v?(\d+)\.(\d+)/.exec(calicoVersion ?? '');
  if (!match) return Infinity;
  if (Number(match[1]) !== 3) return Number(match[1]) > 3 ? Infinity : -Infinity;
  return Number(match[2]);
}

/** The convention of a Calico version such as `v3.31.7`; unknown or empty means the newest. */
export function policyConventionFor(calicoVersion: string | undefined): PolicyNameConvention {
  const minor = calicoMinorVersion(calicoVersion);
  return {
    prefixDefaultTier: minor < 32,
    prefixEveryName: minor < 29,
    nameAnnotation: minor >= 30,
  };
}

/** Whether a name is a generated one that keeps its form in every version. */
export function isFormattedPolicyName(name: string): boolean {
  return FORMATTED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * The v3 name of a stored policy: the annotated name if there is one, else the stored name with a
 * leading `default.` removed when the policy is in the default tier (empty tier = default).
 * Rule of HEAD's determinePolicyName (libcalico-go/lib/backend/model/keys.go and
 * k8s/resources/resources.go); it also gives the v3 name every older version showed, since those
 * stored exactly `default.` + the v3 name for default-tier policies without a dot.
 */
export function readPolicyName(stored: {
  name: string;
  tier?: string;
  annotatedName?: string;
}): string {
  if (stored.annotatedName) return stored.annotatedName;
  const tier = stored.tier || 'default';
  if (tier === 'default' && stored.name.startsWith('default.')) {
    return stored.name.slice('default.'.length);
  }
  return stored.name;
}

/** The name a policy is stored under in a datastore that follows `convention`. */
export function storagePolicyName(
  policy: { kind: string; name: string; tier?: string },
  convention: PolicyNameConvention,
): string {
  const { kind, name } = policy;
  if (!TIERED_POLICY_KINDS.has(kind) || !convention.prefixDefaultTier) return name;
  if (convention.prefixEveryName) {
    // v3.28 convertPolicyNameForStorage: unconditional prefix except knp./ossg.
    return PRE_TIER_UNPREFIXED.some((prefix) => name.startsWith(prefix)) ? name : `default.${name}`;
  }
  // v3.29-v3.31 names.TieredPolicyName.
  return name.includes('.') ? name : `default.${name}`;
}

/**
 * Why a policy's v3 name cannot be stored faithfully in a datastore that follows `convention`, or
 * `undefined` when it can. Calico 3.29-3.31 reject a default-tier name with a dot unless it starts
 * with `default.`, and a name in tier `t` unless it starts with `t.` (names.BackendTieredPolicyName /
 * ValidateTieredPolicyName); 3.28 and earlier have no tiers. Names written by 3.32+ (any name in
 * any tier) can break these rules.
 */
export function policyNameProblem(
  policy: { kind: string; name: string; tier?: string },
  convention: PolicyNameConvention,
): string | undefined {
  const { kind, name } = policy;
  if (!TIERED_POLICY_KINDS.has(kind) || !convention.prefixDefaultTier) return undefined;
  const tier = policy.tier || 'default';
  if (convention.prefixEveryName) {
    return tier === 'default' ? undefined : `tier ${tier}: Calico before v3.29 has no policy tiers`;
  }
  if (isFormattedPolicyName(name)) return undefined;
  if (tier === 'default') {
    if (!name.includes('.') || name.startsWith('default.')) return undefined;
    return `name ${name} has a dot but no "default." prefix, which Calico v3.29-v3.31 require in the default tier`;
  }
  if (name.startsWith(`${tier}.`)) return undefined;
  return `name ${name} lacks the "${tier}." prefix Calico v3.29-v3.31 require for policies in tier ${tier}`;
}
