/**
 * Calico custom resources <-> canonical `projectcalico.org/v3` objects, in both CRD modes
 * (calico-datastore-model.md §3.2, §3.3). v1 mode keeps the v3 metadata in the
 * `projectcalico.org/metadata` annotation and maps uids with ConvertUID; v3 mode stores objects
 * as they are. Sources: libcalico-go/lib/backend/k8s/resources/{customresource.go, resources.go}.
 */
import { InternalError } from '../../model/errors.js';
import type { JsonObject, JsonValue } from '../../model/json.js';
import { isJsonObject, parseJson } from '../../model/json.js';
import type { KindInfo } from '../../model/kinds.js';
import { SERVER_MANAGED_METADATA } from '../../model/normalize.js';
import {
  METADATA_ANNOTATION,
  readPolicyName,
  storagePolicyName,
  TIERED_POLICY_KINDS,
} from '../../model/policy-names.js';
import type { CalicoResource, ObjectMeta } from '../../model/resource.js';
import { CALICO_API_VERSION, refOf } from '../../model/resource.js';
import type { CrdMode } from '../datastore.js';
import type {
  KddReadOptions,
  KddReadResult,
  KddWriteRequest,
  KddWriteTarget,
} from './codec-types.js';
import { rawKddEntry } from './codec-types.js';
import { crdPathsFor, customResourcePath } from './crd-paths.js';
import {
  canonicalizeIpamRead,
  IPAM_KINDS,
  ipamLabelsForWrite,
  ipamSpecForWrite,
} from './ipam-crs.js';
import type { Decoded } from './object-meta.js';
import {
  decodeObjectMeta,
  encodeMetadataAnnotation,
  filterCalicoOwned,
  ownerReferencesToV3,
} from './object-meta.js';
import { convertUid } from './uid.js';

/** Top-level CR fields that are not carried over as they are. */
const ENVELOPE_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * Converts one custom resource of `info`'s kind, as listed from the API server, to its canonical
 * form. Never throws for bad data: an object Calico could not convert becomes a raw entry (key =
 * its API path, value = its bytes), a soft-deleted IPAM object a skip.
 */
export function readCustomResource(
  info: KindInfo,
  mode: CrdMode,
  object: JsonValue,
  options: KddReadOptions = {},
): KddReadResult {
  const paths = crdPathsFor(info, mode);
  const crMeta =
    isJsonObject(object) && isJsonObject(object.metadata) ? object.metadata : undefined;
  const storedName = typeof crMeta?.name === 'string' ? crMeta.name : '';
  const namespace = typeof crMeta?.namespace === 'string' ? crMeta.namespace : undefined;
  const key = customResourcePath(paths, storedName || undefined, namespace);
  const raw = (reason: string) => rawKddEntry(key, object, reason, options.bytes);
  if (!isJsonObject(object) || !crMeta || storedName === '') {
    return raw('not a Kubernetes object with metadata.name');
  }
  if (object.spec !== undefined && object.spec !== null && !isJsonObject(object.spec)) {
    return raw('spec is not a JSON object');
  }
  const metadata = mode === 'v1' ? readV1Metadata(info.kind, object) : readV3Metadata(crMeta);
  if (!metadata.ok) return raw(`cannot convert metadata: ${metadata.error}`);

  let resource: CalicoResource = {
    apiVersion: CALICO_API_VERSION,
    kind: info.kind,
    metadata: metadata.value,
  };
  for (const [field, value] of Object.entries(object)) {
    if (!ENVELOPE_FIELDS.has(field) && value !== undefined && value !== null)
      resource[field] = value;
  }
  if (IPAM_KINDS.has(info.kind)) {
    const outcome = canonicalizeIpamRead(resource);
    if (outcome.type === 'invalid') return raw(outcome.reason);
    if (outcome.type === 'skip')
      return {
        type: 'skip',
        kind: info.kind,
        key,
        reason: outcome.reason,
        ref: refOf(resource),
        resourceVersion: resource.metadata.resourceVersion,
      };
    resource = outcome.resource;
  }
  return { type: 'resource', resource, storedName };
}

/**
 * v1 metadata (resources.go ConvertK8sResourceToCalicoResource): uid = ConvertUID(CR uid) always;
 * without the metadata annotation the CR's own metadata; with it, the annotation's ObjectMeta
 * with labels and annotations merged over the CR's, name from the annotation (else the CR name,
 * `default.` stripped for default-tier policies), namespace and resourceVersion from the CR, and
 * creationTimestamp from the annotation unless zero.
 */
