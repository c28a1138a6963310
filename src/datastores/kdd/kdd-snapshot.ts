/**
 * A read view of the Kubernetes API datastore. Kubernetes has no cross-resource snapshot, so each
 * kind is one paged LIST, and the view records each list's resourceVersion for the manifest.
 */
import type { KindInfo } from '../../model/kinds.js';
import type { ListedItem, Snapshot, SnapshotPosition } from '../datastore.js';
import type { CrdMode } from '../datastore.js';
import type { KddReadResult } from './codec.js';
import { crdPathsFor, customResourcePath, nodePath, readKddObject, toListedItem } from './codec.js';
import { listDerivedObjects } from './derived-lists.js';
import type { KubeClient } from './http-client.js';
import { hasCalicoNodeData } from './node-store.js';
import { paginateList } from './paginate.js';

/** Options of a KDD snapshot. */
export interface KddSnapshotOptions {
  client: KubeClient;
  mode: CrdMode;
  pageSize?: number;
  /** Told about every object read (the datastore remembers stored names from it). */
  onRead?: (result: KddReadResult) => void;
}

/** Opens a read view. */
export function openKddSnapshot(options: KddSnapshotOptions): Snapshot {
  const resourceVersions: Record<string, string> = {};
  const skipped: Record<string, number> = {};
  const count = (reason: string, amount = 1) => (skipped[reason] = (skipped[reason] ?? 0) + amount);

  async function* listPath(kind: KindInfo, path: string, key: string): AsyncGenerator<ListedItem> {
    for await (const page of paginateList(options.client, path, { pageSize: options.pageSize })) {
      resourceVersions[key] = page.resourceVersion;
      for (const object of page.items) {
        const result = readKddObject(kind, options.mode, object);
        options.onRead?.(result);
        if (result.type === 'skip') count(`${result.kind}: ${result.reason}`);
        const item = toListedItem(result);
        if (item?.type === 'resource' && kind.kind === 'Node' && !hasCalicoNodeData(object))
          item.vacant = true;
        if (item) yield item;
      }
    }
  }

  return {
    position: (): SnapshotPosition => ({ type: 'kdd', resourceVersions: { ...resourceVersions } }),

    async *list(kind: KindInfo) {
      if (kind.kdd.type === 'crd') {
        const paths = crdPathsFor(kind, options.mode);
        yield* listPath(kind, customResourcePath(paths), `${paths.plural}.${paths.group}`);
      } else if (kind.kind === 'Node') {
        yield* listPath(kind, nodePath(), 'nodes');
      } else if (kind.kdd.type === 'derived') {
        yield* listDerivedObjects(options.client, kind, {
          pageSize: options.pageSize,
          resourceVersions,
          count,
        });
      }
    },

    async *listUnclaimed() {
      // Every Calico object in KDD belongs to a kind: nothing is unclaimed.
    },

    skipped: () => ({ ...skipped }),
  };
}
