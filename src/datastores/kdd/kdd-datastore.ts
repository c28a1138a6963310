/**
 * The Kubernetes API datastore backend: Calico CRs (v1 or v3 CRD mode) and Kubernetes Nodes behind
 * the Datastore interface. Writes are the calls Calico's KDD backend makes
 * (libcalico-go/lib/backend/k8s/resources/customresource.go, node.go): POST to create, PUT with
 * the live resourceVersion to update, PUT nodes/<name>/status for Calico Node data.
 */
import { InternalError, NotFoundError, UnsupportedOperationError } from '../../model/errors.js';
import type { JsonObject } from '../../model/json.js';
import type { KindInfo } from '../../model/kinds.js';
import { findKind, isKddStorable } from '../../model/kinds.js';
import { TIERED_POLICY_KINDS } from '../../model/policy-names.js';
import type { CalicoResource, RawEntry, ResourceRef } from '../../model/resource.js';
import { describeRef, refKey, refOf } from '../../model/resource.js';
import { CLUSTER_INFORMATION_REF, describeClusterInformation } from '../cluster-information.js';
import type {
  CrdMode,
  Datastore,
  DatastoreDescription,
  Snapshot,
  WriteOptions,
} from '../datastore.js';
import type { KddReadResult, KddWriteTarget } from './codec.js';
import {
  buildKddWrite,
  crdPathsFor,
  customResourcePath,
  kddWriteTargetFor,
  readKddObject,
} from './codec.js';
import type { Defaulter } from './crd-defaults.js';
import { loadCrdDefaulter } from './crd-defaults.js';
import { checkCalicoCrds, detectCrdMode } from './discovery.js';
import { KubeClient } from './http-client.js';
import { openKddSnapshot } from './kdd-snapshot.js';
import { loadKubeConfig } from './kubeconfig.js';
import { createNodeData, hasCalicoNodeData, readNode, updateNodeData } from './node-store.js';
import type { KubernetesSettings } from './settings.js';

/** Options of `openKddDatastore`. */
export interface KddDatastoreOptions {
  /** Concurrent connections to the API server (default 64). */
  maxSockets?: number;
  /** Objects per LIST page (default 500). */
  pageSize?: number;
  /** Calico version to write for when the cluster has no ClusterInformation yet. */
  fallbackCalicoVersion?: string;
}

/** Connects, detects the CRD mode and checks that the Calico CRDs are installed. */
export async function openKddDatastore(
  settings: KubernetesSettings,
  options: KddDatastoreOptions = {},
): Promise<Datastore> {
  const client = await KubeClient.create(loadKubeConfig(settings), options.maxSockets);
  try {
    const mode = settings.crdMode === 'auto' ? await detectCrdMode(client) : settings.crdMode;
    await checkCalicoCrds(client, mode);
    return new KddDatastore(client, mode, options);
  } catch (error) {
    client.close();
    throw error;
  }
}

/**
 * Query of a create or update. `fieldValidation=Ignore` skips the API server's unknown-field
 * detection (about 15% of its CPU per write here): the default, Warn, prunes the same fields and
 * only adds a warning header nobody reads, and verification reports a pruned field as a difference.
 */
function writeQuery(options: WriteOptions): Record<string, string | undefined> {
  return { dryRun: options.dryRun ? 'All' : undefined, fieldValidation: 'Ignore' };
}

class KddDatastore implements Datastore {
  /** CR names that differ from canonical names (old `default.` policies), learned on read. */
  private readonly storedNames = new Map<string, string>();
  /** Soft-deleted IPAM CRs (resourceVersion): a create replaces them. */
  private readonly softDeleted = new Map<string, string>();
  private target?: Promise<KddWriteTarget>;

  constructor(
    private readonly client: KubeClient,
    private readonly mode: CrdMode,
    private readonly options: KddDatastoreOptions,
  ) {}