function readV1Metadata(kind: string, cr: JsonObject): Decoded<ObjectMeta> {
  const own = decodeObjectMeta(cr.metadata);
  if (!own.ok) return own;
  const crMeta = own.value;
  const annotationText = crMeta.annotations?.[METADATA_ANNOTATION];
  let meta: ObjectMeta;
  if (annotationText === undefined) {
    meta = crMeta;
  } else {
    const decoded = decodeAnnotation(annotationText);
    if (!decoded.ok) return decoded;
    meta = decoded.value;
    const annotations = { ...crMeta.annotations };
    delete annotations[METADATA_ANNOTATION];
    meta.labels = { ...crMeta.labels, ...meta.labels };
    meta.annotations = { ...annotations, ...meta.annotations };
    meta.creationTimestamp ??= crMeta.creationTimestamp;
  }
  const annotatedName = annotationText === undefined ? undefined : meta.name || undefined;
  // The canonical form (docs/canonical-form.md, Policies) strips `default.` from default-tier
  // policies also when the CR has no metadata annotation at all; Calico itself keeps the CR name then.
  meta.name = TIERED_POLICY_KINDS.has(kind)
    ? readPolicyName({ name: crMeta.name, tier: policyTier(cr), annotatedName })
    : (annotatedName ?? crMeta.name);
  const refs = ownerReferencesToV3(meta.ownerReferences ?? []);
  if (!refs.ok) return refs;
  if (refs.value.length > 0) meta.ownerReferences = refs.value;
  if (crMeta.uid !== undefined) {
    const uid = convertUid(crMeta.uid);
    if (uid === undefined) return { ok: false, error: `uid is not a UUID: ${crMeta.uid}` };
    meta.uid = uid;
  } else {
    delete meta.uid;
  }
  return { ok: true, value: orderMetadata(meta, crMeta) };
}

function decodeAnnotation(text: string): Decoded<ObjectMeta> {
  let parsed: JsonValue;
  try {
    parsed = parseJson(text);
  } catch (error) {
    return { ok: false, error: `${METADATA_ANNOTATION} is not JSON (${(error as Error).message})` };
  }
  const decoded = decodeObjectMeta(parsed);
  return decoded.ok ? decoded : { ok: false, error: `${METADATA_ANNOTATION}: ${decoded.error}` };
}

function policyTier(cr: JsonObject): string | undefined {
  const tier = isJsonObject(cr.spec) ? cr.spec.tier : undefined;
  return typeof tier === 'string' ? tier : undefined;
}

/** Name, namespace and resourceVersion from the CR; then the rest; empty maps dropped. */
function orderMetadata(meta: ObjectMeta, crMeta: ObjectMeta): ObjectMeta {
  const out: ObjectMeta = { name: meta.name };
  if (crMeta.namespace !== undefined) out.namespace = crMeta.namespace;
  for (const field of ['uid', 'resourceVersion', 'creationTimestamp'] as const) {
    const value = field === 'resourceVersion' ? crMeta.resourceVersion : meta[field];
    if (value !== undefined && value !== null) out[field] = value;
  }
  for (const [field, value] of Object.entries(meta)) {
    if (field in out || field === 'namespace' || field === 'resourceVersion' || value === undefined)
      continue;
    if (
      (field === 'labels' || field === 'annotations') &&
      Object.keys(value as object).length === 0
    )
      continue;
    out[field] = value;
  }
  return out;
}

/**
 * v3 metadata: the CR's own (§3.3; customresource.go convertResourceToKVPair returns v3 objects
 * unchanged), minus a leftover metadata annotation, which the v1->v3 migration controller strips
 * too (kube-controllers/pkg/controllers/migration/migrators/convert.go). The name is the CR name
 * even for policies: Calico ignores the annotation in v3 mode and addresses the object by it.
 */
function readV3Metadata(crMeta: JsonObject): Decoded<ObjectMeta> {
  const meta = { ...crMeta } as ObjectMeta;
  if (isJsonObject(crMeta.annotations)) {
    const annotations = { ...crMeta.annotations };
    delete annotations[METADATA_ANNOTATION];
    if (Object.keys(annotations).length > 0)
      meta.annotations = annotations as Record<string, string>;
    else delete meta.annotations;
  }
  if (isJsonObject(crMeta.labels) && Object.keys(crMeta.labels).length === 0) delete meta.labels;
  return { ok: true, value: meta };
}

/** Options of a write. */
export interface CustomResourceWriteOptions {
  /** For an update: the live object's resourceVersion (optimistic concurrency). Omit for a create. */
  resourceVersion?: string;
}

