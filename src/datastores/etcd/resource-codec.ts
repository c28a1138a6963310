/**
 * v3 resources in etcd (calico-datastore-model.md §1.1, §3.1, §5): the value is Go's json.Marshal
 * of the v3 object without `resourceVersion` (libcalico-go/lib/clientv3/resources.go clears it and
 * `selfLink` before writing; libcalico-go/lib/backend/model/keys.go SerializeValue), and
 * `resourceVersion` is the key's mod-revision (libcalico-go/lib/backend/etcdv3/conversion.go).
 * Policies are stored under the name their Calico version uses (`codec/policy-name.ts`).
 */
import { InvalidObjectError, UnsupportedOperationError } from '../../model/errors.js';
import type { JsonObject } from '../../model/json.js';
import { isJsonObject } from '../../model/json.js';
import type { KindInfo } from '../../model/kinds.js';
import { findKind, isNamespaced } from '../../model/kinds.js';
import type { CalicoResource } from '../../model/resource.js';
import { CALICO_API_VERSION } from '../../model/resource.js';
import type { Decoded, EtcdWrite } from './codec/common.js';
import { fail, parseJsonObject } from './codec/common.js';
import { GoMap, marshalGoJson } from '../go-json.js';
import {
  isTieredPolicyKind,
  policyTier,
  readStoredPolicyName,
  writeStoredPolicyName,
} from './codec/policy-name.js';
import type { EtcdTarget } from './codec/target.js';
import { resourceKey } from './keys.js';
// Both backends synthesize it on read and never store it (etcdv3.go defaultAllowProfileKey).
import { DEFAULT_ALLOW_PROFILE_NAME as DEFAULT_ALLOW_PROFILE } from '../../model/derived.js';

/**
 * metav1.ObjectMeta fields in Go declaration order (k8s.io/apimachinery/pkg/apis/meta/v1/types.go;
 * `clusterName` existed before Kubernetes 1.25), which is the order json.Marshal writes them in.
 */
const OBJECT_META_ORDER = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'clusterName',
  'managedFields',
];

/** Top-level fields of every v3 type: TypeMeta (inline: kind, apiVersion), metadata, spec, status. */
const TOP_LEVEL_ORDER = ['kind', 'apiVersion', 'metadata', 'spec', 'status'];

/** A parsed v3 resource key. */
export interface ResourceKeyInfo {
  kind: KindInfo;
  name: string;
  namespace?: string;
}

/**
 * Decodes the value of a v3 resource key. The key and the stored object must agree (kind, name,
 * namespace, and the key must be the one Calico would build for them); otherwise, or when the value
 * is not an object Calico could read, the entry stays raw with the reason.
 */
export function decodeResource(
  info: ResourceKeyInfo,
  key: string,
  text: string,
  resourceVersion: string,
): Decoded {
  const value = parseJsonObject(text);
  if (typeof value === 'string') return fail(value);
  const row = info.kind;
  if (value.kind !== undefined && value.kind !== row.kind) {
    return fail(`stored kind ${String(value.kind)} does not match the key (${row.kind})`);
  }
  if (value.apiVersion !== undefined && value.apiVersion !== CALICO_API_VERSION) {
    return fail(`stored apiVersion ${String(value.apiVersion)} is not ${CALICO_API_VERSION}`);
  }
  const metadata = value.metadata;
  if (!isJsonObject(metadata) || typeof metadata.name !== 'string') {
    return fail('value has no metadata.name');
  }
  for (const field of ['spec', 'status'] as const) {
    if (value[field] !== undefined && value[field] !== null && !isJsonObject(value[field])) {
      return fail(`${field} is not an object`);
    }
  }
  const problem = checkIdentity(info, key, metadata);
  if (problem) return fail(problem);
  const meta: JsonObject = { ...metadata };
  if (info.namespace !== undefined) meta.namespace = info.namespace;
  if (isTieredPolicyKind(row.kind)) {
    const annotations = metadata.annotations;
    if (annotations !== undefined && annotations !== null && !isJsonObject(annotations)) {
      return fail('metadata.annotations is not an object');
    }
    const named = readStoredPolicyName(info.name, policyTier(value.spec), annotations ?? undefined);
    if (typeof named === 'string') return fail(named);
    meta.name = named.name;
    if (named.annotations) meta.annotations = named.annotations;
    else delete meta.annotations;
  }
  // canonical-form.md: empty label/annotation maps are omitted (Go's omitempty never writes them).
  for (const field of ['labels', 'annotations']) {
    if (isJsonObject(meta[field]) && Object.keys(meta[field]).length === 0) delete meta[field];
  }
  meta.resourceVersion = resourceVersion;
  const resource = { kind: row.kind, apiVersion: CALICO_API_VERSION, ...value, metadata: meta };
  return { ok: true, resource: resource as CalicoResource };
}

