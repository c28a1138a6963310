/**
 * Normalisation shared by export, planning and verification: one definition of which metadata is
 * server-managed, so "unchanged" means the same thing everywhere (docs/canonical-form.md).
 */
import type { CalicoResource, ObjectMeta } from './resource.js';

/** ObjectMeta fields the server owns; never archived, never compared. */
export const SERVER_MANAGED_METADATA = [
  'resourceVersion',
  'managedFields',
  'selfLink',
  'generation',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

/** Metadata that records facts about the source object: archived, but not part of its identity. */
export const RECORDED_METADATA = ['uid', 'creationTimestamp'] as const;

/** A copy without server-managed metadata and without empty label/annotation maps. */
export function stripServerManaged(resource: CalicoResource): CalicoResource {
  const metadata: ObjectMeta = { ...resource.metadata };
  for (const field of SERVER_MANAGED_METADATA) delete metadata[field];
  for (const field of ['labels', 'annotations'] as const) {
    const map = metadata[field];
    if (map && Object.keys(map).length === 0) delete metadata[field];
  }
  return { ...resource, metadata };
}

/** A copy reduced to what must match between archive and target: no server or recorded metadata. */
export function stripForComparison(resource: CalicoResource): CalicoResource {
  const stripped = stripServerManaged(resource);
  for (const field of RECORDED_METADATA) delete stripped.metadata[field];
  return stripped;
}
