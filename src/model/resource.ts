/**
 * The canonical object: a `projectcalico.org/v3` resource, IPAM kinds included. Archives hold only
 * this form; each datastore adapter converts between it and its native storage (hub and spoke).
 */
import type { JsonObject, JsonValue } from './json.js';

/** The apiVersion of every canonical object. */
export const CALICO_API_VERSION = 'projectcalico.org/v3';

/** Kubernetes-style object metadata as Calico stores it in v3 objects. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string | null;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: JsonObject[];
  finalizers?: string[];
  [field: string]: JsonValue | undefined;
}

/** A Calico object in its `projectcalico.org/v3` form. */
export interface CalicoResource {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: JsonObject;
  status?: JsonObject;
  [field: string]: JsonValue | undefined;
}

/** Identifies one object. */
export interface ResourceRef {
  kind: string;
  name: string;
  namespace?: string;
}

/** The reference of an object. */
export function refOf(resource: CalicoResource): ResourceRef {
  const { name, namespace } = resource.metadata;
  return namespace ? { kind: resource.kind, name, namespace } : { kind: resource.kind, name };
}

/** A string that identifies a reference, for maps keyed by object. */
export function refKey(ref: ResourceRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

/** `Kind namespace/name` or `Kind name`, for messages and reports. */
export function describeRef(ref: ResourceRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

/**
 * Stored data that could not be mapped to a canonical object: kept byte for byte so that nothing
 * is dropped silently, restorable only into the backend it came from.
 */
export interface RawEntry {
  /** Backend it was read from. */
  source: 'etcd' | 'kdd';
  /** etcd key, or API path of the Kubernetes object. */
  key: string;
  /** The stored bytes. */
  value: Buffer;
  /** Why it is raw (short, for reports). */
  reason: string;
}