/** Why the stored object does not belong to its key, if it does not. */
function checkIdentity(
  info: ResourceKeyInfo,
  key: string,
  metadata: JsonObject,
): string | undefined {
  const { kind: row, name, namespace } = info;
  if (metadata.name !== name) {
    return `stored metadata.name ${String(metadata.name)} does not match the key name ${name}`;
  }
  const storedNamespace = metadata.namespace;
  if (namespace !== undefined) {
    if (storedNamespace !== undefined && storedNamespace !== namespace) {
      return `stored metadata.namespace ${String(storedNamespace)} does not match the key namespace ${namespace}`;
    }
  } else if (storedNamespace !== undefined && storedNamespace !== '') {
    return `cluster-scoped ${row.kind} has a namespace`;
  }
  if (resourceKey(row, name, namespace) !== key) {
    return 'key contains escape sequences (%2f, %25) that Calico never writes in v3 keys';
  }
  if (row.kind === 'Profile' && name === DEFAULT_ALLOW_PROFILE) {
    return `${DEFAULT_ALLOW_PROFILE} is synthesized by Calico on read; a stored copy is shadowed`;
  }
  return undefined;
}

/**
 * Encodes a canonical v3 resource as the key and value the target's libcalico-go would write:
 * no `resourceVersion` or `selfLink`, metadata in ObjectMeta order, labels and annotations sorted,
 * policies under their storage name with the name annotation of that version.
 * Throws UnsupportedOperationError for kinds that are not v3 resources in etcd, and
 * InvalidObjectError for an object without the name or namespace its kind needs.
 */
export function encodeResource(resource: CalicoResource, target: EtcdTarget): EtcdWrite {
  const row = findKind(resource.kind);
  if (!row || row.etcd.type !== 'resource') {
    throw new UnsupportedOperationError(`${resource.kind} is not stored as a v3 resource in etcd`);
  }
  const { name, namespace } = resource.metadata;
  checkWritable(row, name, namespace);
  let storedName = name;
  let annotations: Record<string, unknown> | undefined = resource.metadata.annotations;
  if (isTieredPolicyKind(row.kind)) {
    const tier = policyTier(resource.spec);
    const stored = writeStoredPolicyName(row.kind, name, tier, annotations, target.policyNames);
    storedName = stored.storedName;
    annotations = stored.annotations;
  }
  const metadata = orderMetadata({ ...resource.metadata, name: storedName, annotations });
  const value = { ...resource, kind: row.kind, apiVersion: CALICO_API_VERSION, metadata };
  return {
    key: resourceKey(row, storedName, isNamespaced(row) ? namespace : undefined),
    value: marshalGoJson(orderFields(value, TOP_LEVEL_ORDER)),
  };
}

function checkWritable(row: KindInfo, name: unknown, namespace: unknown): void {
  if (typeof name !== 'string' || name === '' || name.includes('/')) {
    throw new InvalidObjectError(
      `${row.kind} has an invalid name for an etcd key: ${String(name)}`,
    );
  }
  if (isNamespaced(row)) {
    if (typeof namespace !== 'string' || namespace === '' || namespace.includes('/')) {
      throw new InvalidObjectError(`${row.kind} ${name} needs a namespace`);
    }
  } else if (namespace !== undefined && namespace !== '') {
    throw new InvalidObjectError(`cluster-scoped ${row.kind} ${name} has a namespace`);
  }
  if (row.kind === 'Profile' && name === DEFAULT_ALLOW_PROFILE) {
    throw new UnsupportedOperationError(
      `${DEFAULT_ALLOW_PROFILE} is synthesized by Calico and never stored`,
    );
  }
}

/** Stored metadata: ObjectMeta order, server-only fields dropped, maps sorted, empty maps omitted. */
function orderMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(orderFields(metadata, OBJECT_META_ORDER))) {
    if (field === 'resourceVersion' || field === 'selfLink' || value === undefined) continue;
    if (field === 'labels' || field === 'annotations') {
      // map[string]string with omitempty: an empty map is not written, keys are sorted.
      if (isJsonObject(value) && Object.keys(value).length === 0) continue;
      result[field] = isJsonObject(value) ? GoMap.of(value) : value;
    } else {
      result[field] = value;
    }
  }
  return result;
}

/** A copy with the listed fields first, in that order, then the others in their own order. */
function orderFields(
  object: Record<string, unknown>,
  order: readonly string[],
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of order) if (object[field] !== undefined) result[field] = object[field];
  for (const [field, value] of Object.entries(object)) {
    if (!(field in result) && value !== undefined) result[field] = value;
  }
  return result;
}
