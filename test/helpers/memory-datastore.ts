/**
 * An in-memory Datastore with the same contract as the real adapters (src/datastores/datastore.ts),
 * for unit tests of pure logic and of the decorators. Integration tests use the real servers.
 */
import type {
  Datastore,
  DatastoreDescription,
  ListedItem,
  Snapshot,
} from '../../src/datastores/datastore.js';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../../src/model/errors.js';
import type { KindInfo } from '../../src/model/kinds.js';
import type { CalicoResource, RawEntry, ResourceRef } from '../../src/model/resource.js';

const keyOf = (ref: ResourceRef) => `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
const clone = <T>(value: T): T => structuredClone(value);
const refKey = (resource: CalicoResource) => keyOf({ kind: resource.kind, ...resource.metadata });

/** A datastore held in a Map; `calls` counts every operation for assertions. */
export class MemoryDatastore implements Datastore {
  readonly objects = new Map<string, CalicoResource>();
  readonly raws = new Map<string, RawEntry>();
  readonly calls: string[] = [];
  private revision = 0;
  /** Makes the next calls fail with these errors, in order (then succeed). */
  failures: Error[] = [];

  constructor(
    private readonly description: DatastoreDescription = {
      type: 'etcdv3',
      endpoints: ['memory://'],
    },
  ) {}

  /** Seeds objects without counting calls. */
  seed(...resources: CalicoResource[]): this {
    for (const resource of resources) this.store(clone(resource));
    return this;
  }

  async describe(): Promise<DatastoreDescription> {
    this.track('describe');
    return this.description;
  }

  async snapshot(): Promise<Snapshot> {
    this.track('snapshot');
    const objects = [...this.objects.values()].map(clone);
    const raws = [...this.raws.values()];
    const revision = String(this.revision);
    return {
      position: () => ({ type: 'etcd', revision }),
      list: async function* (kind: KindInfo): AsyncGenerator<ListedItem> {
        const matching = objects
          .filter((o) => o.kind === kind.kind)
          .sort((a, b) => refKey(a).localeCompare(refKey(b)));
        for (const resource of matching) yield { type: 'resource', resource };
      },
      listUnclaimed: async function* (): AsyncGenerator<ListedItem> {
        for (const raw of raws) yield { type: 'raw', raw };
      },
      skipped: () => ({}),
    };
  }

  async get(ref: ResourceRef): Promise<CalicoResource | undefined> {
    this.track('get');
    const found = this.objects.get(keyOf(ref));
    return found && clone(found);
  }

  async create(resource: CalicoResource): Promise<CalicoResource> {
    this.track('create');
    const ref = { kind: resource.kind, ...resource.metadata };
    if (this.objects.has(keyOf(ref))) throw new AlreadyExistsError(`${keyOf(ref)} exists`);
    return clone(this.store(clone(resource)));
  }

  async createBatch(resources: CalicoResource[]): Promise<(CalicoResource | Error)[]> {
    this.track('createBatch');
    return resources.map((resource) => {
      const ref = { kind: resource.kind, ...resource.metadata };
      if (this.objects.has(keyOf(ref))) return new AlreadyExistsError(`${keyOf(ref)} exists`);
      return clone(this.store(clone(resource)));
    });
  }

  async update(resource: CalicoResource): Promise<CalicoResource> {
    this.track('update');
    const ref = { kind: resource.kind, ...resource.metadata };
    const current = this.objects.get(keyOf(ref));
    if (!current) throw new NotFoundError(`${keyOf(ref)} not found`);
    if (current.metadata.resourceVersion !== resource.metadata.resourceVersion) {
      throw new ConflictError(`${keyOf(ref)} changed`);
    }
    return clone(this.store(clone(resource)));
  }

  async delete(ref: ResourceRef, options?: { resourceVersion?: string }): Promise<void> {
    this.track('delete');
    const current = this.objects.get(keyOf(ref));
    if (!current) throw new NotFoundError(`${keyOf(ref)} not found`);
    if (options?.resourceVersion && options.resourceVersion !== current.metadata.resourceVersion) {
      throw new ConflictError(`${keyOf(ref)} changed`);
    }
    this.objects.delete(keyOf(ref));
  }

  async getRaw(key: string): Promise<Buffer | undefined> {
    this.track('getRaw');
    return this.raws.get(key)?.value;
  }

  async putRaw(raw: RawEntry): Promise<void> {
    this.track('putRaw');
    this.raws.set(raw.key, raw);
  }

  async loadDefaulter(): Promise<(resource: CalicoResource) => CalicoResource> {
    return (resource) => resource;
  }

  async close(): Promise<void> {}

  private track(call: string): void {
    this.calls.push(call);
    const failure = this.failures.shift();
    if (failure) throw failure;
  }

  private store(resource: CalicoResource): CalicoResource {
    resource.metadata.resourceVersion = String(++this.revision);
    this.objects.set(keyOf({ kind: resource.kind, ...resource.metadata }), resource);
    return resource;
  }
}
