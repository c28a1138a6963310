/**
 * The import/verify report: counts per kind and outcome, and every skip, conflict, failure and
 * difference with its reason. Partial failure is a value collected here, never an exception; the
 * command turns the finished report into an exit code.
 */
import type { JsonValue } from '../model/json.js';
import type { ResourceRef } from '../model/resource.js';

/** Per-object outcomes: planned or applied actions, and verification results. */
export type Outcome =
  | 'create'
  | 'update'
  | 'unchanged'
  | 'skip'
  | 'conflict'
  | 'invalid'
  | 'failed'
  | 'matched'
  | 'missing'
  | 'different';

/** One reported object. */
export interface ReportedObject {
  kind: string;
  namespace?: string;
  name: string;
  reason: string;
  /** Field-level differences (verification). */
  fields?: { path: string; archive: JsonValue | undefined; target: JsonValue | undefined }[];
}

/** The lists of a report, by what happened. */
export type ReportList = 'skips' | 'conflicts' | 'invalid' | 'failures' | 'missing' | 'differences';

/** Collects outcomes while a command runs. */
export class ImportReport {
  readonly counts: Record<string, Partial<Record<Outcome, number>>> = {};
  readonly lists: Record<ReportList, ReportedObject[]> = {
    skips: [],
    conflicts: [],
    invalid: [],
    failures: [],
    missing: [],
    differences: [],
  };
  readonly raw: Partial<Record<Outcome, number>> = {};
  readonly warnings: string[] = [];

  /** Counts one object outcome, and lists it when `list` is given. */
  count(
    ref: ResourceRef,
    outcome: Outcome,
    list?: ReportList,
    detail?: Omit<ReportedObject, 'kind' | 'name' | 'namespace'>,
  ): void {
    const counts = (this.counts[ref.kind] ??= {});
    counts[outcome] = (counts[outcome] ?? 0) + 1;
    if (list) {
      this.lists[list].push({
        kind: ref.kind,
        ...(ref.namespace ? { namespace: ref.namespace } : {}),
        name: ref.name,
        reason: detail?.reason ?? outcome,
        ...(detail?.fields ? { fields: detail.fields } : {}),
      });
    }
  }

  /** Counts one raw-entry outcome. */
  countRaw(outcome: Outcome): void {
    this.raw[outcome] = (this.raw[outcome] ?? 0) + 1;
  }

  /** Total of one outcome over the objects of all kinds (raw entries are counted apart). */
  total(outcome: Outcome): number {
    return Object.values(this.counts).reduce((sum, counts) => sum + (counts[outcome] ?? 0), 0);
  }

  /** Whether anything failed, conflicted or did not verify. */
  hasProblems(): boolean {
    return (['failed', 'conflict', 'invalid', 'missing', 'different'] as const).some(
      (outcome) => this.total(outcome) > 0 || (this.raw[outcome] ?? 0) > 0,
    );
  }
}
