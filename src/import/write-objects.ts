/**
 * Writing one kind: objects are planned against the fresh target index and written
 * `concurrency` at a time (p-limit). A create that finds the object already there, or an update
 * that loses a race (HTTP 409, etcd mod_revision), re-reads the object and plans it again, so
 * concurrent writers and re-runs converge instead of failing or overwriting blindly.
 */
import pLimit from 'p-limit';
import type { Datastore } from '../datastores/datastore.js';
import { AlreadyExistsError, ConflictError } from '../model/errors.js';
import type { KindInfo } from '../model/kinds.js';
import type { CalicoResource } from '../model/resource.js';
import { refOf } from '../model/resource.js';
import type { ImportReport } from '../report/import-report.js';
import type { Progress } from '../report/progress.js';
import type { TargetProfile } from './compare.js';
import { comparableDigest } from './compare.js';
import type { ImportPolicy, LiveEntry, PlannedObject } from './plan-object.js';
import { planObject } from './plan-object.js';
import type { TargetIndex } from './target-index.js';
import { refKey } from './target-index.js';

/** Inputs of `applyKind`. */
export interface ApplyKindOptions {
  kind: KindInfo;
  objects: AsyncIterable<CalicoResource>;
  index: TargetIndex;
  concurrency: number;
  target: Datastore;
  profile: TargetProfile;
  policy: ImportPolicy;
  report: ImportReport;
  progress: Progress;
}

/** Re-plans after a lost race at most this often per object. */
const MAX_REPLANS = 3;

/** Plans and writes every object of one kind. */
export async function applyKind(options: ApplyKindOptions): Promise<void> {
  const limit = pLimit(Math.max(1, options.concurrency));
  const inFlight = new Set<Promise<void>>();
  for await (const archived of options.objects) {
    const live = options.index.get(refKey(refOf(archived)));
    const task = limit(() => writeObject(options, archived, live)).finally(() =>
      inFlight.delete(task),
    );
    inFlight.add(task);
    // Bounded read-ahead: memory stays flat however many objects the kind has.
    if (inFlight.size >= options.concurrency * 4) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

async function writeObject(
  options: ApplyKindOptions,
  archived: CalicoResource,
  live: LiveEntry | undefined,
): Promise<void> {
  const { report, target } = options;
  const ref = refOf(archived);
  let planned = plan(options, archived, live);
  for (let attempt = 0; ; attempt++) {
    try {
      if (planned.action === 'create') await target.create(archived);
      else if (planned.action === 'update') {
        await target.update({
          ...archived,
          metadata: { ...archived.metadata, resourceVersion: planned.resourceVersion },
        });
      }
      recordPlanned(report, planned);
      break;
    } catch (error) {
      const raced = error instanceof AlreadyExistsError || error instanceof ConflictError;
      if (!raced || attempt >= MAX_REPLANS) {
        report.count(ref, 'failed', 'failures', { reason: (error as Error).message });
        break;
      }
      const stored = await target.get(ref, archived);
      const fresh = stored && {
        digest: comparableDigest(stored, options.profile),
        resourceVersion: stored.metadata.resourceVersion,
      };
      planned = plan(options, archived, fresh);
    }
  }
  options.progress.advance();
}

function plan(
  options: ApplyKindOptions,
  archived: CalicoResource,
  live: LiveEntry | undefined,
): PlannedObject {
  return planObject({
    kind: options.kind,
    archived,
    live,
    profile: options.profile,
    policy: options.policy,
  });
}

/** Counts a planned (or applied) object, listing skips and conflicts with their reasons. */
export function recordPlanned(report: ImportReport, planned: PlannedObject): void {
  const list =
    planned.action === 'skip' ? 'skips' : planned.action === 'conflict' ? 'conflicts' : undefined;
  report.count(planned.ref, planned.action, list, { reason: planned.reason ?? planned.action });
}
