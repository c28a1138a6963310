/**
 * The datastore migration lock: Calico's `spec.datastoreReady: false` on ClusterInformation
 * `default` (calicoctl/calicoctl/commands/datastore/migrate/lock.go, unlock.go), with a record of
 * who took it, when and why (src/migrate/lock-record.ts). While it is set, Felix stops and the CNI
 * plugin refuses to set up pods (calico-datastore-model.md §6), so the lock is guarded: it is
 * never taken over or released on someone else's behalf without `force`, and every write is
 * conditional on the resourceVersion read (one re-read and retry after a lost race).
 *
 * Works on the Datastore interface only, so the same code locks etcd and KDD (v1 or v3 CRDs).
 */
import { randomUUID } from 'node:crypto';
import { CLUSTER_INFORMATION_REF } from '../datastores/cluster-information.js';
import type { Datastore, DatastoreDescription, DatastoreType } from '../datastores/datastore.js';
import { AlreadyExistsError, ConflictError, NotFoundError, UsageError } from '../model/errors.js';
import type { CalicoResource, ObjectMeta } from '../model/resource.js';
import { CALICO_API_VERSION } from '../model/resource.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { findAdmissionDenial, LockRefusedByAdmissionError } from './lock-admission.js';
import { LockHeldError } from './lock-errors.js';
import type { LockState } from './lock-record.js';
import {
  classifyHolder,
  describeHolder,
  HELD_LOCK_ANNOTATIONS,
  LockAnnotation,
  lockStateOf,
} from './lock-record.js';

/** Options of `lockDatastore`. */
export interface LockOptions {
  /** Who takes the lock (`user@host` by default in the CLI; see `defaultLockOwner`). */
  by: string;
  /** Why, recorded as an annotation. */
  reason?: string;
  /** Time to record (default: now). */
  now?: Date;
  /** Take over a lock held by someone else. */
  force?: boolean;
  /** Tool name and version to record (default: this tool's). */
  tool?: string;
}

/** Options of `unlockDatastore`. */
export interface UnlockOptions {
  /** Who releases it; must be who locked it unless `force`. */
  by: string;
  now?: Date;
  /** Release a lock someone else holds. */
  force?: boolean;
}

/** What `lockDatastore` did. */
export type LockOutcome =
  /** There was no ClusterInformation: it was created, locked. */
  | 'created'
  /** It was unlocked; now locked. */
  | 'locked'
  /** `by` already held the lock: nothing was written. */
  | 'already-locked'
  /** Someone else held it; `force` recorded `by` as the holder. */
  | 'taken-over';

/** What `unlockDatastore` did. */
export type UnlockOutcome =
  /** `by` held the lock; released. */
  | 'unlocked'
  /** Someone else held it; `force` released it. */
  | 'force-unlocked'
  /** Nothing was locked: nothing was written. */
  | 'not-locked';

/** The result of a lock or unlock: what happened, and the state before and after. */
export interface LockResult<O extends string> {
  outcome: O;
  /** Whether ClusterInformation was written. */
  changed: boolean;
  before: LockState;
  after: LockState;
}

/** The longest `reason` recorded (annotation values should stay small). */
export const MAX_REASON_LENGTH = 1024;

/** A planned write, a decision that needs none, or a refusal (someone else holds the lock). */
export type LockPlan<O extends string> =
  | { type: 'none'; outcome: O }
  | { type: 'create' | 'update'; outcome: O; resource: CalicoResource }
  | { type: 'refuse' };

/** Reads ClusterInformation `default` and the lock it records. */
export async function readLockState(ds: Datastore): Promise<LockState> {
  return lockStateOf(await ds.get(CLUSTER_INFORMATION_REF));
}

/**
 * Locks a datastore: sets `spec.datastoreReady: false` and records `by`, the time, `reason` and
 * the tool in annotations. Creates ClusterInformation when there is none (`planLock`). Already
 * locked by `by`: writes nothing. Locked by someone else: `LockHeldError` unless `force`.
 * Refused by admission control (KDD v3 webhook): `LockRefusedByAdmissionError`.
 */
