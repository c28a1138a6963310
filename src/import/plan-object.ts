/**
 * The pure core of import planning: given an archived object, what the target holds under the same
 * identity, what the target can hold and the operator's policy, decide one action. No I/O: every
 * rule here is unit-tested with in-memory data.
 */
import { findDerivation } from '../model/derived.js';
import type { KindInfo } from '../model/kinds.js';
import { isKddStorable } from '../model/kinds.js';
import type { CalicoResource, RawEntry, ResourceRef } from '../model/resource.js';
import { refOf } from '../model/resource.js';
import { describeInvalidFields, findInvalidFields } from '../model/validate-resource.js';
import type { TargetProfile } from './compare.js';
import { comparableDigest } from './compare.js';

/** What to do with an object that exists in the target and differs (`--on-conflict`). */
export const ConflictPolicy = { Fail: 'fail', Skip: 'skip', Overwrite: 'overwrite' } as const;
export type ConflictPolicy = (typeof ConflictPolicy)[keyof typeof ConflictPolicy];

/** The outcome planned for one object. */
export type Action = 'create' | 'update' | 'unchanged' | 'skip' | 'conflict' | 'invalid';

/** Operator choices that shape the plan. */
export interface ImportPolicy {
  onConflict: ConflictPolicy;
  /** Leave derived objects out of an etcd target too (`--skip-derived`). */
  skipDerived: boolean;
  /** Skip objects Calico would refuse instead of stopping the import (`--skip-invalid`). */
  skipInvalid?: boolean;
}

/** What the target holds under an archived object's identity. */
export interface LiveEntry {
  /** `comparableDigest` of the stored object for this target. */
  digest: string;
  resourceVersion?: string;
  /** The place exists but holds no Calico data (a Kubernetes Node without Calico annotations). */
  vacant?: boolean;
}

/** One planned object. */
export interface PlannedObject {
  ref: ResourceRef;
  action: Action;
  /** Why (for skip and conflict; also for update, which only an explicit policy causes). */
  reason?: string;
  derived: boolean;
  /** The live resourceVersion, for an update. */
  resourceVersion?: string;
}

/** Inputs of `planObject`. */
export interface PlanInput {
  kind: KindInfo;
  archived: CalicoResource;
  live: LiveEntry | undefined;
  profile: TargetProfile;
  policy: ImportPolicy;
}

/** Decides what to do with one archived object. */
export function planObject({ kind, archived, live, profile, policy }: PlanInput): PlannedObject {
  const ref = refOf(archived);
  const derivation = findDerivation(archived);
  const derived = derivation !== undefined;
  const plan = (action: Action, reason?: string, resourceVersion?: string): PlannedObject => ({
    ref,
    action,
    derived,
    ...(reason ? { reason } : {}),
    ...(resourceVersion ? { resourceVersion } : {}),
  });

  const unstorable = explainUnstorable(kind, archived, profile);
  if (unstorable) return plan('skip', unstorable);
  if (profile.type === 'kubernetes' && kind.etcd.type === 'ipam' && isSoftDeleted(archived)) {
    // Calico's KDD backend treats a soft-deleted IPAM object as absent and deletes it on read
    // (libcalico-go/lib/backend/k8s/resources/ipam_handle.go and ipam_block.go Get).
    return plan(
      'skip',
      'not restorable: soft-deleted (spec.deleted true); KDD treats it as absent',
    );
  }
  if (derivation && profile.type === 'kubernetes') {
    return plan('skip', `derived (${derivation}); Calico derives it again in KDD`);
  }
  if (derivation && policy.skipDerived)
    return plan('skip', `derived (${derivation}); --skip-derived`);
  if (!live && kind.kind === 'Node' && profile.type === 'kubernetes') {
    // In KDD a Calico node is the annotations of a Kubernetes Node; none exists under this name
    // (libcalico-go/lib/backend/k8s/resources/node.go: Create is OperationNotSupported).
    return plan(
      'skip',
      `not restorable: no Kubernetes Node named ${ref.name} (join the node first, or map its name with --node-map)`,
    );
  }
  if (live && !live.vacant && live.digest === comparableDigest(archived, profile))
    return plan('unchanged');
  // Only an object about to be written needs to pass Calico's validation.
  const invalid = findInvalidFields(archived);
  if (invalid.length > 0) {
    const reason = `invalid: ${describeInvalidFields(invalid)}`;
    return policy.skipInvalid
      ? plan('skip', `${reason} (--skip-invalid)`)
      : plan('invalid', reason);
  }
  if (!live || live.vacant) return plan('create');
  switch (policy.onConflict) {
    case ConflictPolicy.Skip:
      return plan('skip', 'exists in the target with different content (--on-conflict skip)');
    case ConflictPolicy.Overwrite:
      return plan(
        'update',
        'exists with different content; replaced (--on-conflict overwrite)',
        live.resourceVersion,
      );
    default:
      return plan('conflict', 'exists in the target with different content');
  }
}

/** `spec.deleted` true (a boolean, or the string of v1 BlockAffinity CRs). */
function isSoftDeleted(resource: CalicoResource): boolean {
  const deleted = resource.spec?.deleted;
  return deleted === true || (typeof deleted === 'string' && deleted.toLowerCase() === 'true');
}

/** Whether the target stores objects of this kind at all (KDD derives some kinds instead). */
export function targetStoresKind(kind: KindInfo, profile: TargetProfile): boolean {
  if (profile.type === 'etcdv3') return kind.etcd.type !== 'none';
  return isKddStorable(kind);
}

/** Why the target cannot hold this object at all, or `undefined` if it can. */
function explainUnstorable(
  kind: KindInfo,
  archived: CalicoResource,
  profile: TargetProfile,
): string | undefined {
  if (targetStoresKind(kind, profile)) return undefined;
  if (kind.etcd.type === 'none' && profile.type === 'etcdv3') {
    return `etcd does not store ${kind.kind} (${kind.etcd.why})`;
  }
  if (kind.kind === 'Profile' && !findDerivation(archived)) {
    return 'KDD cannot store user-created profiles (it derives profiles from Namespaces and ServiceAccounts); re-create its rules as a policy';
  }
  return kind.kdd.type === 'derived'
    ? `KDD derives ${kind.kind} from ${kind.kdd.source}`
    : `KDD cannot store ${kind.kind}`;
}

/** The outcome planned for one raw entry. */
export interface PlannedRaw {
  key: string;
  action: Exclude<Action, 'update'>;
  reason?: string;
}

/** Decides what to do with a raw entry, given the bytes the target holds at its key (if any). */
export function planRaw(
  raw: RawEntry,
  live: Buffer | undefined,
  profile: TargetProfile,
): PlannedRaw {
  const key = raw.key;
  const source = raw.source === 'etcd' ? 'etcdv3' : 'kubernetes';
  if (profile.type !== source || raw.source !== 'etcd') {
    return {
      key,
      action: 'skip',
      reason: `raw ${raw.source} entry (${raw.reason}); restorable only into etcd it came from`,
    };
  }
  if (!live) return { key, action: 'create' };
  if (live.equals(raw.value)) return { key, action: 'unchanged' };
  return { key, action: 'conflict', reason: 'the key exists in the target with other bytes' };
}