  async describe(): Promise<DatastoreDescription> {
    const info = describeClusterInformation(await this.get(CLUSTER_INFORMATION_REF));
    return { type: 'kubernetes', endpoints: [this.client.server], crdMode: this.mode, ...info };
  }

  async snapshot(): Promise<Snapshot> {
    return openKddSnapshot({
      client: this.client,
      mode: this.mode,
      pageSize: this.options.pageSize,
      onRead: (result) => this.remember(result),
    });
  }

  async get(ref: ResourceRef): Promise<CalicoResource | undefined> {
    const kind = this.kindOf(ref);
    if (kind.kind === 'Node') {
      const node = await readNode(this.client, ref.name);
      return node && hasCalicoNodeData(node.object) ? node.resource : undefined;
    }
    if (kind.kdd.type !== 'crd') return undefined;
    const paths = crdPathsFor(kind, this.mode);
    for (const name of this.candidateNames(ref)) {
      const object = await this.client.read(customResourcePath(paths, name, ref.namespace));
      if (object === undefined) continue;
      const result = readKddObject(kind, this.mode, object);
      this.remember(result);
      if (result.type === 'resource' && result.resource.metadata.name === ref.name)
        return result.resource;
    }
    return undefined;
  }

  async create(resource: CalicoResource, options: WriteOptions = {}): Promise<CalicoResource> {
    const kind = this.writableKind(resource);
    if (kind.kind === 'Node') return createNodeData(this.client, resource, options);
    const replaced = this.softDeleted.get(refKey(refOf(resource)));
    if (replaced)
      return this.update(
        { ...resource, metadata: { ...resource.metadata, resourceVersion: replaced } },
        options,
      );
    const write = buildKddWrite(kind, resource, await this.writeTarget());
    const paths = crdPathsFor(kind, this.mode);
    const response = await this.client
      .send({
        method: 'POST',
        path: customResourcePath(paths, undefined, write.namespace),
        query: writeQuery(options),
        body: write.body,
      })
      .catch((error: unknown) => {
        // A namespaced CR cannot be created in a namespace Kubernetes does not have.
        if (error instanceof NotFoundError && write.namespace) {
          throw new NotFoundError(
            `namespace ${write.namespace} does not exist in the Kubernetes cluster ${this.client.server}; create it and run the import again`,
            'create the namespace, then run the import again (it resumes where it stopped)',
            { cause: error },
          );
        }
        throw error;
      });
    return this.readBack(
      kind,
      await this.writeStatus(kind, resource, response.body as JsonObject, options),
    );
  }

  /**
   * The API server ignores `status` on the main resource of a CRD with a status subresource
   * (IPPool, Tier, KubeControllersConfiguration, CalicoNodeStatus); it is written with a second
   * PUT to `<object>/status`, only when asked (`--restore-status`).
   */
  private async writeStatus(
    kind: KindInfo,
    resource: CalicoResource,
    stored: JsonObject,
    options: WriteOptions,
  ): Promise<JsonObject> {
    if (!options.status || !kind.hasStatus || resource.status === undefined || options.dryRun)
      return stored;
    const metadata = stored.metadata as JsonObject;
    const response = await this.client.send({
      method: 'PUT',
      path: `${customResourcePath(crdPathsFor(kind, this.mode), String(metadata.name), resource.metadata.namespace)}/status`,
      body: { ...stored, status: resource.status },
    });
    return response.body as JsonObject;
  }

  /** The API server has no batch create: one request per object. */
  async createBatch(
    resources: CalicoResource[],
    options: WriteOptions = {},
  ): Promise<(CalicoResource | Error)[]> {
    return Promise.all(
      resources.map((resource) => this.create(resource, options).catch((error: Error) => error)),
    );
  }

