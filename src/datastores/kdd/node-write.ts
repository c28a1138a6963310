/**
 * Writing a Calico Node into KDD: the live Kubernetes Node with its Calico annotations replaced.
 * The result is sent with PUT to `nodes/<name>/status` (`nodeStatusPath`), carrying the live
 * resourceVersion, as Calico's `UpdateStatus` does (libcalico-go/lib/backend/k8s/resources/node.go
 * Update): the status endpoint accepts metadata changes and ignores spec changes, so nothing but the
 * annotations can change, calico-node's RBAC grants exactly `nodes/status` update ("Calico stores
 * some configuration information in node annotations", charts/calico/templates/calico-node-rbac.yaml),
 * and a concurrent change to the Node is a 409 conflict instead of a lost update.
 */
import { InternalError, InvalidObjectError } from '../../model/errors.js';
import type { JsonObject, JsonValue } from '../../model/json.js';
import { isJsonObject, parseJson } from '../../model/json.js';
import type { CalicoResource } from '../../model/resource.js';
import { GoMap, marshalGoJson } from '../go-json.js';
import { NODE_STRING_FIELDS, NodeAnnotation as A, parseAsNumber } from './node-annotations.js';
import { decodeStringMap } from './object-meta.js';

/**
 * The Kubernetes Node to send for a canonical Calico Node, given the live Node read just before
 * (node.go mergeCalicoNodeIntoK8sNode). Only `projectcalico.org/*` annotations change; the Node's
 * labels and spec are kept. Throws `InvalidObjectError` when the live Node is not a Node of that
 * name or the Calico Node holds values Calico could not write.
 */
export function mergeCalicoNodeIntoKubernetesNode(
  resource: CalicoResource,
  liveNode: JsonValue,
): JsonObject {
  if (resource.kind !== 'Node') throw new InternalError(`not a Node: ${resource.kind}`);
  if (!isJsonObject(liveNode) || !isJsonObject(liveNode.metadata)) {
    throw new InvalidObjectError('the live Kubernetes Node is not an object with metadata');
  }
  if (liveNode.metadata.name !== resource.metadata.name) {
    throw new InvalidObjectError(
      `Calico Node ${resource.metadata.name} cannot be written onto Kubernetes Node ${String(liveNode.metadata.name)}`,
    );
  }
  const node = structuredClone(liveNode);
  const metadata = node.metadata as JsonObject;
  const liveLabels = decodeStringMap(metadata.labels);
  const liveAnnotations = decodeStringMap(metadata.annotations);
  if (!liveLabels.ok || !liveAnnotations.ok) {
    throw new InvalidObjectError('the live Kubernetes Node has non-string labels or annotations');
  }
  const annotations: Record<string, string> = { ...liveAnnotations.value };
  const own = restoreCalicoLabels(resource, liveLabels.value ?? {});
  setJsonAnnotation(annotations, A.Labels, own.labels);
  setJsonAnnotation(annotations, A.Annotations, own.annotations);
  for (const field of NODE_STRING_FIELDS) {
    setAnnotation(annotations, field.annotation, readPath(resource, field.path));
  }
  setAnnotation(
    annotations,
    A.ASNumber,
    asNumberText(readPath(resource, ['spec', 'bgp', 'asNumber'])),
  );
  const interfaces = isJsonObject(resource.spec) ? resource.spec.interfaces : undefined;
  setAnnotation(annotations, A.Interfaces, interfacesText(interfaces));
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  return node;
}

/**
 * The labels and annotations Calico keeps in its own annotations (node.go restoreCalicoLabels):
 * labels listed in `projectcalico.org/kube-labels` were inherited from the Kubernetes Node and are
 * dropped, and the bookkeeping annotation itself is removed. In addition, labels equal (key and
 * value) to a label of the live Kubernetes Node are dropped, so that a Node archived without
 * `kube-labels` does not copy the Kubernetes labels into `projectcalico.org/labels`; reading the
 * Node back gives the same labels either way, as Kubernetes labels take precedence.
 */
function restoreCalicoLabels(
  resource: CalicoResource,
  liveLabels: Record<string, string>,
): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels = { ...resource.metadata.labels };
  const annotations = { ...resource.metadata.annotations };
  const rawKubeLabels = annotations[A.KubeLabels];
  delete annotations[A.KubeLabels];
  if (rawKubeLabels) {
    let inherited;
    try {
      inherited = decodeStringMap(parseJson(rawKubeLabels));
    } catch {
      inherited = undefined;
    }
    if (!inherited?.ok)
      throw new InvalidObjectError(`annotation ${A.KubeLabels} is not a JSON string map`);
    for (const key of Object.keys(inherited.value ?? {})) delete labels[key];
  }
  for (const [key, value] of Object.entries(liveLabels)) {
    if (labels[key] === value) delete labels[key];
  }
  return { labels, annotations };
}

/** resources.go SetK8sAnnotationsFromCalicoMetadata: JSON of a non-empty map, else no annotation. */
function setJsonAnnotation(
  annotations: Record<string, string>,
  key: string,
  map: Record<string, string>,
): void {
  if (Object.keys(map).length > 0) annotations[key] = marshalGoJson(GoMap.of(map));
  else delete annotations[key];
}

/** A non-empty value sets the annotation, an empty or absent one removes it (mergeCalicoNodeIntoK8sNode). */
function setAnnotation(
  annotations: Record<string, string>,
  key: string,
  value: JsonValue | undefined,
): void {
  if (value === undefined || value === null || value === '') {
    delete annotations[key];
    return;
  }
  if (typeof value !== 'string')
    throw new InvalidObjectError(`Node value for ${key} is not a string`);
  annotations[key] = value;
}

function readPath(
  resource: CalicoResource,
  path: readonly (string | undefined)[],
): JsonValue | undefined {
  let current: JsonValue | undefined = resource as unknown as JsonObject;
  for (const segment of path) {
    if (segment === undefined) break;
    if (!isJsonObject(current)) return undefined;
    current = current[segment];
  }
  return current;
}

/** The AS number as `ASNumber.String()` writes it: decimal (a dotted `a.b` string is converted). */
function asNumberText(value: JsonValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const asNumber =
    typeof value === 'number'
      ? value
      : typeof value === 'string'
        ? parseAsNumber(value)
        : undefined;
  if (
    asNumber === undefined ||
    !Number.isInteger(asNumber) ||
    asNumber < 0 ||
    asNumber > 0xffffffff
  ) {
    throw new InvalidObjectError(`spec.bgp.asNumber is not an AS number: ${String(value)}`);
  }
  return String(asNumber);
}

/** `projectcalico.org/Interfaces`: Go's JSON of `[]NodeInterface` (name, addresses; both omitempty). */
function interfacesText(value: JsonValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new InvalidObjectError('spec.interfaces is not an array');
  const interfaces = value.map((item) => {
    if (!isJsonObject(item)) throw new InvalidObjectError('spec.interfaces[] is not an object');
    const out: JsonObject = {};
    if (typeof item.name === 'string' && item.name !== '') out.name = item.name;
    if (Array.isArray(item.addresses) && item.addresses.length > 0) out.addresses = item.addresses;
    return out;
  });
  return marshalGoJson(interfaces);
}
