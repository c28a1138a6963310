/**
 * The etcd v3 backend: Calico's etcd datastore behind the Datastore interface. Writes are the
 * transactions libcalico-go uses (libcalico-go/lib/backend/etcdv3/etcdv3.go): create = "version
 * == 0 then put", update = "mod_revision == rv then put", so nothing written concurrently by Calico
 * is overwritten blindly.
 */
import type { Etcd3 } from 'etcd3';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../../model/errors.js';
import { findKind } from '../../model/kinds.js';
import { TIERED_POLICY_KINDS } from '../../model/policy-names.js';
import type { CalicoResource, RawEntry, ResourceRef } from '../../model/resource.js';
import { refKey, refOf } from '../../model/resource.js';
import type { Datastore, DatastoreDescription, ListedItem, Snapshot } from '../datastore.js';
import { CLUSTER_INFORMATION_REF, describeClusterInformation } from '../cluster-information.js';
import type { EtcdTarget, EtcdWrite } from './codec.js';
import { decodeEtcdEntry, encodeEtcdEntry, encodeRawEntry, etcdTargetFor } from './codec.js';
import { connectEtcd } from './connect.js';
import { translateEtcdError } from './errors.js';
import { resourceKey } from './keys.js';
import { etcdStoredKeyCandidates } from './stored-keys.js';
import { openEtcdSnapshot } from './etcd-snapshot.js';
import { readCurrentRevision } from './paginate.js';
import type { EtcdSettings } from './settings.js';

/** Options of `openEtcdDatastore`. */
export interface EtcdDatastoreOptions {
  /**
   * Calico version to write for when the datastore has no ClusterInformation yet (for example
   * the source's version during a disaster-recovery restore into an empty etcd).
   */
  fallbackCalicoVersion?: string;
  /** Keys per range page (default `DEFAULT_PAGE_SIZE`, 1000). */
  pageSize?: number;
}

/** Connects to etcd; nothing is sent until the first call. */
export function openEtcdDatastore(
  settings: EtcdSettings,
  options: EtcdDatastoreOptions = {},
): Datastore {
  return new EtcdDatastore(connectEtcd(settings), settings.endpoints, options);
}

/** Puts per transaction: etcd allows 128 operations, and the compares count against it too. */
const MAX_TXN_PUTS = 64;
/** Bytes of keys and values per transaction, under etcd's 1.5 MiB request limit. */
const MAX_TXN_BYTES = 1024 * 1024;

class EtcdDatastore implements Datastore {
  /** Keys of objects found under a key other than the one the target's version would use. */
  private readonly storedKeys = new Map<string, string>();
  private target?: Promise<EtcdTarget>;

  constructor(
    private readonly client: Etcd3,
    private readonly endpoints: readonly string[],
    private readonly options: EtcdDatastoreOptions,
  ) {}

  async describe(): Promise<DatastoreDescription> {
    const info = describeClusterInformation(await this.readClusterInformation());
    return { type: 'etcdv3', endpoints: [...this.endpoints], ...info };
  }

  async snapshot(): Promise<Snapshot> {
    const revision = await readCurrentRevision(this.client, this.endpoints);
    return openEtcdSnapshot({
      client: this.client,
      endpoints: this.endpoints,
      revision,
      pageSize: this.options.pageSize,
      onStoredKey: (item, key) => this.rememberStoredKey(item, key),
    });
  }

  async get(ref: ResourceRef, like?: CalicoResource): Promise<CalicoResource | undefined> {
    const target = await this.writeTarget();
    for (const key of this.candidateKeys(ref, target, like)) {
      const item = await this.read(key);
      if (item?.type === 'resource' && sameObject(item.resource, ref)) {
        this.rememberStoredKey(item, key);
        return item.resource;
      }
    }
    return undefined;
  }

  async create(resource: CalicoResource): Promise<CalicoResource> {
    return this.createWrite(encodeEtcdEntry(resource, await this.writeTarget()));
  }

  /**
   * One transaction "every key absent, then put them all" (etcd caps a transaction at 128
   * operations and a request at 1.5 MiB: --max-txn-ops, --max-request-bytes). If any key exists
   * the transaction changes nothing and each object is created on its own instead.
   */
  async createBatch(resources: CalicoResource[]): Promise<(CalicoResource | Error)[]> {
    const target = await this.writeTarget();
    const writes = resources.map((resource) => encodeEtcdEntry(resource, target));
    const bytes = writes.reduce((sum, write) => sum + write.key.length + write.value.length, 0);
    if (writes.length > 1 && writes.length <= MAX_TXN_PUTS && bytes <= MAX_TXN_BYTES) {
      const result = await this.transact(() => {
        let txn = this.client.if(writes[0]!.key, 'Version', '==', 0);
        for (const write of writes.slice(1)) txn = txn.and(write.key, 'Version', '==', 0);
        return txn
          .then(...writes.map((write) => this.client.put(write.key).value(write.value)))
          .commit();
      });
      if (result.succeeded) {
        return writes.map((write) =>
          this.stored(write.key, write.value, String(result.header.revision)),
        );
      }
    }
    return Promise.all(
      writes.map((write) => this.createWrite(write).catch((error: Error) => error)),
    );
  }

