/**
 * `calico-migrate migrate --from etcd --to kdd` (and back): the whole procedure with preflight,
 * locks, a kept archive, node mapping, the hybrid split, import, verification and next steps.
 * Exit 0: migrated and verified; 1: finished but something failed or did not verify; 2: nothing
 * was written (blocked by the plan, or an error before the import).
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { withRetry } from '../../datastores/decorators/retrying.js';
import type { ConflictPolicy } from '../../import/plan-object.js';
import { EXIT_FATAL, EXIT_PARTIAL, ExitError, UsageError } from '../../model/errors.js';
import { stringifyJson } from '../../model/json.js';
import { defaultLockOwner } from '../../migrate/lock-owner.js';
import type { MigrationPlan } from '../../migrate/migration-plan.js';
import { planToJson, renderPlan } from '../../migrate/migration-plan.js';
import type { NodeMapEntry } from '../../migrate/node-map-file.js';
import { quoteShellWord } from '../../migrate/next-steps.js';
import { parseNodeMapFile } from '../../migrate/node-map-file.js';
import { runMigration } from '../../migrate/run-migration.js';
import { createLogger } from '../../report/log.js';
import type { LogLevel } from '../../report/log.js';
import { createProgress } from '../../report/progress.js';
import { renderReport, reportToJson } from '../../report/render-import-report.js';
import { TOOL_NAME, TOOL_VERSION } from '../../version.js';
import type { ConnectionFlags } from '../config/resolve-connection.js';
import { parseDatastoreType, resolveConnection } from '../config/resolve-connection.js';
import { openDatastore } from '../open-datastore.js';
import { openTarget, writeJsonReport } from '../target-session.js';

/** Options of `runMigrate`. */
export interface MigrateCommandOptions {
  from: string;
  to: string;
  connection: ConnectionFlags;
  planOnly: boolean;
  planOut?: string;
  archive?: string;
  migrationArchive?: string;
  nodeMap?: string;
  unlockTarget: boolean;
  onConflict: ConflictPolicy;
  concurrency: number;
  qps: number;
  burst: number;
  reportFile?: string;
  by?: string;
  reason?: string;
  logLevel: LogLevel;
  /** The arguments of this run (after `calico-migrate`), for the resume instructions. */
  argv: string[];
}

