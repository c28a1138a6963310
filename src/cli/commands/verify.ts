/**
 * `calico-migrate verify`: compare an archive with a live datastore without writing anything
 * (disaster-recovery drills: "does last night's backup still match the cluster?").
 */
import { ConflictPolicy } from '../../import/plan-object.js';
import { verifyPhase } from '../../import/phases.js';
import { EXIT_PARTIAL, ExitError } from '../../model/errors.js';
import { ImportReport } from '../../report/import-report.js';
import { createLogger } from '../../report/log.js';
import type { LogLevel } from '../../report/log.js';
import { createProgress } from '../../report/progress.js';
import { renderReport, reportToJson } from '../../report/render-import-report.js';
import type { ConnectionFlags } from '../config/resolve-connection.js';
import { openTarget, withValidatedArchive, writeJsonReport } from '../target-session.js';

/** Options of `runVerify`. */
export interface VerifyCommandOptions {
  archive: string;
  against?: string;
  connection: ConnectionFlags;
  skipDerived: boolean;
  restoreStatus: boolean;
  reportFile?: string;
  logLevel: LogLevel;
}

/** Verifies; throws ExitError(1) when something is missing or different. */
export async function runVerify(options: VerifyCommandOptions): Promise<ImportReport> {
  const logger = createLogger(options.logLevel);
  return withValidatedArchive(options.archive, logger, async ({ path, label, summary }) => {
    const session = await openTarget({
      to: options.against,
      direction: '--against',
      connection: options.connection,
      fallbackCalicoVersion: summary.manifest.source.calicoVersion,
      restoreStatus: options.restoreStatus,
    });
    try {
      const report = new ImportReport();
      const progress = createProgress({ verb: 'verify', quiet: options.logLevel === 'quiet' });
      await verifyPhase(
        {
          archivePath: path,
          label,
          archiveKinds: Object.keys(summary.kinds),
          hasRaw: summary.rawEntries > 0,
          target: session.reader,
          profile: session.profile,
          policy: { onConflict: ConflictPolicy.Fail, skipDerived: options.skipDerived },
          report,
          progress,
        },
        { countSkips: true },
      );
      progress.close();
      process.stdout.write(
        `verify ${label} against ${session.description.type} ${session.description.endpoints.join(',')}:\n${renderReport(report, 'verify')}`,
      );
      await writeJsonReport(options.reportFile, {
        command: 'verify',
        archive: label,
        target: session.description,
        result: reportToJson(report),
      });
      if (report.hasProblems()) throw new ExitError(EXIT_PARTIAL);
      return report;
    } finally {
      await session.close();
    }
  });
}
