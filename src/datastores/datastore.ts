/**
 * The one interface both backends implement. Everything above `datastores/` (export, import,
 * verify, migrate) talks to a `Datastore` and sees only canonical `projectcalico.org/v3` objects;
 * only the adapters know etcd keys or Kubernetes objects. Rate limiting, retries and dry-run are
 * decorators around this interface (`datastores/decorators/`).
 *
 * Errors: adapters raise only the typed errors of `model/errors.ts`:
 * - `NotFoundError` from `get` is never raised: a missing object is `undefined`;
 * - `AlreadyExistsError` from `create`, `ConflictError` from `update` and `delete` when the
 *   resourceVersion no longer matches, `NotFoundError` from `update` and `delete`;
 * - `InvalidObjectError` when the server rejects an object, `UnsupportedOperationError` when the
 *   backend cannot hold it (for example a Node with no Kubernetes Node in KDD);
 * - `DatastoreUnavailableError`, `DatastoreTimeoutError`, `ThrottledError`, `ServerError`
 *   (retryable), `TlsError`, `AuthError`, `MissingCrdsError`, `RevisionCompactedError`.
 */
import type { KindInfo } from '../model/kinds.js';
import type { CalicoResource, RawEntry, ResourceRef } from '../model/resource.js';

/** The two Calico datastore types, named as calicoctl's `DATASTORE_TYPE` names them. */
export const DatastoreType = { Etcd: 'etcdv3', Kubernetes: 'kubernetes' } as const;
export type DatastoreType = (typeof DatastoreType)[keyof typeof DatastoreType];

/** The storage mode of the Kubernetes API datastore (calico-datastore-model.md §8.1). */
export const CrdMode = { V1: 'v1', V3: 'v3' } as const;
export type CrdMode = (typeof CrdMode)[keyof typeof CrdMode];

/** What a datastore is, without credentials: recorded in archive manifests and reports. */
export interface DatastoreDescription {
  type: DatastoreType;
  /** etcd endpoints, or the Kubernetes API server URL. */
  endpoints: string[];
  /** KDD only: the CRD mode in use. */
  crdMode?: CrdMode;
  /** From ClusterInformation `default`, when present. */
  calicoVersion?: string;
  clusterGUID?: string;
  /** Whether ClusterInformation says `datastoreReady: false` (the migration lock). */
  locked?: boolean;
}

/** One item of a listing: a canonical object, or stored data that has no canonical form. */
export type ListedItem =
  | {
      type: 'resource';
      resource: CalicoResource;
      /** The stored key and bytes, when the backend has them (to keep the object raw if needed). */
      stored?: Omit<RawEntry, 'reason'>;
      /**
       * The place exists but holds no Calico data yet: a Kubernetes Node without Calico
       * annotations. Writing Calico data to it is a create.
       */
      vacant?: boolean;
    }
  | { type: 'raw'; raw: RawEntry };

/** A consistent read view of a datastore (see `Datastore.snapshot`). */
export interface Snapshot {
  /**
   * Where the view stands: for etcd the one revision every list is pinned to; for KDD the list
   * resourceVersion of each plural listed so far.
   */
  position(): SnapshotPosition;
  /**
   * Streams every stored object of a kind in canonical form, in a stable order. Memory stays flat:
   * objects are fetched page by page. Data under the kind's storage that cannot be converted is
   * yielded as a raw item, never dropped.
   */
  list(kind: KindInfo): AsyncIterable<ListedItem>;
  /**
   * Streams what the datastore holds beyond the listed kinds: stored entries no kind claims
   * (kept as raw items) and a count of runtime data that is skipped on purpose.
   */
  listUnclaimed(): AsyncIterable<ListedItem>;
  /** Counts of stored entries skipped on purpose (for example etcd `/calico/felix/` status keys). */
  skipped(): Record<string, number>;
}

/** Where a snapshot stands; recorded in the archive manifest. */
export type SnapshotPosition =
  { type: 'etcd'; revision: string } | { type: 'kdd'; resourceVersions: Record<string, string> };

/** Options of a write. */
export interface WriteOptions {
  /** Validate only (KDD server-side dry run); nothing is persisted. */
  dryRun?: boolean;
  /** Also write `status` where the backend keeps it apart (KDD status subresources). */
  status?: boolean;
}

/** A Calico datastore holding canonical objects. */
export interface Datastore {
  /** Backend type, endpoints, CRD mode, Calico version and lock state. */
  describe(): Promise<DatastoreDescription>;
  /** Opens a consistent read view for export and verification. */
  snapshot(): Promise<Snapshot>;
  /**
   * Reads one object; `undefined` when it does not exist. The result carries
   * `metadata.resourceVersion`. `like` is the object as the caller knows it (for example from an
   * archive): backends whose storage key depends on the spec (etcd IPAM keys) locate it with that.
   */
  get(ref: ResourceRef, like?: CalicoResource): Promise<CalicoResource | undefined>;
  /** Creates an object that must not exist yet; returns it as stored (with its resourceVersion). */
  create(resource: CalicoResource, options?: WriteOptions): Promise<CalicoResource>;
  /**
   * Creates several objects in as few requests as the backend allows (etcd: one transaction of
   * create-if-absent puts); each result is the stored object or the error for that object
   * (`AlreadyExistsError` when it exists). Backends without batching create one by one.
   */
  createBatch(
    resources: CalicoResource[],
    options?: WriteOptions,
  ): Promise<(CalicoResource | Error)[]>;
  /** Replaces an object; `metadata.resourceVersion` must be the one last read. */
  update(resource: CalicoResource, options?: WriteOptions): Promise<CalicoResource>;
  /** Deletes an object; with a resourceVersion, only if it is unchanged. */
  delete(ref: ResourceRef, options?: { resourceVersion?: string }): Promise<void>;
  /** The bytes stored at a raw entry's key, `undefined` if none (backends without raw keys: always). */
  getRaw(key: string): Promise<Buffer | undefined>;
  /** Writes a raw entry read from the same backend type back byte for byte, if its key is free (etcd only). */
  putRaw(raw: RawEntry): Promise<void>;
  /**
   * How the backend completes an object it stores (KDD: the CRD schemas' defaults), so that a
   * comparison does not mistake a server-filled default for a difference. Identity if none.
   */
  loadDefaulter(): Promise<(resource: CalicoResource) => CalicoResource>;
  /** Releases connections. */
  close(): Promise<void>;
}
