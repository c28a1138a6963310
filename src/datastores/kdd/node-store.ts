/**
 * Calico Node data on Kubernetes Nodes. In KDD a Calico Node is not an object of its own: it is
 * the `projectcalico.org/*` annotations of the Kubernetes Node of the same name, and it can be
 * neither created nor deleted (libcalico-go/lib/backend/k8s/resources/node.go: Create and Delete
 * return OperationNotSupported). "Creating" one means writing those annotations onto a Node that
 * has none yet; a Calico node whose Kubernetes Node does not exist cannot be restored.
 */
import {
  AlreadyExistsError,
  ConflictError,
  InternalError,
  UnsupportedOperationError,
} from '../../model/errors.js';
import type { JsonObject, JsonValue } from '../../model/json.js';
import { isJsonObject } from '../../model/json.js';
import type { CalicoResource } from '../../model/resource.js';
import type { WriteOptions } from '../datastore.js';
import { buildNodeUpdate, nodePath, nodeStatusPath } from './codec.js';
import { readKubernetesNode } from './node-codec.js';
import type { KubeClient } from './http-client.js';

/** A Kubernetes Node and the Calico Node read from it. */
export interface StoredNode {
  object: JsonObject;
  resource: CalicoResource;
}

/** Reads a Kubernetes Node and its Calico data; `undefined` if there is no such Node. */
export async function readNode(client: KubeClient, name: string): Promise<StoredNode | undefined> {
  const object = await client.read(nodePath(name));
  if (!isJsonObject(object)) return undefined;
  const result = readKubernetesNode(object);
  if (result.type !== 'resource')
    throw new InternalError(
      `cannot read Kubernetes Node ${name}: ${result.type === 'raw' ? result.raw.reason : result.reason}`,
    );
  return { object, resource: result.resource };
}

/** Whether a Kubernetes Node already carries Calico node data (any `projectcalico.org/` annotation). */
export function hasCalicoNodeData(node: JsonValue): boolean {
  const annotations =
    isJsonObject(node) && isJsonObject(node.metadata) ? node.metadata.annotations : undefined;
  return (
    isJsonObject(annotations) &&
    Object.keys(annotations).some((key) => key.startsWith('projectcalico.org/'))
  );
}

/** Writes Calico data onto a Kubernetes Node that has none yet. */
export async function createNodeData(
  client: KubeClient,
  resource: CalicoResource,
  options: WriteOptions,
): Promise<CalicoResource> {
  const live = await readNode(client, resource.metadata.name);
  if (!live) {
    throw new UnsupportedOperationError(
      `Calico node ${resource.metadata.name} has no Kubernetes Node of that name; in KDD Calico node data can only live on an existing Kubernetes Node`,
      'join the node to the Kubernetes cluster first, or map it to its Kubernetes name with --node-map',
    );
  }
  if (hasCalicoNodeData(live.object))
    throw new AlreadyExistsError(
      `Kubernetes Node ${resource.metadata.name} already has Calico data`,
    );
  return putNode(client, resource, live.object, options);
}

/** Replaces the Calico data of a Kubernetes Node; the resourceVersion must be the one last read. */
export async function updateNodeData(
  client: KubeClient,
  resource: CalicoResource,
  options: WriteOptions,
): Promise<CalicoResource> {
  const live = await readNode(client, resource.metadata.name);
  if (!live)
    throw new UnsupportedOperationError(
      `Kubernetes Node ${resource.metadata.name} no longer exists`,
    );
  const expected = resource.metadata.resourceVersion;
  if (expected && expected !== live.resource.metadata.resourceVersion) {
    throw new ConflictError(`Kubernetes Node ${resource.metadata.name} changed since it was read`);
  }
  return putNode(client, resource, live.object, options);
}

async function putNode(
  client: KubeClient,
  resource: CalicoResource,
  live: JsonObject,
  options: WriteOptions,
): Promise<CalicoResource> {
  const response = await client.send({
    method: 'PUT',
    path: nodeStatusPath(resource.metadata.name),
    query: { dryRun: options.dryRun ? 'All' : undefined },
    body: buildNodeUpdate(resource, live),
  });
  const result = readKubernetesNode(response.body ?? null);
  if (result.type !== 'resource')
    throw new InternalError(`cannot read back Kubernetes Node ${resource.metadata.name}`);
  return result.resource;
}