  async update(resource: CalicoResource): Promise<CalicoResource> {
    const target = await this.writeTarget();
    const write = encodeEtcdEntry(resource, target);
    const key = this.storedKeys.get(refKey(refOf(resource))) ?? write.key;
    const revision = resource.metadata.resourceVersion ?? '0';
    const result = await this.transact(() =>
      this.client
        .if(key, 'Mod', '==', revision)
        .then(this.client.put(key).value(write.value))
        .else(this.client.get(key))
        .commit(),
    );
    if (!result.succeeded) {
      const exists = result.responses[0]?.response_range?.kvs.length;
      if (!exists) throw new NotFoundError(`${key} does not exist in etcd`);
      throw new ConflictError(`${key} changed in etcd since it was read (revision ${revision})`);
    }
    return this.stored(key, write.value, String(result.header.revision));
  }

  async delete(ref: ResourceRef, options: { resourceVersion?: string } = {}): Promise<void> {
    const target = await this.writeTarget();
    const [key] = this.candidateKeys(ref, target);
    if (!key) throw new NotFoundError(`cannot locate ${ref.kind} ${ref.name} in etcd`);
    const compare = options.resourceVersion;
    const result = await this.transact(() =>
      (compare ? this.client.if(key, 'Mod', '==', compare) : this.client.if(key, 'Version', '>', 0))
        .then(this.client.delete().key(key))
        .commit(),
    );
    if (!result.succeeded) throw new ConflictError(`${key} is missing or changed in etcd`);
  }

  async getRaw(key: string): Promise<Buffer | undefined> {
    const response = await this.transact(() => this.client.kv.range({ key: Buffer.from(key) }));
    return response.kvs[0]?.value;
  }

  async putRaw(raw: RawEntry): Promise<void> {
    const { key, value } = encodeRawEntry(raw);
    const result = await this.transact(() =>
      this.client.if(key, 'Version', '==', 0).then(this.client.put(key).value(value)).commit(),
    );
    if (!result.succeeded) throw new AlreadyExistsError(`${key} already exists in etcd`);
  }

  /** clientv3 stores objects as given: no defaults to account for. */
  async loadDefaulter(): Promise<(resource: CalicoResource) => CalicoResource> {
    return (resource) => resource;
  }

  async close(): Promise<void> {
    this.client.close();
  }

  /** The formats to write: the datastore's own Calico version, else the fallback. */
  private writeTarget(): Promise<EtcdTarget> {
    this.target ??= this.readClusterInformation().then((resource) =>
      etcdTargetFor(
        describeClusterInformation(resource).calicoVersion ?? this.options.fallbackCalicoVersion,
      ),
    );
    return this.target;
  }

  /** ClusterInformation is not a policy or IPAM object, so its key needs no write target. */
  private async readClusterInformation(): Promise<CalicoResource | undefined> {
    const key = resourceKey(findKind('ClusterInformation')!, CLUSTER_INFORMATION_REF.name);
    const item = await this.read(key);
    return item?.type === 'resource' ? item.resource : undefined;
  }

  private candidateKeys(ref: ResourceRef, target: EtcdTarget, like?: CalicoResource): string[] {
    const remembered = this.storedKeys.get(refKey(ref));
    const candidates = etcdStoredKeyCandidates(ref, target, like);
    return remembered
      ? [remembered, ...candidates.filter((key) => key !== remembered)]
      : candidates;
  }

  private async read(key: string): Promise<ListedItem | undefined> {
    const response = await this.transact(() => this.client.kv.range({ key: Buffer.from(key) }));
    const kv = response.kvs[0];
    return kv && decodeEtcdEntry(key, kv.value, String(kv.mod_revision));
  }

  /** Writes an encoded object if its key is free. */
  private async createWrite(write: EtcdWrite): Promise<CalicoResource> {
    const result = await this.transact(() =>
      this.client
        .if(write.key, 'Version', '==', 0)
        .then(this.client.put(write.key).value(write.value))
        .commit(),
    );
    if (!result.succeeded) throw new AlreadyExistsError(`${write.key} already exists in etcd`);
    return this.stored(write.key, write.value, String(result.header.revision));
  }

  private stored(key: string, value: string, revision: string): CalicoResource {
    const item = decodeEtcdEntry(key, Buffer.from(value), revision);
    if (item.type !== 'resource')
      throw new Error(`wrote ${key} but cannot read it back: ${item.raw.reason}`);
    return item.resource;
  }

  private rememberStoredKey(item: ListedItem, key: string): void {
    if (item.type !== 'resource' || !TIERED_POLICY_KINDS.has(item.resource.kind)) return;
    if (key.endsWith(`/${item.resource.metadata.name}`)) return;
    this.storedKeys.set(refKey(refOf(item.resource)), key);
  }

  private async transact<R>(call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (error) {
      throw translateEtcdError(error, this.endpoints);
    }
  }
}

function sameObject(resource: CalicoResource, ref: ResourceRef): boolean {
  return (
    resource.kind === ref.kind &&
    resource.metadata.name === ref.name &&
    (resource.metadata.namespace ?? '') === (ref.namespace ?? '')
  );
}
