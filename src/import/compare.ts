/**
 * What "the same object" means for a given target. An archived object and a stored one are
 * compared in their comparable form: canonical, without server-managed metadata, and without the
 * fields the target cannot hold or assigns itself. Planning (unchanged vs conflict) and
 * verification (matched vs different) use this one definition, so a re-run converges exactly
 * when verification passes.
 */
import { createHash } from 'node:crypto';
import type { CrdMode, DatastoreType } from '../datastores/datastore.js';
import type { JsonObject, JsonValue } from '../model/json.js';
import { isJsonObject, stringifySorted } from '../model/json.js';
import { findKind } from '../model/kinds.js';
import { stripForComparison } from '../model/normalize.js';
import type { CalicoResource } from '../model/resource.js';

/** What the target can hold. */
export interface TargetProfile {
  type: DatastoreType;
  crdMode?: CrdMode;
  /** Status is written (KDD: through the status subresource) and compared. */
  restoreStatus: boolean;
  /** Fills the defaults the target adds when it stores an object (Datastore.loadDefaulter). */
  defaults?: (resource: CalicoResource) => CalicoResource;
}

/** Node fields KDD derives from the Kubernetes Node instead of storing (k8s/resources/node.go). */
const KDD_DERIVED_NODE_SPEC = ['orchRefs', 'addresses'];
/** Annotation KDD synthesizes on read from the Kubernetes labels (node.go). */
const KUBE_LABELS_ANNOTATION = 'projectcalico.org/kube-labels';

/** The form in which `resource` is compared against objects of `profile`'s target. */
export function comparableForm(resource: CalicoResource, profile: TargetProfile): CalicoResource {
  // uid and creationTimestamp are recorded facts, not content: KDD assigns its own, and an object
  // restored earlier or created by Calico itself carries other ones (docs/canonical-form.md).
  const form = structuredClone(
    stripForComparison(profile.defaults ? profile.defaults(resource) : resource),
  );
  if (form.kind === 'ClusterInformation' && form.spec) {
    // The migration lock is managed by lock/unlock, never by import (calicoctl migrate lock.go).
    delete form.spec.datastoreReady;
  }
  if (profile.type === 'etcdv3' && findKind(form.kind)?.etcd.type === 'ipam') {
    // IPAM model JSON in etcd has no metadata at all (libcalico-go/lib/backend/model/block.go).
    form.metadata = { name: form.metadata.name };
  }
  if (profile.type === 'kubernetes') {
    if (!profile.restoreStatus || form.kind === 'Node') delete form.status;
    if (form.kind === 'Node') reduceKddNode(form);
  }
  return form;
}

/**
 * In KDD a Calico Node's labels are the Kubernetes Node's labels plus Calico's own: the labels
 * listed in `projectcalico.org/kube-labels` belong to Kubernetes (kube-controllers copied them
 * into the etcd Node, kube-controllers/pkg/controllers/node/labels.go) and are neither written nor
 * compared; the Calico-only labels are.
 */
function reduceKddNode(node: CalicoResource): void {
  for (const field of KDD_DERIVED_NODE_SPEC) delete node.spec?.[field];
  const { annotations, labels } = node.metadata;
  const kubeLabels = parseKubeLabels(annotations?.[KUBE_LABELS_ANNOTATION]);
  if (labels) {
    for (const key of kubeLabels) delete labels[key];
    if (Object.keys(labels).length === 0) delete node.metadata.labels;
  }
  if (annotations) {
    delete annotations[KUBE_LABELS_ANNOTATION];
    if (Object.keys(annotations).length === 0) delete node.metadata.annotations;
  }
}

function parseKubeLabels(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? Object.keys(parsed) : [];
  } catch {
    return [];
  }
}

/** A digest of the comparable form: equal digests mean equal objects for this target. */
export function comparableDigest(resource: CalicoResource, profile: TargetProfile): string {
  return createHash('sha256')
    .update(stringifySorted(comparableForm(resource, profile)))
    .digest('hex');
}

/** One field that differs: a JSON path and both values (`undefined` = absent). */
export interface FieldDifference {
  path: string;
  archive: JsonValue | undefined;
  target: JsonValue | undefined;
}

/** The field-level differences between an archived and a stored object, for `profile`'s target. */
export function diffObjects(
  archived: CalicoResource,
  stored: CalicoResource,
  profile: TargetProfile,
): FieldDifference[] {
  const differences: FieldDifference[] = [];
  walk(
    comparableForm(archived, profile) as JsonObject,
    comparableForm(stored, profile) as JsonObject,
    '',
    differences,
  );
  return differences;
}

function walk(
  a: JsonValue | undefined,
  b: JsonValue | undefined,
  path: string,
  out: FieldDifference[],
): void {
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) walk(a[key], b[key], `${path}.${key}`, out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, index) => walk(item, b[index], `${path}[${index}]`, out));
    return;
  }
  if (stringifySorted(a) !== stringifySorted(b))
    out.push({ path: path.slice(1) || '.', archive: a, target: b });
}
