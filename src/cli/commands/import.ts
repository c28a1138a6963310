/**
 * `calico-migrate import`: validate the whole archive, plan against the target, stop on conflicts
 * (default) before any write, apply with rate-limited concurrent writes, verify by reading back.
 * Exit 0: applied and verified; 1: finished but something failed or did not verify; 2: nothing
 * written.
 */
import { EXIT_FATAL, EXIT_PARTIAL, ExitError } from '../../model/errors.js';
import type { ConflictPolicy } from '../../import/plan-object.js';
import { importArchive } from '../../import/import-archive.js';
import type { ImportOutcome } from '../../import/import-archive.js';
import { createLogger } from '../../report/log.js';
import type { LogLevel } from '../../report/log.js';
import { createProgress } from '../../report/progress.js';
import { renderReport, reportToJson } from '../../report/render-import-report.js';
import { formatDuration } from '../format.js';
import type { ConnectionFlags } from '../config/resolve-connection.js';
import { openTarget, withValidatedArchive, writeJsonReport } from '../target-session.js';

/** Options of `runImport`. */
export interface ImportCommandOptions {
  archive: string;
  to?: string;
  connection: ConnectionFlags;
  onConflict: ConflictPolicy;
  dryRun: boolean;
  skipDerived: boolean;
  skipInvalid: boolean;
  restoreStatus: boolean;
  concurrency: number;
  batchSize: number;
  qps: number;
  burst: number;
  reportFile?: string;
  logLevel: LogLevel;
}

/** Runs an import; throws ExitError with the exit code when it does not fully succeed. */
export async function runImport(options: ImportCommandOptions): Promise<ImportOutcome> {
  const logger = createLogger(options.logLevel);
  return withValidatedArchive(options.archive, logger, async ({ path, label, summary }) => {
    const session = await openTarget({
      ...options,
      fallbackCalicoVersion: summary.manifest.source.calicoVersion,
      direction: '--to',
    });
    try {
      const progress = createProgress({
        verb: options.dryRun ? 'dry run' : 'import',
        quiet: options.logLevel === 'quiet',
      });
      const outcome = await importArchive({
        archivePath: path,
        label,
        archiveKinds: Object.keys(summary.kinds),
        hasRaw: summary.rawEntries > 0,
        reader: session.reader,
        writer: session.writer,
        profile: session.profile,
        policy: {
          onConflict: options.onConflict,
          skipDerived: options.skipDerived,
          skipInvalid: options.skipInvalid,
        },
        concurrency: options.concurrency,
        batchSize: options.batchSize,
        dryRun: options.dryRun,
        progress,
        logger,
      });
      progress.close();
      report(outcome, options, session.description.endpoints.join(','), logger);
      const retries = Object.entries(session.retries);
      if (retries.length > 0)
        logger.info(`retried: ${retries.map(([why, n]) => `${n} x ${why}`).join(', ')}`);
      const code = exitCodeOf(outcome);
      await writeJsonReport(options.reportFile, {
        command: 'import',
        archive: label,
        target: session.description,
        dryRun: options.dryRun,
        policy: {
          onConflict: options.onConflict,
          skipDerived: options.skipDerived,
          skipInvalid: options.skipInvalid,
          restoreStatus: options.restoreStatus,
        },
        plan: reportToJson(outcome.plan),
        ...(outcome.apply ? { result: reportToJson(outcome.apply) } : {}),
        ...(outcome.stoppedBecause ? { stoppedBecause: outcome.stoppedBecause } : {}),
        retries: session.retries,
        timingsMs: outcome.timings,
        exitCode: code,
      });
      if (code !== 0) throw new ExitError(code);
      return outcome;
    } finally {
      await session.close();
    }
  });
}

function report(
  outcome: ImportOutcome,
  options: ImportCommandOptions,
  where: string,
  logger: ReturnType<typeof createLogger>,
): void {
  logger.info(`plan against ${where}:\n${renderReport(outcome.plan, 'plan')}`);
  if (outcome.stoppedBecause) {
    process.stderr.write(
      `calico-migrate: import stopped before any write: ${outcome.stoppedBecause}\n`,
    );
    return;
  }
  if (outcome.apply)
    logger.info(
      `${options.dryRun ? 'server-side dry run' : 'import and verification'}:\n${renderReport(outcome.apply, 'apply')}`,
    );
  if (options.dryRun) {
    logger.info('dry run: nothing was written');
    return;
  }
  const written = (outcome.apply?.total('create') ?? 0) + (outcome.apply?.total('update') ?? 0);
  const { apply = 0, verify = 0 } = outcome.timings;
  const rate = apply > 0 ? Math.round((written * 1000) / apply) : written;
  logger.info(
    `wrote ${written} objects in ${formatDuration(apply)} (${rate} objects/s), verified in ${formatDuration(verify)}`,
  );
}

function exitCodeOf(outcome: ImportOutcome): number {
  if (outcome.stoppedBecause) return EXIT_FATAL;
  return outcome.apply?.hasProblems() ? EXIT_PARTIAL : 0;
}