  async update(resource: CalicoResource, options: WriteOptions = {}): Promise<CalicoResource> {
    const kind = this.writableKind(resource);
    if (kind.kind === 'Node') return updateNodeData(this.client, resource, options);
    const write = buildKddWrite(kind, resource, await this.writeTarget(), {
      resourceVersion: resource.metadata.resourceVersion,
    });
    const name = this.storedNames.get(refKey(refOf(resource))) ?? write.name;
    (write.body.metadata as JsonObject).name = name;
    const response = await this.client.send({
      method: 'PUT',
      path: customResourcePath(crdPathsFor(kind, this.mode), name, write.namespace),
      query: writeQuery(options),
      body: write.body,
    });
    this.softDeleted.delete(refKey(refOf(resource)));
    return this.readBack(
      kind,
      await this.writeStatus(kind, resource, response.body as JsonObject, options),
    );
  }

  async delete(ref: ResourceRef, options: { resourceVersion?: string } = {}): Promise<void> {
    const kind = this.kindOf(ref);
    if (kind.kdd.type !== 'crd')
      throw new UnsupportedOperationError(`${describeRef(ref)} cannot be deleted in KDD`);
    const name = this.storedNames.get(refKey(ref)) ?? ref.name;
    await this.client.send({
      method: 'DELETE',
      path: customResourcePath(crdPathsFor(kind, this.mode), name, ref.namespace),
      body: options.resourceVersion
        ? { preconditions: { resourceVersion: options.resourceVersion } }
        : undefined,
    });
  }

  async getRaw(): Promise<Buffer | undefined> {
    return undefined;
  }

  async putRaw(raw: RawEntry): Promise<void> {
    throw new UnsupportedOperationError(
      `raw ${raw.source} entry ${raw.key} cannot be written into KDD`,
    );
  }

  loadDefaulter(): Promise<Defaulter> {
    return loadCrdDefaulter(this.client, this.mode);
  }

  async close(): Promise<void> {
    this.client.close();
  }

  private writeTarget(): Promise<KddWriteTarget> {
    this.target ??= this.get(CLUSTER_INFORMATION_REF).then((info) =>
      kddWriteTargetFor(
        this.mode,
        describeClusterInformation(info).calicoVersion ?? this.options.fallbackCalicoVersion,
      ),
    );
    return this.target;
  }

  private kindOf(ref: ResourceRef): KindInfo {
    const kind = findKind(ref.kind);
    if (!kind) throw new UnsupportedOperationError(`unknown kind ${ref.kind}`);
    return kind;
  }

  /** Kinds KDD can store: Calico CRDs and Calico Node data on Kubernetes Nodes. */
  private writableKind(resource: CalicoResource): KindInfo {
    const kind = this.kindOf(refOf(resource));
    if (isKddStorable(kind)) return kind;
    throw new UnsupportedOperationError(
      `${describeRef(refOf(resource))} cannot be stored in KDD: ${kind.kdd.type === 'derived' ? `KDD derives it from ${kind.kdd.source}` : 'no KDD storage'}`,
    );
  }

  private candidateNames(ref: ResourceRef): string[] {
    const remembered = this.storedNames.get(refKey(ref));
    const names = [remembered, ref.name];
    if (TIERED_POLICY_KINDS.has(ref.kind) && this.mode === 'v1') names.push(`default.${ref.name}`);
    return [...new Set(names.filter((name): name is string => name !== undefined))];
  }

  private readBack(kind: KindInfo, body: JsonObject): CalicoResource {
    const result = readKddObject(kind, this.mode, body);
    this.remember(result);
    if (result.type !== 'resource')
      throw new InternalError(`the API server returned an unreadable ${kind.kind}`);
    return result.resource;
  }

  private remember(result: KddReadResult): void {
    if (result.type === 'resource' && result.storedName !== result.resource.metadata.name) {
      this.storedNames.set(refKey(refOf(result.resource)), result.storedName);
    }
    if (result.type === 'skip' && result.ref)
      this.softDeleted.set(refKey(result.ref), result.resourceVersion ?? '');
  }
}
