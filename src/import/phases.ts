/**
 * The three import phases over an archive file: plan (read only), apply (write), verify (read
 * back). Each walks the archive kind by kind in import order against a fresh listing of that kind
 * in the target, so a re-run after an interruption starts from what is really there.
 */
import type { Datastore } from '../datastores/datastore.js';
import type { KindInfo } from '../model/kinds.js';
import { refKey, refOf } from '../model/resource.js';
import type { CalicoResource } from '../model/resource.js';
import type { ImportReport } from '../report/import-report.js';
import type { Progress } from '../report/progress.js';
import { noProgress } from '../report/progress.js';
import { readKindGroups, readRawEntries } from './archive-groups.js';
import type { TargetProfile } from './compare.js';
import { diffObjects } from './compare.js';
import type { ImportPolicy } from './plan-object.js';
import { planObject, planRaw, targetStoresKind } from './plan-object.js';
import type { TargetIndex } from './target-index.js';
import { indexTargetKind } from './target-index.js';
import { applyKind, recordPlanned } from './write-objects.js';

/** What every phase needs. */
export interface PhaseContext {
  /** A re-readable archive file that has passed validation. */
  archivePath: string;
  label: string;
  /** Kinds in the order the archive holds them (from its summary). */
  archiveKinds: string[];
  /** Whether the archive holds raw entries. */
  hasRaw: boolean;
  target: Datastore;
  profile: TargetProfile;
  policy: ImportPolicy;
  report: ImportReport;
  progress?: Progress;
}

/** Plans every object and raw entry into `report` (create/update/unchanged/skip/conflict). */
export async function planPhase(context: PhaseContext): Promise<void> {
  await forEachKind(context, 'plan', async (kind, objects, index) => {
    for await (const archived of objects) {
      recordPlanned(
        context.report,
        planObject({
          kind,
          archived,
          live: index.get(refKey(refOf(archived))),
          profile: context.profile,
          policy: context.policy,
        }),
      );
      context.progress?.advance();
    }
  });
  await planRawEntries(context, { write: false });
}

/** How hard apply writes: requests in flight within a kind, creates per etcd transaction. */
export interface WriteSettings {
  concurrency: number;
  batchSize: number;
}

/** Default creates per etcd transaction (etcd allows 128 operations; the adapter splits big ones). */
export const DEFAULT_BATCH_SIZE = 64;

/** Applies the plan kind by kind, `concurrency` writes at a time within a kind. */
export async function applyPhase(
  context: PhaseContext,
  { concurrency, batchSize }: WriteSettings,
): Promise<void> {
  await forEachKind(context, 'import', (kind, objects, index) =>
    applyKind({
      kind,
      objects,
      index,
      concurrency,
      batchSize,
      target: context.target,
      profile: context.profile,
      policy: context.policy,
      report: context.report,
      progress: context.progress ?? noProgress,
    }),
  );
  await planRawEntries(context, { write: true });
}

/** Plans each raw entry against the target and counts it; with `write`, creates the planned ones. */
async function planRawEntries(context: PhaseContext, { write }: { write: boolean }): Promise<void> {
  if (!context.hasRaw) return;
  const { report, target } = context;
  for await (const raw of readRawEntries(context.archivePath, context.label)) {
    const planned = planRaw(raw, await target.getRaw(raw.key), context.profile);
    if (write && planned.action === 'create') {
      try {
        await target.putRaw(raw);
      } catch (error) {
        report.countRaw('failed');
        report.warnings.push(`raw ${raw.key}: ${(error as Error).message}`);
        continue;
      }
    }
    report.countRaw(planned.action);
    if (planned.reason)
      report.warnings.push(`raw ${raw.key}: ${planned.action}: ${planned.reason}`);
  }
}

/** Reads every expected object back and compares it with the archive: matched, missing or different. */
export async function verifyPhase(
  context: PhaseContext,
  options: { countSkips: boolean },
): Promise<void> {
  const { report, profile, target } = context;
  await forEachKind(context, 'verify', async (kind, objects, index) => {
    for await (const archived of objects) {
      context.progress?.advance();
      // Verification is a plan against what the target now holds: every object should be unchanged.
      const ref = refOf(archived);
      const live = index.get(refKey(ref));
      const planned = planObject({ kind, archived, live, profile, policy: context.policy });
      if (planned.action === 'skip') {
        // After an import the skips were reported by the apply step already.
        if (options.countSkips)
          report.count(ref, 'skip', 'skips', { reason: planned.reason ?? 'skip' });
      } else if (planned.action === 'unchanged') report.count(ref, 'matched');
      else if (!live || live.vacant)
        report.count(ref, 'missing', 'missing', { reason: 'not in the target' });
      else await recordDifference(report, target, archived, profile);
    }
  });
  if (!context.hasRaw) return;
  for await (const raw of readRawEntries(context.archivePath, context.label)) {
    if (planRaw(raw, undefined, profile).action === 'skip') continue;
    const stored = await target.getRaw(raw.key);
    const outcome = !stored ? 'missing' : stored.equals(raw.value) ? 'matched' : 'different';
    report.countRaw(outcome);
    // Name the key: a raw entry has no kind and name to list it under.
    if (outcome !== 'matched') report.warnings.push(`raw ${raw.key}: ${outcome} in the target`);
  }
}

async function recordDifference(
  report: ImportReport,
  target: Datastore,
  archived: CalicoResource,
  profile: TargetProfile,
): Promise<void> {
  const ref = refOf(archived);
  const stored = await target.get(ref, archived);
  if (!stored) {
    report.count(ref, 'missing', 'missing', { reason: 'disappeared while verifying' });
    return;
  }
  const fields = diffObjects(archived, stored, profile);
  report.count(ref, 'different', 'differences', {
    reason: `${fields.length} field(s) differ`,
    fields,
  });
}

/** Walks the archive's kinds in import order with a fresh index of each kind in the target. */
async function forEachKind(
  context: PhaseContext,
  verb: string,
  visit: (
    kind: KindInfo,
    objects: AsyncIterable<CalicoResource>,
    index: TargetIndex,
  ) => Promise<void>,
): Promise<void> {
  for await (const group of readKindGroups(
    context.archivePath,
    context.archiveKinds,
    context.label,
  )) {
    const index = targetStoresKind(group.kind, context.profile)
      ? await indexTargetKind(await context.target.snapshot(), group.kind, context.profile)
      : new Map();
    context.progress?.begin(`${group.kind.kind} (${verb})`);
    await visit(group.kind, group.objects, index);
    context.progress?.end();
  }
}
