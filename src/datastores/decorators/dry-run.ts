/**
 * Dry run around a Datastore: reads pass through, writes are recorded instead of performed. With
 * `validate`, creates and updates are still sent with the backend's own dry run (KDD server-side
 * dry run against the real CRD schemas) so invalid objects are found before the real run.
 */
import type { CalicoResource, RawEntry, ResourceRef } from '../../model/resource.js';
import type { Datastore } from '../datastore.js';

/** A write the dry run did not perform. */
export type RecordedWrite =
  | { operation: 'create' | 'update'; resource: CalicoResource }
  | { operation: 'delete'; ref: ResourceRef }
  | { operation: 'putRaw'; raw: RawEntry };

/** Options of `withDryRun`. */
export interface DryRunOptions {
  /** Ask the backend to validate creates and updates without persisting them. */
  validate: boolean;
  /** Receives every write that was not performed. */
  record?: (write: RecordedWrite) => void;
}

/** Wraps `datastore` so that nothing is written. */
export function withDryRun(datastore: Datastore, options: DryRunOptions): Datastore {
  const record = options.record ?? (() => undefined);
  return {
    describe: () => datastore.describe(),
    snapshot: () => datastore.snapshot(),
    get: (ref, like) => datastore.get(ref, like),
    getRaw: (key) => datastore.getRaw(key),
    async create(resource) {
      record({ operation: 'create', resource });
      return options.validate ? datastore.create(resource, { dryRun: true }) : resource;
    },
    async createBatch(resources) {
      for (const resource of resources) record({ operation: 'create', resource });
      if (!options.validate) return resources;
      return Promise.all(
        resources.map((resource) =>
          datastore.create(resource, { dryRun: true }).catch((error: Error) => error),
        ),
      );
    },
    async update(resource) {
      record({ operation: 'update', resource });
      return options.validate ? datastore.update(resource, { dryRun: true }) : resource;
    },
    async delete(ref) {
      record({ operation: 'delete', ref });
    },
    async putRaw(raw) {
      record({ operation: 'putRaw', raw });
    },
    loadDefaulter: () => datastore.loadDefaulter(),
    close: () => datastore.close(),
  };
}
