/**
 * Import: plan, then apply, then verify. The plan is made for the whole archive before the first
 * write, so conflicts under the default policy stop the import with nothing written; apply and
 * verify then re-read the target kind by kind, which makes a re-run after any interruption
 * converge (done objects plan as unchanged).
 */
import type { Datastore } from '../datastores/datastore.js';
import { withDryRun } from '../datastores/decorators/dry-run.js';
import { ImportReport } from '../report/import-report.js';
import type { Logger } from '../report/log.js';
import { silentLogger } from '../report/log.js';
import type { PhaseContext } from './phases.js';
import type { ImportPolicy } from './plan-object.js';
import { applyPhase, planPhase, verifyPhase } from './phases.js';

/** Inputs of `importArchive`. */
export interface ImportArchiveOptions extends Omit<PhaseContext, 'report' | 'target'> {
  /** The target for reads (planning, verification). */
  reader: Datastore;
  /** The target for writes: `reader` wrapped in rate limiting and retries. */
  writer: Datastore;
  concurrency: number;
  /** Creates per etcd transaction (1: one object per request). */
  batchSize: number;
  /** Plan (and, for KDD, validate every write with a server-side dry run) without writing. */
  dryRun: boolean;
  logger?: Logger;
}

/** Reports of an import. */
export interface ImportOutcome {
  plan: ImportReport;
  /** Absent when the import stopped after planning (conflicts) or was a dry run without validation. */
  apply?: ImportReport;
  /** Why nothing was written, when the import stopped after planning. */
  stoppedBecause?: string;
  /** Wall time of each phase that ran, in milliseconds. */
  timings: Partial<Record<'plan' | 'apply' | 'verify', number>>;
}

/**
 * Why a plan must not be applied, with the fix, or `undefined` when it may be: objects Calico
 * would refuse, or conflicts under the default policy. `skipFlag` names the flag that skips the
 * invalid objects, where the command has one.
 */
export function explainStop(
  plan: ImportReport,
  policy: ImportPolicy,
  skipFlag?: string,
): string | undefined {
  const invalid = plan.total('invalid');
  if (invalid > 0) {
    const skip = skipFlag ? `, or pass ${skipFlag} to leave them out` : '';
    return `${invalid} object(s) would be refused by Calico (listed as invalid); correct them in the source and export again${skip}`;
  }
  const conflicts = plan.total('conflict');
  if (conflicts > 0 && policy.onConflict === 'fail')
    return `${conflicts} object(s) exist in the target with different content; choose --on-conflict skip or overwrite, or clean the target`;
  return undefined;
}

/** Runs an import of a validated archive file. */
export async function importArchive(options: ImportArchiveOptions): Promise<ImportOutcome> {
  const logger = options.logger ?? silentLogger;
  const timings: ImportOutcome['timings'] = {};
  const timed = async (phase: keyof ImportOutcome['timings'], run: () => Promise<void>) => {
    const started = Date.now();
    await run();
    timings[phase] = Date.now() - started;
  };
  const plan = new ImportReport();
  await timed('plan', () =>
    planPhase({ ...options, target: options.reader, report: plan, progress: undefined }),
  );
  const stoppedBecause = explainStop(plan, options.policy, '--skip-invalid');
  if (stoppedBecause) return { plan, stoppedBecause, timings };
  if (options.dryRun) {
    if (options.profile.type !== 'kubernetes') return { plan, timings };
    logger.info('dry run: validating every write against the API server (server-side dry run)');
    const apply = new ImportReport();
    const validating = withDryRun(options.writer, { validate: true });
    await timed('apply', () =>
      applyPhase({ ...options, target: validating, report: apply }, options),
    );
    return { plan, apply, timings };
  }
  const apply = new ImportReport();
  await timed('apply', () =>
    applyPhase({ ...options, target: options.writer, report: apply }, options),
  );
  await timed('verify', () =>
    verifyPhase({ ...options, target: options.reader, report: apply }, { countSkips: false }),
  );
  return { plan, apply, timings };
}
