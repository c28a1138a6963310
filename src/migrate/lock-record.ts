/**
 * The migration lock as ClusterInformation `default` records it: Calico's flag
 * (`spec.datastoreReady: false`, calicoctl/calicoctl/commands/datastore/migrate/lock.go) plus
 * calico-migrate's annotations saying who locked it, when, why and with which tool. The keys
 * contain `projectcalico.org/`, so in KDD v1 CRD mode Calico copies them onto the CR itself
 * (libcalico-go/lib/backend/k8s/resources/resources.go isOurs) where kubectl shows them.
 */
import type { CalicoResource } from '../model/resource.js';
import { describeClusterInformation } from '../datastores/cluster-information.js';

/** Prefix of every annotation calico-migrate writes on ClusterInformation. */
export const LOCK_ANNOTATION_PREFIX = 'calico-migrate.projectcalico.org/';

/** The annotation keys of the lock record. */
export const LockAnnotation = {
  /** Who holds the lock: `user@host` or the `--by` value. */
  LockedBy: `${LOCK_ANNOTATION_PREFIX}locked-by`,
  /** When it was taken (RFC 3339, UTC). */
  LockedAt: `${LOCK_ANNOTATION_PREFIX}locked-at`,
  /** Why (`--reason`), when given. */
  Reason: `${LOCK_ANNOTATION_PREFIX}lock-reason`,
  /** Tool and version that took it, e.g. `calico-migrate 0.1.0`. */
  LockedWith: `${LOCK_ANNOTATION_PREFIX}locked-with`,
  /** Set when `--force` took over a lock held by someone else: who held it before. */
  TookOverFrom: `${LOCK_ANNOTATION_PREFIX}lock-took-over-from`,
  /** Who last unlocked (kept after unlock, for the record). */
  LastUnlockedBy: `${LOCK_ANNOTATION_PREFIX}last-unlocked-by`,
  /** When it was last unlocked (RFC 3339, UTC). */
  LastUnlockedAt: `${LOCK_ANNOTATION_PREFIX}last-unlocked-at`,
} as const;

/** The annotations that make up a held lock (removed by unlock). */
export const HELD_LOCK_ANNOTATIONS: readonly string[] = [
  LockAnnotation.LockedBy,
  LockAnnotation.LockedAt,
  LockAnnotation.Reason,
  LockAnnotation.LockedWith,
  LockAnnotation.TookOverFrom,
];

/**
 * Lock markers other tools write: Calico's v1→v3 CRD migration controller records the UID of its
 * DatastoreMigration here when it locks (kube-controllers/pkg/controllers/migration/controller.go
 * lockedByAnnotation).
 */
export const FOREIGN_LOCK_ANNOTATIONS: readonly string[] = [
  'migration.projectcalico.org/locked-by',
];

/** calico-migrate's record of a lock. */
export interface LockRecord {
  lockedBy?: string;
  lockedAt?: string;
  reason?: string;
  lockedWith?: string;
  tookOverFrom?: string;
}

/** What ClusterInformation `default` says about the lock. */
export interface LockState {
  /** Whether ClusterInformation `default` exists. */
  exists: boolean;
  /** Calico's rule (common.CheckLocked): locked iff `spec.datastoreReady` is false; unset means ready. */
  locked: boolean;
  /** calico-migrate's record of the current (or a stale) lock, when present. */
  record?: LockRecord;
  /** The last unlock calico-migrate made, when recorded. */
  lastUnlock?: { by?: string; at?: string };
  /** Lock markers of other tools present on the object (annotation key -> value). */
  foreign?: Record<string, string>;
  calicoVersion?: string;
  clusterGUID?: string;
  /** The object as read (with its resourceVersion), for the write that follows. */
  resource?: CalicoResource;
}

/** Who holds a lock, relative to someone who wants to take or release it. */
export type LockHolder = 'none' | 'self' | 'other';

/** Reads the lock state out of ClusterInformation `default` (`undefined`: it does not exist). */
export function lockStateOf(resource: CalicoResource | undefined): LockState {
  if (!resource) return { exists: false, locked: false };
  const annotations = resource.metadata.annotations ?? {};
  const info = describeClusterInformation(resource);
  const record = pickDefined({
    lockedBy: annotations[LockAnnotation.LockedBy],
    lockedAt: annotations[LockAnnotation.LockedAt],
    reason: annotations[LockAnnotation.Reason],
    lockedWith: annotations[LockAnnotation.LockedWith],
    tookOverFrom: annotations[LockAnnotation.TookOverFrom],
  });
  const lastUnlock = pickDefined({
    by: annotations[LockAnnotation.LastUnlockedBy],
    at: annotations[LockAnnotation.LastUnlockedAt],
  });
  const foreign = pickDefined(
    Object.fromEntries(FOREIGN_LOCK_ANNOTATIONS.map((key) => [key, annotations[key]])),
  );
  return {
    exists: true,
    locked: info.locked === true,
    ...(record && { record }),
    ...(lastUnlock && { lastUnlock }),
    ...(foreign && { foreign: foreign as Record<string, string> }),
    ...(info.calicoVersion !== undefined && { calicoVersion: info.calicoVersion }),
    ...(info.clusterGUID !== undefined && { clusterGUID: info.clusterGUID }),
    resource,
  };
}

/**
 * Who holds the lock as seen by `by`: nobody (not locked), `by` itself (our record names it), or
 * someone else (our record names another owner, or the flag was set without our record: calicoctl
 * `datastore migrate lock`, Calico's migration controller, a hand edit).
 */
export function classifyHolder(state: LockState, by: string): LockHolder {
  if (!state.locked) return 'none';
  return state.record?.lockedBy === by ? 'self' : 'other';
}

/** One line naming who holds a lock, from its record (or why there is none). */
export function describeHolder(state: LockState): string {
  const record = state.record;
  if (record?.lockedBy) {
    const parts = [`locked by ${record.lockedBy}`];
    if (record.lockedAt) parts.push(`at ${record.lockedAt}`);
    if (record.reason) parts.push(`(reason: ${record.reason})`);
    if (record.lockedWith) parts.push(`with ${record.lockedWith}`);
    return parts.join(' ');
  }
  const foreign = Object.entries(state.foreign ?? {});
  if (foreign.length > 0) {
    const markers = foreign.map(([key, value]) => `${key}=${value}`).join(', ');
    return `locked by Calico's v1-to-v3 datastore migration controller (${markers})`;
  }
  return 'locked without a calico-migrate lock record (by calicoctl datastore migrate lock/import, another tool, or by hand)';
}

/** A one-line summary of a lock state, for logs and failure reports. */
export function summarizeLockState(state: LockState): string {
  if (!state.exists) return 'not locked (no ClusterInformation default)';
  if (!state.locked) return 'not locked (datastoreReady is not false)';
  return `locked (datastoreReady: false), ${describeHolder(state)}`;
}

function pickDefined<T extends Record<string, string | undefined>>(
  fields: T,
): { [K in keyof T]?: string } | undefined {
  const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
  return entries.length > 0
    ? (Object.fromEntries(entries) as { [K in keyof T]?: string })
    : undefined;
}