/**
 * The custom resource to send for a canonical object, in the target's CRD mode. Neither mode sends
 * `uid` or (outside the v1 annotation) `creationTimestamp`: the API server assigns both on create,
 * and on update it keeps the stored ones when they are absent but rejects a different uid as a
 * change to an immutable field, which an archived uid from another cluster would be.
 * Throws `InvalidObjectError` for metadata Calico could not encode (a bad owner uid or time).
 */
export function buildCustomResource(
  info: KindInfo,
  resource: CalicoResource,
  target: KddWriteTarget,
  options: CustomResourceWriteOptions = {},
): KddWriteRequest {
  if (resource.kind !== info.kind) {
    throw new InternalError(
      `buildCustomResource: ${resource.kind} object passed for kind ${info.kind}`,
    );
  }
  const paths = crdPathsFor(info, target.mode);
  const isIpam = IPAM_KINDS.has(info.kind);
  const spec = isIpam ? ipamSpecForWrite(resource, target.mode) : resource.spec;
  const labels = isIpam && spec ? ipamLabelsForWrite(resource, spec) : resource.metadata.labels;
  const source: ObjectMeta = { ...resource.metadata };
  if (labels && Object.keys(labels).length > 0) source.labels = labels;
  else delete source.labels;
  const name = target.mode === 'v1' ? v1StorageName(resource, target) : resource.metadata.name;
  const metadata =
    target.mode === 'v1'
      ? v1Metadata(source, name, target, { tiered: TIERED_POLICY_KINDS.has(info.kind), isIpam })
      : v3Metadata(source);
  if (paths.namespaced && resource.metadata.namespace)
    metadata.namespace = resource.metadata.namespace;
  else delete metadata.namespace;
  if (options.resourceVersion) metadata.resourceVersion = options.resourceVersion;
  const body: JsonObject = {
    apiVersion: paths.apiVersion,
    kind: paths.kind,
    metadata: orderCrMeta(metadata),
  };
  if (spec !== undefined) body.spec = spec;
  if (resource.status !== undefined) body.status = resource.status;
  return { name, ...(metadata.namespace ? { namespace: metadata.namespace as string } : {}), body };
}

/** The CR name in v1 mode: policies under the target's naming convention (model/policy-names.ts). */
function v1StorageName(resource: CalicoResource, target: KddWriteTarget): string {
  const tier =
    isJsonObject(resource.spec) && typeof resource.spec.tier === 'string'
      ? resource.spec.tier
      : undefined;
  return storagePolicyName(
    { kind: resource.kind, name: resource.metadata.name, tier },
    target.convention,
  );
}

/**
 * v1 CR metadata (resources.go ConvertCalicoResourceToK8sResource): name, namespace, only the
 * labels Calico owns, and annotations = the metadata annotation plus the annotations Calico owns.
 * IPAM objects are written as the IPAM library writes them, without a creationTimestamp in the
 * annotation (calico-datastore-model.md §2.3).
 */
function v1Metadata(
  source: ObjectMeta,
  name: string,
  target: KddWriteTarget,
  kind: { tiered: boolean; isIpam: boolean },
): JsonObject {
  const annotationValue = encodeMetadataAnnotation(source, {
    keepName: kind.tiered && target.convention.nameAnnotation,
    zeroCreationTimestamp: target.zeroCreationTimestamp,
    dropCreationTimestamp: kind.isIpam,
  });
  const metadata: JsonObject = { name, namespace: source.namespace };
  const labels = filterCalicoOwned(source.labels);
  if (labels) metadata.labels = labels;
  const owned = filterCalicoOwned(source.annotations) ?? {};
  delete owned[METADATA_ANNOTATION];
  metadata.annotations = { [METADATA_ANNOTATION]: annotationValue, ...owned };
  return metadata;
}

/** v3 CR metadata: the canonical metadata minus what the server assigns, without the v1 annotation. */
function v3Metadata(source: ObjectMeta): JsonObject {
  const metadata: JsonObject = { ...source };
  for (const field of [...SERVER_MANAGED_METADATA, 'uid', 'creationTimestamp'])
    delete metadata[field];
  const annotations = { ...source.annotations };
  delete annotations[METADATA_ANNOTATION];
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  return metadata;
}

function orderCrMeta(metadata: JsonObject): JsonObject {
  const { name, namespace, resourceVersion, ...rest } = metadata;
  const out: JsonObject = { name };
  if (namespace !== undefined) out.namespace = namespace;
  if (resourceVersion !== undefined) out.resourceVersion = resourceVersion;
  return { ...out, ...rest };
}
