/**
 * The migration plan: what preflight found and what the migration will do, as one JSON document
 * (saved next to the archives) and as text for the operator.
 */
import type { DatastoreDescription } from '../datastores/datastore.js';
import type { JsonObject } from '../model/json.js';
import type { ImportReport } from '../report/import-report.js';
import { renderReport, reportToJson } from '../report/render-import-report.js';
import type { LockState } from './lock-record.js';
import { summarizeLockState } from './lock-record.js';
import type { TransformSummary } from './transform-archive.js';

/** Everything the plan records. */
export interface MigrationPlan {
  createdAt: string;
  direction: TransformSummary['direction'];
  source: DatastoreDescription;
  target: DatastoreDescription;
  locks: { source: LockState; target: LockState };
  archive: string;
  migrationArchive: string;
  transform: Omit<TransformSummary, 'archive' | 'clusterInformation'>;
  /** The import plan of the migration archive against the target. */
  targetPlan: ImportReport;
  /** Reasons the migration cannot go ahead as configured. */
  blockers: string[];
  /** What the operator should know before going ahead. */
  warnings: string[];
}

/** The plan as JSON (the report objects flattened). */
export function planToJson(plan: MigrationPlan): JsonObject {
  const { targetPlan, locks, ...rest } = plan;
  return {
    ...rest,
    locks: { source: summarizeLockState(locks.source), target: summarizeLockState(locks.target) },
    targetPlan: reportToJson(targetPlan),
  } as unknown as JsonObject;
}

/** The plan as text. */
export function renderPlan(plan: MigrationPlan, listLimit = 25): string {
  const { transform } = plan;
  const where = (d: DatastoreDescription) =>
    `${d.type} ${d.endpoints.join(',')}${d.crdMode ? ` (CRD mode ${d.crdMode})` : ''}, Calico ${d.calicoVersion ?? 'version unknown'}`;
  const lines = [
    `Migration plan (${plan.direction}):`,
    `  source: ${where(plan.source)}; ${summarizeLockState(plan.locks.source)}`,
    `  target: ${where(plan.target)}; ${summarizeLockState(plan.locks.target)}`,
  ];
  if (
    plan.source.calicoVersion &&
    plan.target.calicoVersion &&
    plan.source.calicoVersion !== plan.target.calicoVersion
  ) {
    lines.push(
      `  note: Calico versions differ; objects are written in the target version's storage form`,
    );
  }
  lines.push('', `Node names (${transform.renames.length} renamed):`);
  if (transform.renames.length === 0) lines.push('  none: every Calico node keeps its name');
  for (const rename of transform.renames.slice(0, listLimit))
    lines.push(`  ${rename.from} -> ${rename.to}  (${rename.how})`);
  const moving = Object.values(transform.moving).reduce((sum, n) => sum + n, 0);
  const kinds = Object.entries(transform.moving).map(([kind, n]) => `${n} ${kind}`);
  lines.push('', `Moving ${moving} objects${describeDerived(plan)}: ${kinds.join(', ') || 'none'}`);
  lines.push(...renderStaying(transform, listLimit));
  for (const risk of transform.pools?.risks ?? []) {
    lines.push(
      '',
      `RISK: IP pool ${risk.pool} (${risk.cidr}) has blocks on both sides (${risk.blocks.kubernetes} Kubernetes, ${risk.blocks.openstack} OpenStack):`,
      `  ${risk.risk}`,
      `  suggested: ${risk.suggestion}`,
    );
  }
  const warnings = [...transform.warnings, ...plan.warnings];
  if (warnings.length > 0) lines.push('', 'Warnings:', ...warnings.map((w) => `  ${w}`));
  lines.push('', `Against the target:`, renderReport(plan.targetPlan, 'plan', listLimit).trimEnd());
  if (plan.blockers.length > 0) lines.push('', 'BLOCKED:', ...plan.blockers.map((b) => `  ${b}`));
  return `${lines.join('\n')}\n`;
}

function describeDerived(plan: MigrationPlan): string {
  const derived = plan.transform.movingDerived;
  if (derived === 0) return '';
  return plan.direction === 'etcd-to-kdd'
    ? ` (${derived} derived: KDD derives those itself, so the import skips them)`
    : ` (${derived} derived: written, because in etcd mode nothing derives them)`;
}

function renderStaying(transform: MigrationPlan['transform'], limit: number): string[] {
  if (transform.staying.length === 0 && transform.rawStaying === 0) return [];
  const byKind = new Map<string, number>();
  for (const object of transform.staying)
    byKind.set(object.kind, (byKind.get(object.kind) ?? 0) + 1);
  const lines = [
    '',
    `Staying in the source, untouched: ${transform.staying.length} objects (${[...byKind].map(([kind, n]) => `${n} ${kind}`).join(', ')})` +
      (transform.rawStaying ? ` and ${transform.rawStaying} raw entries` : ''),
  ];
  for (const object of transform.staying.slice(0, limit)) {
    lines.push(
      `  ${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}: ${object.reason}`,
    );
  }
  if (transform.staying.length > limit)
    lines.push(`  ... and ${transform.staying.length - limit} more (see the plan JSON)`);
  return lines;
}
