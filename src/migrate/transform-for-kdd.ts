/**
 * The per-object TRANSFORM of an etcd -> KDD migration: classify the object (`classify.ts`), and
 * if its side moves, rename its nodes to their Kubernetes names (`rename-nodes.ts`). Objects that
 * stay in etcd are returned untouched. Import then decides what KDD can hold (derived objects are
 * skipped there, `src/import/plan-object.ts`).
 */
import type { CalicoResource } from '../model/resource.js';
import type { Classification, HybridContext, MigrationSide } from './hybrid-context.js';
import { classifyObject } from './classify.js';
import type { RenameOutcome } from './rename-nodes.js';
import { renameNodeReferences } from './rename-nodes.js';

/** Sides that move to KDD by default; OpenStack-side objects stay in etcd. */
export const DEFAULT_MOVING_SIDES: ReadonlySet<MigrationSide> = new Set(['kubernetes', 'shared']);

/** What happens to one object. */
export interface KddTransform {
  /** `move`: write `resource` into KDD; `stay`: leave it in etcd (list it in the plan and report). */
  action: 'move' | 'stay';
  classification: Classification;
  /** The object to write (nodes renamed) when moving; the source object when staying. */
  resource: CalicoResource;
  /** Renamed fields and, when the name changed, the old and new identity (moving objects only). */
  rename?: RenameOutcome;
}

/** Classifies one object and, when it moves, renames its nodes. */
export function transformForKdd(
  resource: CalicoResource,
  context: HybridContext,
  movingSides: ReadonlySet<MigrationSide> = DEFAULT_MOVING_SIDES,
): KddTransform {
  const classification = classifyObject(resource, context);
  if (!movingSides.has(classification.side)) {
    return { action: 'stay', classification, resource };
  }
  const rename = renameNodeReferences(resource, context.nodeMap);
  return {
    action: 'move',
    classification,
    resource: rename.resource,
    ...(rename.changes.length > 0 ? { rename } : {}),
  };
}
