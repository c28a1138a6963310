/** Human and JSON renderings of import and verify reports. */
import type { JsonObject } from '../model/json.js';
import { stringifyJson } from '../model/json.js';
import type { ImportReport, Outcome, ReportedObject, ReportList } from './import-report.js';

const PLAN_COLUMNS: Outcome[] = ['create', 'update', 'unchanged', 'skip', 'conflict', 'invalid'];
const APPLY_COLUMNS: Outcome[] = [
  'create',
  'update',
  'unchanged',
  'skip',
  'conflict',
  'invalid',
  'failed',
  'matched',
  'missing',
  'different',
];
const VERIFY_COLUMNS: Outcome[] = ['matched', 'missing', 'different'];

/** Which table a report is shown as. */
export type ReportView = 'plan' | 'apply' | 'verify';

const COLUMNS: Record<ReportView, Outcome[]> = {
  plan: PLAN_COLUMNS,
  apply: APPLY_COLUMNS,
  verify: VERIFY_COLUMNS,
};

/** A per-kind table plus the listed objects (at most `limit` per list; all are in the JSON report). */
export function renderReport(report: ImportReport, view: ReportView, limit = 20): string {
  // Invalid objects are rare: their column shows only when there are some.
  const columns = COLUMNS[view].filter((outcome) =>
    view === 'apply' || outcome === 'invalid'
      ? report.total(outcome) > 0 || outcome === 'create'
      : true,
  );
  const header = `  ${'KIND'.padEnd(30)}${columns.map((c) => c.toUpperCase().padStart(10)).join('')}`;
  const rows = Object.entries(report.counts).map(
    ([kind, counts]) =>
      `  ${kind.padEnd(30)}${columns.map((c) => String(counts[c] ?? 0).padStart(10)).join('')}`,
  );
  const totals = `  ${'TOTAL'.padEnd(30)}${columns.map((c) => String(report.total(c)).padStart(10)).join('')}`;
  const lines = [header, ...rows, totals];
  const raw = Object.entries(report.raw).filter(([, n]) => n);
  if (raw.length > 0)
    lines.push(`  raw entries: ${raw.map(([outcome, n]) => `${n} ${outcome}`).join(', ')}`);
  for (const [list, title] of LIST_TITLES)
    lines.push(...renderList(report.lists[list], title, limit));
  if (report.warnings.length > 0)
    lines.push('', 'warnings:', ...report.warnings.slice(0, limit).map((w) => `  ${w}`));
  return `${lines.join('\n')}\n`;
}

const LIST_TITLES: [ReportList, string][] = [
  ['conflicts', 'conflicts (exist in the target with different content)'],
  ['invalid', 'invalid (Calico would refuse them)'],
  ['failures', 'failures'],
  ['missing', 'missing in the target'],
  ['differences', 'different in the target'],
  ['skips', 'skipped'],
];

function renderList(items: ReportedObject[], title: string, limit: number): string[] {
  if (items.length === 0) return [];
  const lines = ['', `${title}: ${items.length}`];
  for (const item of items.slice(0, limit)) {
    const where = item.namespace ? `${item.namespace}/${item.name}` : item.name;
    lines.push(`  ${item.kind} ${where}: ${item.reason}`);
    for (const field of (item.fields ?? []).slice(0, 5)) {
      lines.push(
        `      ${field.path}: archive ${show(field.archive)}, target ${show(field.target)}`,
      );
    }
  }
  if (items.length > limit) lines.push(`  ... and ${items.length - limit} more (see --report)`);
  return lines;
}

function show(value: unknown): string {
  if (value === undefined) return 'absent';
  const text = stringifyJson(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The JSON form of a report. */
export function reportToJson(report: ImportReport): JsonObject {
  return {
    counts: report.counts,
    raw: report.raw,
    conflicts: report.lists.conflicts,
    invalid: report.lists.invalid,
    failures: report.lists.failures,
    missing: report.lists.missing,
    differences: report.lists.differences,
    skips: report.lists.skips,
    warnings: report.warnings,
  } as unknown as JsonObject;
}
