/**
 * Entry points of the KDD conversion layer: Kubernetes objects <-> canonical objects
 * (docs/canonical-form.md). Pure functions, no I/O: the KDD adapter lists and sends, this layer
 * converts. Calico CRs go through `crd-codec.ts` (IPAM specifics in `ipam-crs.ts`), Calico Nodes
 * through `node-codec.ts` / `node-write.ts`.
 */
import { InternalError } from '../../model/errors.js';
import type { JsonObject, JsonValue } from '../../model/json.js';
import type { KindInfo } from '../../model/kinds.js';
import type { CalicoResource } from '../../model/resource.js';
import type { CrdMode } from '../datastore.js';
import type { KddReadResult, KddWriteRequest, KddWriteTarget } from './codec-types.js';
import type { CustomResourceWriteOptions } from './crd-codec.js';
import { buildCustomResource, readCustomResource } from './crd-codec.js';
import type { NodeReadOptions } from './node-codec.js';
import { readKubernetesNode } from './node-codec.js';
import { mergeCalicoNodeIntoKubernetesNode } from './node-write.js';

export type {
  KddReadOptions,
  KddReadResult,
  KddWriteRequest,
  KddWriteTarget,
  ReadRaw,
  ReadResource,
  ReadSkip,
} from './codec-types.js';
export { kddWriteTargetFor, toListedItem } from './codec-types.js';
export type { CrdPaths } from './crd-paths.js';
export { crdPathsFor, customResourcePath, nodePath, nodeStatusPath } from './crd-paths.js';
export type { CustomResourceWriteOptions } from './crd-codec.js';
export type { NodeReadOptions } from './node-codec.js';

/**
 * Converts one Kubernetes object listed for `info`'s kind: a Calico CR (kinds stored as a Calico
 * CRD, in `mode`) or a core/v1 Node (kind Node; `mode` does not matter). Never throws for bad
 * data (raw entry instead); throws `InternalError` for a kind not stored in either way.
 */
export function readKddObject(
  info: KindInfo,
  mode: CrdMode,
  object: JsonValue,
  options: NodeReadOptions = {},
): KddReadResult {
  if (info.kdd.type === 'crd') return readCustomResource(info, mode, object, options);
  if (info.kind === 'Node') return readKubernetesNode(object, options);
  throw new InternalError(
    `${info.kind} is not read from Kubernetes objects by the KDD codec (${info.kdd.type})`,
  );
}

/**
 * The custom resource to create or update for a canonical object of a CRD-stored kind. For an
 * update pass the live object's resourceVersion. Nodes are not custom resources: use
 * `buildNodeUpdate`.
 */
export function buildKddWrite(
  info: KindInfo,
  resource: CalicoResource,
  target: KddWriteTarget,
  options: CustomResourceWriteOptions = {},
): KddWriteRequest {
  return buildCustomResource(info, resource, target, options);
}

/**
 * The Kubernetes Node to PUT to `nodeStatusPath(name)` for a canonical Calico Node, given the live
 * Node (whose resourceVersion it keeps). Creating or deleting a Calico Node is not possible in KDD
 * (node.go Create/Delete return OperationNotSupported); the caller reports a missing Node.
 */
export function buildNodeUpdate(resource: CalicoResource, liveNode: JsonValue): JsonObject {
  return mergeCalicoNodeIntoKubernetesNode(resource, liveNode);
}
