/**
 * Types shared by the KDD conversion modules: what reading one Kubernetes object gives, and what a
 * write needs to know about the target. The conversion layer does no I/O; the HTTP layer passes it
 * parsed objects (`model/json.ts` `parseJson`) and sends the bodies it returns.
 */
import type { JsonObject } from '../../model/json.js';
import { stringifyJson } from '../../model/json.js';
import type { PolicyNameConvention } from '../../model/policy-names.js';
import { policyConventionFor } from '../../model/policy-names.js';
import type { CalicoResource, RawEntry, ResourceRef } from '../../model/resource.js';
import type { CrdMode, ListedItem } from '../datastore.js';

/** A Kubernetes object converted to its canonical form. */
export interface ReadResource {
  type: 'resource';
  resource: CalicoResource;
  /**
   * The Kubernetes object's own name. It differs from `resource.metadata.name` for policies stored
   * under an old `default.` name and can differ for IPAM objects (whose canonical names are derived
   * from their spec); updates and deletes must address this name.
   */
  storedName: string;
}

/** A Kubernetes object that cannot be converted: kept byte for byte with the reason. */
export interface ReadRaw {
  type: 'raw';
  raw: RawEntry;
}

/**
 * An object skipped on purpose, as Calico's readers skip it: a soft-deleted IPAM object
 * (`spec.deleted` true). Reported so the caller can count skips.
 */
export interface ReadSkip {
  type: 'skip';
  /** The kind (canonical) of the skipped object. */
  kind: string;
  /** API path of the skipped object. */
  key: string;
  reason: string;
  /** The object it would be, and its resourceVersion: a create must replace it, not collide. */
  ref?: ResourceRef;
  resourceVersion?: string;
}

/** What reading one Kubernetes object gives. The `resource` and `raw` members are `ListedItem`s. */
export type KddReadResult = ReadResource | ReadRaw | ReadSkip;

/** The listed item of a read, or `undefined` for a skip (which the caller counts instead). */
export function toListedItem(result: KddReadResult): ListedItem | undefined {
  if (result.type === 'resource') return { type: 'resource', resource: result.resource };
  if (result.type === 'raw') return { type: 'raw', raw: result.raw };
  return undefined;
}

/** A raw KDD entry for an object that could not be converted. */
export function rawKddEntry(key: string, object: unknown, reason: string, bytes?: Buffer): ReadRaw {
  const value = bytes ?? Buffer.from(stringifyJson(object), 'utf8');
  return { type: 'raw', raw: { source: 'kdd', key, value, reason } };
}

/** Options of a read. */
export interface KddReadOptions {
  /**
   * The object's bytes exactly as the API server sent them, kept in a raw entry if conversion
   * fails; without them the parsed object is re-serialised.
   */
  bytes?: Buffer;
}

/** What a write must know about the target datastore. */
export interface KddWriteTarget {
  mode: CrdMode;
  /** How the target's Calico version stores policy names (`model/policy-names.ts`); v1 mode only. */
  convention: PolicyNameConvention;
  /**
   * How the target's Calico writes a zero `creationTimestamp` inside the v1 metadata annotation:
   * `null` up to v3.31 (k8s.io/apimachinery < 0.34), omitted from v3.32 (apimachinery 0.34 added
   * `omitzero` to `ObjectMeta.CreationTimestamp`). Calico reads both forms.
   */
  zeroCreationTimestamp: 'null' | 'omit';
}

/**
 * The write target for a CRD mode and the target's Calico version (`v3.31.2`; unknown or empty
 * means the newest behaviour).
 */
export function kddWriteTargetFor(mode: CrdMode, calicoVersion?: string): KddWriteTarget {
  const match = /^v?(\d+)\.(\d+)/.exec(calicoVersion ?? '');
  const major = Number(match?.[1]);
  const before332 = match !== null && (major < 3 || (major === 3 && Number(match[2]) < 32));
  return {
    mode,
    convention: policyConventionFor(calicoVersion),
    zeroCreationTimestamp: before332 ? 'null' : 'omit',
  };
}

/** A custom resource to send: create with POST to the collection, update with PUT to the item. */
export interface KddWriteRequest {
  /** The CR name (the storage name: for old-convention policies `default.<name>`). */
  name: string;
  /** The namespace, for namespaced kinds. */
  namespace?: string;
  /** The request body. */
  body: JsonObject;
}
