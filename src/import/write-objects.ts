/**
 * Writing one kind: objects are planned against the fresh target index and written
 * `concurrency` requests at a time (p-limit); into etcd, creates go in batches of one
 * transaction each. A create that finds the object already there, or an update that loses a race
 * (HTTP 409, etcd mod_revision), re-reads the object and plans it again, so concurrent writers
 * and re-runs converge instead of failing or overwriting blindly.
 */
import pLimit from 'p-limit';
import type { Datastore } from '../datastores/datastore.js';
import { AlreadyExistsError, ConflictError } from '../model/errors.js';
import type { KindInfo } from '../model/kinds.js';
import type { CalicoResource } from '../model/resource.js';
import { refKey, refOf } from '../model/resource.js';
import type { ImportReport, ReportList } from '../report/import-report.js';
import type { Progress } from '../report/progress.js';
import type { TargetProfile } from './compare.js';
import { comparableDigest } from './compare.js';
import type { ImportPolicy, LiveEntry, PlannedObject } from './plan-object.js';
import { planObject } from './plan-object.js';
import type { TargetIndex } from './target-index.js';

/** Inputs of `applyKind`. */
export interface ApplyKindOptions {
  kind: KindInfo;
  objects: AsyncIterable<CalicoResource>;
  index: TargetIndex;
  concurrency: number;
  /** Creates per request where the target batches them (etcd transactions); 1 disables batching. */
  batchSize: number;
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
  const launch = (write: () => Promise<void>) => {
    const task: Promise<void> = limit(write).finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  const batchSize = options.profile.type === 'etcdv3' ? options.batchSize : 1;
  let batch: Planned[] = [];
  const flush = () => {
    const creates = batch;
    batch = [];
    if (creates.length > 0) launch(() => createBatch(options, creates));
  };
  for await (const archived of options.objects) {
    const planned = plan(options, archived, options.index.get(refKey(refOf(archived))));
    if (planned.action === 'create' && batchSize > 1) {
      batch.push({ archived, planned });
      if (batch.length >= batchSize) flush();
    } else if (planned.action === 'create' || planned.action === 'update') {
      launch(() => writeObject(options, archived, planned));
    } else {
      recordPlanned(options.report, planned);
      options.progress.advance();
    }
    // Bounded read-ahead: memory stays flat however many objects the kind has.
    if (inFlight.size >= options.concurrency * 4) await Promise.race(inFlight);
  }
  flush();
  await Promise.all(inFlight);
}

/** An object with the create planned for it. */
interface Planned {
  archived: CalicoResource;
  planned: PlannedObject;
}

async function createBatch(options: ApplyKindOptions, creates: Planned[]): Promise<void> {
  const objects = creates.map(({ archived }) => archived);
  let results: (CalicoResource | Error)[];
  try {
    results = await options.target.createBatch(objects, { status: options.profile.restoreStatus });
  } catch (error) {
    results = objects.map(() => error as Error);
  }
  await Promise.all(
    creates.map(async ({ archived, planned }, index) => {
      const result = results[index];
      if (result instanceof AlreadyExistsError)
        return writeObject(options, archived, await replan(options, archived));
      if (result instanceof Error)
        options.report.count(refOf(archived), 'failed', 'failures', { reason: result.message });
      else recordPlanned(options.report, planned);
      options.progress.advance();
    }),
  );
}

async function writeObject(
  options: ApplyKindOptions,
  archived: CalicoResource,
  first: PlannedObject,
): Promise<void> {
  const { report, target } = options;
  // KDD keeps status apart (status subresource): written only when asked (--restore-status).
  const writeOptions = { status: options.profile.restoreStatus };
  let planned = first;
  for (let attempt = 0; ; attempt++) {
    try {
      if (planned.action === 'create') await target.create(archived, writeOptions);
      else if (planned.action === 'update') {
        await target.update(
          {
            ...archived,
            metadata: { ...archived.metadata, resourceVersion: planned.resourceVersion },
          },
          writeOptions,
        );
      }
      recordPlanned(report, planned);
      break;
    } catch (error) {
      const raced = error instanceof AlreadyExistsError || error instanceof ConflictError;
      if (!raced || attempt >= MAX_REPLANS) {
        report.count(refOf(archived), 'failed', 'failures', { reason: (error as Error).message });
        break;
      }
      planned = await replan(options, archived);
    }
  }
  options.progress.advance();
}

/** Plans an object again from a fresh read of the target. */
async function replan(options: ApplyKindOptions, archived: CalicoResource): Promise<PlannedObject> {
  const stored = await options.target.get(refOf(archived), archived);
  const live = stored && {
    digest: comparableDigest(stored, options.profile),
    resourceVersion: stored.metadata.resourceVersion,
  };
  return plan(options, archived, live);
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

const LISTED: Partial<Record<PlannedObject['action'], ReportList>> = {
  skip: 'skips',
  conflict: 'conflicts',
  invalid: 'invalid',
};

/** Counts a planned (or applied) object, listing skips, conflicts and invalid ones with reasons. */
export function recordPlanned(report: ImportReport, planned: PlannedObject): void {
  const list = LISTED[planned.action];
  report.count(planned.ref, planned.action, list, { reason: planned.reason ?? planned.action });
}