export async function lockDatastore(
  ds: Datastore,
  options: LockOptions,
): Promise<LockResult<LockOutcome>> {
  checkOwner(options.by);
  if (options.reason !== undefined && options.reason.length > MAX_REASON_LENGTH) {
    throw new UsageError(
      `the lock reason is ${options.reason.length} characters long`,
      `keep --reason under ${MAX_REASON_LENGTH} characters`,
    );
  }
  return applyPlan(ds, 'lock', options.by, async (state) =>
    planLock(state, options, state.exists ? undefined : (await describeSafely(ds))?.type),
  );
}

/**
 * Unlocks a datastore: sets `spec.datastoreReady: true` (as calicoctl unlock does), removes the
 * lock record and records who unlocked it and when. Not locked: writes nothing. Locked by someone
 * else (another owner, or no calico-migrate record): `LockHeldError` unless `force`.
 */
export async function unlockDatastore(
  ds: Datastore,
  options: UnlockOptions,
): Promise<LockResult<UnlockOutcome>> {
  checkOwner(options.by);
  return applyPlan(ds, 'unlock', options.by, (state) => planUnlock(state, options));
}

/**
 * Decides a lock: the pure part of `lockDatastore`. `type` is the backend's type, needed only to
 * create ClusterInformation.
 */
export function planLock(
  state: LockState,
  options: LockOptions,
  type?: DatastoreType,
): LockPlan<LockOutcome> {
  const annotations = lockAnnotations(options);
  if (!state.resource) {
    const resource = newClusterInformation(annotations, type, options.now ?? new Date());
    return { type: 'create', outcome: 'created', resource };
  }
  const holder = classifyHolder(state, options.by);
  if (holder === 'self') return { type: 'none', outcome: 'already-locked' };
  if (holder === 'other') {
    if (!options.force) return { type: 'refuse' };
    annotations[LockAnnotation.TookOverFrom] = state.record?.lockedBy ?? describeHolder(state);
  }
  const resource = withLockFields(state.resource, false, annotations);
  return { type: 'update', outcome: holder === 'other' ? 'taken-over' : 'locked', resource };
}

/** Decides an unlock: the pure part of `unlockDatastore`. */
export function planUnlock(state: LockState, options: UnlockOptions): LockPlan<UnlockOutcome> {
  const holder = classifyHolder(state, options.by);
  if (holder === 'none' || !state.resource) return { type: 'none', outcome: 'not-locked' };
  if (holder === 'other' && !options.force) return { type: 'refuse' };
  const resource = withLockFields(state.resource, true, {
    [LockAnnotation.LastUnlockedBy]: options.by,
    [LockAnnotation.LastUnlockedAt]: formatTime(options.now ?? new Date()),
  });
  return { type: 'update', outcome: holder === 'self' ? 'unlocked' : 'force-unlocked', resource };
}

/**
 * Reads, plans and writes; after a lost race (the object changed, or appeared or vanished, since
 * it was read) reads and plans once more. Translates admission denials and names the datastore in
 * refusals.
 */
async function applyPlan<O extends string>(
  ds: Datastore,
  action: 'lock' | 'unlock',
  by: string,
  plan: (state: LockState) => LockPlan<O> | Promise<LockPlan<O>>,
): Promise<LockResult<O>> {
  for (let attempt = 1; ; attempt++) {
    const before = await readLockState(ds);
    const decision = await plan(before);
    if (decision.type === 'refuse') throw new LockHeldError(action, before, by, await whereIs(ds));
    if (decision.type === 'none') {
      return { outcome: decision.outcome, changed: false, before, after: before };
    }
    try {
      const stored =
        decision.type === 'create'
          ? await ds.create(decision.resource)
          : await ds.update(decision.resource);
      return { outcome: decision.outcome, changed: true, before, after: lockStateOf(stored) };
    } catch (error) {
      const lostRace =
        error instanceof ConflictError ||
        error instanceof AlreadyExistsError ||
        error instanceof NotFoundError;
      if (lostRace && attempt < 2) continue;
      const denial = findAdmissionDenial(error);
      if (denial) {
        const description = await describeSafely(ds);
        throw new LockRefusedByAdmissionError(denial, action, description ?? { endpoints: [] }, {
          cause: error,
        });
      }
      if (lostRace) {
        throw new ConflictError(
          `ClusterInformation default on ${await whereIs(ds)} changed twice while trying to ${action} it; nothing was changed`,
          `something else is writing it (calico-node or calico-kube-controllers starting?); run ${action} again`,
          { cause: error },
        );
      }
      throw error;
    }
  }
}

