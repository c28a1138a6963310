/**
 * The command table: flags and help only. Each action turns its options into a typed object and
 * lazy-imports the command, so start-up stays fast and commands can be tested without the parser.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import {
  addConnectionOptions,
  addOutputOptions,
  readConnectionFlags,
  readLogLevel,
} from './options.js';

/** Builds the commander program. */
export function buildProgram(): Command {
  const program = new Command(TOOL_NAME)
    .description(
      'Back up, restore and migrate Project Calico data between etcd and the Kubernetes API datastore',
    )
    .version(TOOL_VERSION)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();

  const exportCommand = program
    .command('export')
    .description('snapshot every Calico resource of a datastore into a verifiable archive')
    .addOption(
      new Option('--from <datastore>', 'source datastore (default: DATASTORE_TYPE)').choices([
        'etcd',
        'etcdv3',
        'kdd',
        'kubernetes',
      ]),
    )
    .requiredOption('-o, --output <file>', 'archive to write (.tar.gz), or - for stdout');
  addOutputOptions(addConnectionOptions(exportCommand)).action(
    async (options: Record<string, unknown>) => {
      const { runExport } = await import('./commands/export.js');
      await runExport({
        from: options.from as string | undefined,
        output: options.output as string,
        connection: readConnectionFlags(options),
        logLevel: readLogLevel(options),
      });
    },
  );

  program
    .command('inspect')
    .description('validate an archive (format, checksums, manifest) and print what it holds')
    .argument('<archive>', 'archive file, or - for stdin')
    .option('--list', 'list every object')
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['text', 'json'])
        .default('text'),
    )
    .action(async (archive: string, options: Record<string, unknown>) => {
      const { runInspect } = await import('./commands/inspect.js');
      await runInspect({
        archive,
        list: options.list === true,
        output: options.output as 'text' | 'json',
      });
    });

  const importCommand = program
    .command('import')
    .description(
      'restore an archive into etcd or KDD: validate, plan, apply with rate-limited concurrent writes, verify',
    )
    .argument('<archive>', 'archive file, or - for stdin')
    .addOption(
      new Option('--to <datastore>', 'target datastore (default: DATASTORE_TYPE)').choices(
        DATASTORE_CHOICES,
      ),
    )
    .addOption(
      new Option(
        '--on-conflict <policy>',
        'objects that exist with other content: fail (stop before any write), skip, or overwrite',
      )
        .choices(['fail', 'skip', 'overwrite'])
        .default('fail'),
    )
    .option(
      '--dry-run',
      'print the plan and write nothing (KDD: also validate every object with a server-side dry run)',
    )
    .option(
      '--skip-derived',
      'leave derived objects (workload endpoints, kns./ksa. profiles, knp. policies, auto host endpoints) out of an etcd target',
    )
    .option(
      '--skip-invalid',
      'leave out objects Calico would refuse (bad CIDRs, ...) instead of stopping before any write',
    )
    .option('--restore-status', 'also restore status (KDD: through the status subresource)')
    .option('--concurrency <n>', 'concurrent writes within a kind', parseCount, 16)
    .option('--qps <n>', 'client-side request rate cap (0: none)', parseCount, DEFAULT_QPS)
    .option('--burst <n>', 'requests allowed at once above the rate', parseCount, DEFAULT_BURST)
    .option(
      '--batch-size <n>',
      'creates per etcd transaction (1: one object per request)',
      parseCount,
      64,
    )
    .option(
      '--report <file>',
      'write the full JSON report (every skip, conflict, failure and difference)',
    );
  addOutputOptions(addConnectionOptions(importCommand)).action(
    async (archive: string, options: Record<string, unknown>) => {
      const { runImport } = await import('./commands/import.js');
      await runImport({
        archive,
        to: options.to as string | undefined,
        connection: readConnectionFlags(options),
        onConflict: options.onConflict as 'fail' | 'skip' | 'overwrite',
        dryRun: options.dryRun === true,
        skipDerived: options.skipDerived === true,
        skipInvalid: options.skipInvalid === true,
        restoreStatus: options.restoreStatus === true,
        concurrency: options.concurrency as number,
        batchSize: Math.max(1, options.batchSize as number),
        qps: options.qps as number,
        burst: options.burst as number,
        reportFile: options.report as string | undefined,
        logLevel: readLogLevel(options),
      });
    },
  );

  const verifyCommand = program
    .command('verify')
    .description('compare an archive with a live datastore, writing nothing')
    .argument('<archive>', 'archive file, or - for stdin')
    .addOption(
      new Option(
        '--against <datastore>',
        'datastore to compare with (default: DATASTORE_TYPE)',
      ).choices(DATASTORE_CHOICES),
    )
    .option('--skip-derived', 'do not expect derived objects in an etcd datastore')
    .option('--restore-status', 'compare status too (KDD)')
    .option('--report <file>', 'write the full JSON report');
  addOutputOptions(addConnectionOptions(verifyCommand)).action(
    async (archive: string, options: Record<string, unknown>) => {
      const { runVerify } = await import('./commands/verify.js');
      await runVerify({
        archive,
        against: options.against as string | undefined,
        connection: readConnectionFlags(options),
        skipDerived: options.skipDerived === true,
        restoreStatus: options.restoreStatus === true,
        reportFile: options.report as string | undefined,
        logLevel: readLogLevel(options),
      });
    },
  );

  const lockCommand = program
    .command('lock')
    .description(
      'lock a datastore for migration: set ClusterInformation datastoreReady=false and record who, when and why',
    )
    .addOption(
      new Option('--datastore <datastore>', 'datastore to lock (default: DATASTORE_TYPE)').choices(
        DATASTORE_CHOICES,
      ),
    )
    .option('--reason <text>', 'why, recorded with the lock')
    .option('--by <name>', 'lock owner to record (default: user@host)')
    .option('--force', 'take over a lock held by someone else');
  addOutputOptions(addConnectionOptions(lockCommand)).action(
    async (options: Record<string, unknown>) => {
      const { runLock } = await import('./commands/lock.js');
      await runLock({
        datastore: options.datastore as string | undefined,
        reason: options.reason as string | undefined,
        by: options.by as string | undefined,
        force: options.force === true,
        connection: readConnectionFlags(options),
        logLevel: readLogLevel(options),
      });
    },
  );

  const unlockCommand = program
    .command('unlock')
    .description('release the migration lock: set ClusterInformation datastoreReady=true')
    .addOption(
      new Option(
        '--datastore <datastore>',
        'datastore to unlock (default: DATASTORE_TYPE)',
      ).choices(DATASTORE_CHOICES),
    )
    .option('--by <name>', 'owner the lock was taken by (default: user@host)')
    .option('--force', 'release a lock held by someone else');
  addOutputOptions(addConnectionOptions(unlockCommand)).action(
    async (options: Record<string, unknown>) => {
      const { runUnlock } = await import('./commands/unlock.js');
      await runUnlock({
        datastore: options.datastore as string | undefined,
        by: options.by as string | undefined,
        force: options.force === true,
        connection: readConnectionFlags(options),
        logLevel: readLogLevel(options),
      });
    },
  );

  const statusCommand = program
    .command('status')
    .description(
      'show each datastore: type, endpoints, CRD mode, Calico version, cluster GUID and the migration lock',
    )
    .addOption(
      new Option(
        '--datastore <datastore>',
        'datastore to show, or both (default: every configured one)',
      ).choices([...DATASTORE_CHOICES, 'both']),
    )
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['text', 'json'])
        .default('text'),
    );
  addOutputOptions(addConnectionOptions(statusCommand)).action(
    async (options: Record<string, unknown>) => {
      const { runStatus } = await import('./commands/status.js');
      await runStatus({
        datastore: options.datastore as string | undefined,
        output: options.output as 'text' | 'json',
        connection: readConnectionFlags(options),
      });
    },
  );

  const migrateCommand = program
    .command('migrate')
    .description(
      'migrate between datastores: preflight, lock, export (kept), node mapping and hybrid split, import, verify',
    )
    .addOption(
      new Option('--from <datastore>', 'source datastore')
        .choices(DATASTORE_CHOICES)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--to <datastore>', 'target datastore')
        .choices(DATASTORE_CHOICES)
        .makeOptionMandatory(),
    )
    .option('--plan-only', 'run the preflight and print and save the plan; change nothing')
    .option('--plan-out <file>', 'where to save the plan JSON (default: next to the archive)')
    .option(
      '--archive <file>',
      'where to keep the source archive, the rollback point (default: ./calico-migrate-<from>-<time>.tar.gz)',
    )
    .option('--migration-archive <file>', 'where to keep the transformed archive that is imported')
    .option(
      '--node-map <file>',
      'Calico node name -> Kubernetes node name (YAML/JSON map or two columns); overrides orchRefs',
    )
    .option(
      '--unlock-target',
      'unlock the target after a verified import (default: leave it locked)',
    )
    .addOption(
      new Option('--on-conflict <policy>', 'objects that exist in the target with other content')
        .choices(['fail', 'skip', 'overwrite'])
        .default('fail'),
    )
    .option('--concurrency <n>', 'concurrent writes within a kind', parseCount, 16)
    .option('--qps <n>', 'client-side request rate cap (0: none)', parseCount, DEFAULT_QPS)
    .option('--burst <n>', 'requests allowed at once above the rate', parseCount, DEFAULT_BURST)
    .option('--by <name>', 'lock owner recorded on both sides (default: user@host)')
    .option('--reason <text>', 'lock reason recorded on both sides')
    .option('--report <file>', 'write the full JSON report');
  addOutputOptions(addConnectionOptions(migrateCommand)).action(
    async (options: Record<string, unknown>) => {
      const { runMigrate } = await import('./commands/migrate.js');
      await runMigrate({
        from: options.from as string,
        to: options.to as string,
        connection: readConnectionFlags(options),
        planOnly: options.planOnly === true,
        planOut: options.planOut as string | undefined,
        archive: options.archive as string | undefined,
        migrationArchive: options.migrationArchive as string | undefined,
        nodeMap: options.nodeMap as string | undefined,
        unlockTarget: options.unlockTarget === true,
        onConflict: options.onConflict as 'fail' | 'skip' | 'overwrite',
        concurrency: options.concurrency as number,
        qps: options.qps as number,
        burst: options.burst as number,
        reportFile: options.report as string | undefined,
        by: options.by as string | undefined,
        reason: options.reason as string | undefined,
        logLevel: readLogLevel(options),
        argv: process.argv.slice(2),
      });
    },
  );

  return program;
}

/**
 * Write rate defaults: high enough that a restore is limited by the API server, not by the client
 * (calicoctl's import uses 50/s, Velero 100/s), and bounded so that a burst of 16 concurrent
 * writers cannot flood a shared API server; API Priority and Fairness answers 429 beyond what the
 * server grants, which is retried with backoff.
 */
const DEFAULT_QPS = 1000;
const DEFAULT_BURST = 200;

const DATASTORE_CHOICES = ['etcd', 'etcdv3', 'kdd', 'kubernetes'];

function parseCount(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new InvalidArgumentError('expected a whole number >= 0');
  return number;
}
