/**
 * What the target holds of one kind, reduced to what planning and verification need: per object
 * its comparable digest and resourceVersion (not the object itself), so memory stays small even
 * for kinds with a hundred thousand objects (IPAM handles).
 */
import type { ListedItem, Snapshot } from '../datastores/datastore.js';
import type { KindInfo } from '../model/kinds.js';
import { refKey, refOf } from '../model/resource.js';
import type { TargetProfile } from './compare.js';
import { comparableDigest } from './compare.js';
import type { LiveEntry } from './plan-object.js';

/** The target's objects of one kind, by `refKey`. */
export type TargetIndex = Map<string, LiveEntry>;

/** Lists one kind of the target into an index. Raw items of the target are not indexed. */
export async function indexTargetKind(
  snapshot: Snapshot,
  kind: KindInfo,
  profile: TargetProfile,
): Promise<TargetIndex> {
  const index: TargetIndex = new Map();
  for await (const item of snapshot.list(kind)) addToIndex(index, item, profile);
  return index;
}

function addToIndex(index: TargetIndex, item: ListedItem, profile: TargetProfile): void {
  if (item.type !== 'resource') return;
  const { resource } = item;
  index.set(refKey(refOf(resource)), {
    digest: comparableDigest(resource, profile),
    resourceVersion: resource.metadata.resourceVersion,
    ...(item.vacant ? { vacant: true } : {}),
  });
}