/** Runs a migration and prints the plan, the result and the next steps. */
export async function runMigrate(options: MigrateCommandOptions): Promise<void> {
  const logger = createLogger(options.logLevel);
  const from = parseDatastoreType(options.from, '--from');
  const to = parseDatastoreType(options.to, '--to');
  if (!from || !to || from === to)
    throw new UsageError(
      `migrate needs two different datastores (--from ${options.from} --to ${options.to})`,
      'use --from etcd --to kdd, or --from kdd --to etcd',
    );
  const paths = defaultPaths(
    options,
    from === 'etcdv3' ? 'etcd' : 'kdd',
    to === 'etcdv3' ? 'etcd' : 'kdd',
  );
  const nodeMapEntries = options.nodeMap ? readNodeMap(options.nodeMap) : [];
  const connection = resolveConnection(options.connection);
  const source = withRetry(await openDatastore(from, connection), { maxAttempts: 3 });
  try {
    const sourceDescription = await source.describe();
    const target = await openTarget({
      to: options.to,
      direction: '--to',
      connection,
      fallbackCalicoVersion: sourceDescription.calicoVersion,
      qps: options.qps,
      burst: options.burst,
      concurrency: options.concurrency,
    });
    try {
      const progress = createProgress({ verb: 'migrate', quiet: options.logLevel === 'quiet' });
      const outcome = await runMigration({
        direction: from === 'etcdv3' ? 'etcd-to-kdd' : 'kdd-to-etcd',
        sides: {
          source,
          sourceDescription,
          targetReader: target.reader,
          targetWriter: target.writer,
          targetDescription: target.description,
          profile: target.profile,
        },
        planOnly: options.planOnly,
        archivePath: paths.archive,
        migrationArchivePath: paths.migrationArchive,
        nodeMapEntries,
        nodeMapFile: options.nodeMap,
        policy: { onConflict: options.onConflict, skipDerived: false },
        concurrency: options.concurrency,
        unlockTarget: options.unlockTarget,
        by: options.by ?? defaultLockOwner(),
        reason:
          options.reason ?? `calico-migrate migrate --from ${options.from} --to ${options.to}`,
        command: resumeCommand(options.argv, paths),
        connectionFlags: describeConnectionFlags(options.connection),
        tool: { name: TOOL_NAME, version: TOOL_VERSION },
        logger,
        progress,
        onPlan: (plan) => showPlan(plan, paths.plan),
      });
      progress.close();
      if (outcome.result)
        process.stdout.write(
          `\nImport and verification:\n${renderReport(outcome.result, 'apply')}`,
        );
      if (outcome.instructions.length > 0)
        process.stdout.write(`\n${outcome.instructions.join('\n')}\n`);
      await writeJsonReport(options.reportFile, {
        plan: planToJson(outcome.plan),
        ...(outcome.result ? { result: reportToJson(outcome.result) } : {}),
        instructions: outcome.instructions,
      });
      const code =
        outcome.plan.blockers.length > 0
          ? EXIT_FATAL
          : outcome.result?.hasProblems()
            ? EXIT_PARTIAL
            : 0;
      if (code !== 0) throw new ExitError(code);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

async function showPlan(plan: MigrationPlan, path: string): Promise<void> {
  process.stdout.write(renderPlan(plan));
  await writeFile(path, `${stringifyJson(planToJson(plan), 2)}\n`, { mode: 0o600 });
  process.stdout.write(`(plan saved as ${path})\n`);
}

/**
 * The connection flags this run was given, per side, as shell text for the commands the
 * instructions print (unlock, import by hand), so that they reach the same datastores. The etcd
 * password is left out (it would be printed): pass it as ETCD_PASSWORD.
 */
function describeConnectionFlags(flags: ConnectionFlags): { etcd: string; kdd: string } {
  const text = (pairs: [string, string | undefined][]) =>
    pairs
      .filter((pair): pair is [string, string] => pair[1] !== undefined)
      .map(([flag, value]) => ` ${flag} ${quoteShellWord(value)}`)
      .join('');
  const config: [string, string | undefined] = ['--config', flags.config];
  return {
    etcd: text([
      config,
      ['--etcd-endpoints', flags.etcdEndpoints],
      ['--etcd-ca-cert-file', flags.etcdCaCertFile],
      ['--etcd-cert-file', flags.etcdCertFile],
      ['--etcd-key-file', flags.etcdKeyFile],
      ['--etcd-username', flags.etcdUsername],
    ]),
    kdd: text([
      config,
      ['--kubeconfig', flags.kubeconfig],
      ['--context', flags.context],
      ['--crd-mode', flags.crdMode],
    ]),
  };
}

/**
 * This run's command line, as the shell reads it back: with the archive paths pinned (so a resume
 * reuses the same files) and an etcd password given as a flag replaced by "$ETCD_PASSWORD" (so it
 * is never printed).
 */
export function resumeCommand(
  argv: readonly string[],
  paths: { archive: string; migrationArchive: string },
): string {
  const words = ['calico-migrate'];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--etcd-password') {
      words.push(word, '"$ETCD_PASSWORD"');
      i++;
    } else if (word.startsWith('--etcd-password=')) words.push('--etcd-password="$ETCD_PASSWORD"');
    else words.push(quoteShellWord(word));
  }
  if (!argv.some((word) => word === '--archive' || word.startsWith('--archive='))) {
    words.push('--archive', quoteShellWord(paths.archive));
  }
  if (
    !argv.some((word) => word === '--migration-archive' || word.startsWith('--migration-archive='))
  ) {
    words.push('--migration-archive', quoteShellWord(paths.migrationArchive));
  }
  return words.join(' ');
}

function readNodeMap(path: string): NodeMapEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read the node map ${path}: ${(error as Error).message}`,
      'check --node-map',
    );
  }
  return parseNodeMapFile(text, path);
}

/** `calico-migrate-etcd-20261129T180000Z.tar.gz`, `...-for-kdd.tar.gz`, `...-plan.json` in the current directory. */
function defaultPaths(
  options: MigrateCommandOptions,
  from: string,
  to: string,
): { archive: string; migrationArchive: string; plan: string } {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const base = (options.archive ?? `calico-migrate-${from}-${stamp}.tar.gz`).replace(
    /\.tar\.gz$/,
    '',
  );
  return {
    archive: options.archive ?? `${base}.tar.gz`,
    migrationArchive: options.migrationArchive ?? `${base}-for-${to}.tar.gz`,
    plan: options.planOut ?? `${base}-plan.json`,
  };
}