/**
 * ClusterInformation as calicoctl's lock creates it through EnsureInitialized(ctx, "", "")
 * (libcalico-go/lib/clientv3/client.go ensureClusterInformation): a random 32-hex-digit GUID (a
 * v4 UUID without dashes), cluster type `kdd` in the Kubernetes datastore and none in etcd, no
 * Calico version (calico-node sets it and its cluster types when it starts) and, unlike
 * EnsureInitialized, the ready flag false. Like clientv3's Create it sets a uid and a creation
 * time (libcalico-go/lib/clientv3/resources.go Create): in etcd they are stored as given, and
 * clientv3's Update refuses an object without them, so calico-node's own EnsureInitialized could
 * not update (and unlock) a ClusterInformation created without them. The API server replaces both
 * with its own in KDD.
 */
function newClusterInformation(
  annotations: Record<string, string>,
  type: DatastoreType | undefined,
  now: Date,
): CalicoResource {
  return {
    apiVersion: CALICO_API_VERSION,
    kind: 'ClusterInformation',
    metadata: {
      name: CLUSTER_INFORMATION_REF.name,
      uid: randomUUID(),
      creationTimestamp: formatTime(now),
      annotations,
    },
    spec: {
      clusterGUID: randomUUID().replaceAll('-', ''),
      ...(type === 'kubernetes' && { clusterType: 'kdd' }),
      datastoreReady: false,
    },
  };
}

/**
 * A copy of `resource` with the ready flag set and the lock record replaced by `annotations`
 * (the rest of spec and metadata, resourceVersion included, unchanged).
 */
function withLockFields(
  resource: CalicoResource,
  ready: boolean,
  annotations: Record<string, string>,
): CalicoResource {
  const kept = Object.entries(resource.metadata.annotations ?? {}).filter(
    ([key]) => !HELD_LOCK_ANNOTATIONS.includes(key),
  );
  const merged = { ...Object.fromEntries(kept), ...annotations };
  const metadata: ObjectMeta = { ...resource.metadata, annotations: merged };
  if (Object.keys(merged).length === 0) delete metadata.annotations;
  return { ...resource, metadata, spec: { ...resource.spec, datastoreReady: ready } };
}

function lockAnnotations(options: LockOptions): Record<string, string> {
  const annotations: Record<string, string> = {
    [LockAnnotation.LockedBy]: options.by,
    [LockAnnotation.LockedAt]: formatTime(options.now ?? new Date()),
    [LockAnnotation.LockedWith]: options.tool ?? `${TOOL_NAME} ${TOOL_VERSION}`,
  };
  if (options.reason) annotations[LockAnnotation.Reason] = options.reason;
  return annotations;
}

/** RFC 3339 in UTC, to the second (as Kubernetes writes timestamps). */
function formatTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function checkOwner(by: string): void {
  if (by.trim() === '') {
    throw new UsageError('the lock owner is empty', 'pass --by NAME (default: user@host)');
  }
}

async function describeSafely(ds: Datastore): Promise<DatastoreDescription | undefined> {
  try {
    return await ds.describe();
  } catch {
    return undefined;
  }
}

/** `etcdv3 https://a,https://b` or `kubernetes https://... (v3 CRDs)`. */
export function nameDatastore(description: DatastoreDescription): string {
  const { type, endpoints, crdMode } = description;
  return `${type} ${endpoints.join(',')}${crdMode ? ` (${crdMode} CRDs)` : ''}`;
}

/** The datastore's name (`nameDatastore`), for refusals. */
async function whereIs(ds: Datastore): Promise<string> {
  const description = await describeSafely(ds);
  return description ? nameDatastore(description) : 'the datastore';
}
