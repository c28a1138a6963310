/**
 * The migration procedure: preflight, lock the source, export (the archive is kept: it is the
 * rollback point), transform, plan against the target, lock the target, import, verify, carry the
 * cluster GUID over, and report with the next steps. Every step works through the Datastore
 * interface; a failure at any step reports the state of both sides and how to resume or roll back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createArchiveWriter, validateArchive } from '../archive/index.js';
import { CLUSTER_INFORMATION_REF } from '../datastores/cluster-information.js';
import type { Datastore, DatastoreDescription } from '../datastores/datastore.js';
import { exportDatastore } from '../export/export-datastore.js';
import type { TargetProfile } from '../import/compare.js';
import type { ImportPolicy } from '../import/plan-object.js';
import type { PhaseContext } from '../import/phases.js';
import { explainStop } from '../import/import-archive.js';
import { applyPhase, DEFAULT_BATCH_SIZE, planPhase, verifyPhase } from '../import/phases.js';
import { ImportReport } from '../report/import-report.js';
import type { Logger } from '../report/log.js';
import type { Progress } from '../report/progress.js';
import { noProgress } from '../report/progress.js';
import { lockDatastore, readLockState, unlockDatastore } from './lock.js';
import { summarizeLockState } from './lock-record.js';
import type { MigrationPlan } from './migration-plan.js';
import type { NodeMapEntry } from './node-map-file.js';
import type { MigrationDirection } from './node-map.js';
import { nextSteps, recoveryInstructions } from './next-steps.js';
import type { TransformSummary } from './transform-archive.js';
import { transformArchive } from './transform-archive.js';

/** The two datastores of a migration, already opened and wrapped. */
export interface MigrationSides {
  source: Datastore;
  sourceDescription: DatastoreDescription;
  targetReader: Datastore;
  targetWriter: Datastore;
  targetDescription: DatastoreDescription;
  profile: TargetProfile;
}

/** Inputs of `runMigration`. */
export interface MigrationOptions {
  direction: MigrationDirection;
  sides: MigrationSides;
  planOnly: boolean;
  archivePath: string;
  migrationArchivePath: string;
  nodeMapEntries: readonly NodeMapEntry[];
  nodeMapFile?: string;
  policy: ImportPolicy;
  concurrency: number;
  unlockTarget: boolean;
  by: string;
  reason: string;
  /** This run's command line, for the resume instructions. */
  command: string;
  /** The connection flags given for each side, for the unlock and import commands printed. */
  connectionFlags?: { etcd: string; kdd: string };
  tool: { name: string; version: string };
  logger: Logger;
  progress?: Progress;
  /** Called with the plan as soon as it exists (the CLI prints and saves it). */
  onPlan: (plan: MigrationPlan) => Promise<void>;
}

/** What a migration did. */
export interface MigrationResult {
  plan: MigrationPlan;
  /** Apply and verification outcomes (absent for --plan-only or when blocked). */
  result?: ImportReport;
  targetUnlocked: boolean;
  instructions: string[];
}

/** Runs the procedure; throws (after reporting both sides) when a step fails. */
export async function runMigration(options: MigrationOptions): Promise<MigrationResult> {
  const { logger, sides } = options;
  const step = new StepTracker(logger);
  // Preflight changes nothing: a migration that cannot go ahead stops here, before any lock.
  step.begin('preflight (nothing is changed)');
  const preflight = await planOnly(options);
  if (options.planOnly || preflight.plan.blockers.length > 0) return preflight;
  const context = {
    direction: options.direction,
    command: options.command,
    archive: options.archivePath,
    migrationArchive: options.migrationArchivePath,
    by: options.by,
    ...(options.connectionFlags ? { connectionFlags: options.connectionFlags } : {}),
  };
  try {
    step.begin('lock the source');
    await lockDatastore(sides.source, { by: options.by, reason: options.reason });
    for (const line of recoveryInstructions(context)) logger.notice(line);
    step.begin(`export the source to ${options.archivePath}`);
    await exportTo(options, options.archivePath);
    step.begin(`transform for the target into ${options.migrationArchivePath}`);
    const transform = await transformTo(options, options.archivePath, options.migrationArchivePath);
    step.begin('plan against the target');
    const phase = await phaseContext(options, transform);
    const plan = await makePlan(options, transform, phase, options.archivePath);
    await options.onPlan(plan);
    // The target changed since preflight: stop with the source locked and say how to go on.
    if (plan.blockers.length > 0)
      return { plan, targetUnlocked: false, instructions: recoveryInstructions(context) };
    step.begin('lock the target');
    await lockDatastore(sides.targetWriter, { by: options.by, reason: options.reason });
    step.begin('import and verify');
    const result = await importInto(options, phase);
    step.begin('carry the cluster GUID over');
    await carryClusterGuid(sides, transform);
    let targetUnlocked = false;
    if (options.unlockTarget && !result.hasProblems()) {
      step.begin('unlock the target (--unlock-target)');
      await unlockDatastore(sides.targetWriter, { by: options.by });
      targetUnlocked = true;
    }
    return { plan, result, targetUnlocked, instructions: nextSteps(context, targetUnlocked) };
  } catch (error) {
    logger.warn(`migration stopped at step "${step.current}": ${(error as Error).message}`);
    for (const line of await describeSides(sides)) logger.warn(line);
    for (const line of recoveryInstructions(context)) logger.warn(line);
    throw error;
  }
}

/** Preflight without changing anything: export, transform and plan in a temporary directory. */
async function planOnly(options: MigrationOptions): Promise<MigrationResult> {
  // The real run saves the plan it makes after locking; preflight's is shown only when it stops.
  const dir = await mkdtemp(join(tmpdir(), 'calico-migrate-plan-'));
  try {
    const archive = join(dir, 'source.tar.gz');
    await exportTo(options, archive);
    const transform = await transformTo(options, archive, join(dir, 'migration.tar.gz'));
    const plan = await makePlan(
      options,
      transform,
      await phaseContext(options, transform),
      archive,
    );
    plan.archive = '(preflight: not kept)';
    plan.migrationArchive = '(preflight: not kept)';
    if (options.planOnly || plan.blockers.length > 0) await options.onPlan(plan);
    return { plan, targetUnlocked: false, instructions: [] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function exportTo(options: MigrationOptions, path: string): Promise<void> {
  const writer = await createArchiveWriter(path, { tool: options.tool });
  await exportDatastore({
    source: options.sides.source,
    writer,
    progress: options.progress,
    logger: options.logger,
  });
}

async function transformTo(
  options: MigrationOptions,
  source: string,
  target: string,
): Promise<TransformSummary> {
  return transformArchive({
    sourcePath: source,
    label: source,
    direction: options.direction,
    nodeMapEntries: options.nodeMapEntries,
    nodeMapFile: options.nodeMapFile,
    targetPath: target,
    tool: options.tool,
  });
}

async function makePlan(
  options: MigrationOptions,
  transform: TransformSummary,
  phase: ArchivePhaseContext,
  archive: string,
): Promise<MigrationPlan> {
  const { sides } = options;
  const targetPlan = new ImportReport();
  await planPhase({
    ...phase,
    target: sides.targetReader,
    report: targetPlan,
  });
  const blockers: string[] = [];
  const stop = explainStop(targetPlan, options.policy);
  if (stop) blockers.push(stop);
  const { archive: _archive, clusterInformation: _info, ...summary } = transform;
  const warnings = collectWarnings(options.direction, transform, targetPlan);
  return {
    createdAt: new Date().toISOString(),
    direction: options.direction,
    source: sides.sourceDescription,
    target: sides.targetDescription,
    locks: {
      source: await readLockState(sides.source),
      target: await readLockState(sides.targetReader),
    },
    archive,
    migrationArchive: transform.archive.path!,
    transform: summary,
    targetPlan,
    blockers,
    warnings,
  };
}

/** What the operator should know before the locks are taken. */
function collectWarnings(
  direction: MigrationDirection,
  transform: TransformSummary,
  targetPlan: ImportReport,
): string[] {
  const warnings: string[] = [];
  for (const skip of targetPlan.lists.skips) {
    if (skip.kind === 'Node' && skip.reason.startsWith('not restorable')) {
      warnings.push(
        `Calico node ${skip.name} has no Kubernetes Node in the target, so its node data cannot be written; its IPAM blocks, tunnel handles and per-node configuration still move, and Calico's IPAM garbage collection in KDD will release them unless the node joins`,
      );
    }
  }
  if (direction === 'etcd-to-kdd' && transform.staying.some((object) => object.kind === 'Node')) {
    warnings.push(
      'locking etcd pauses Felix and new workloads on every host that reads it, OpenStack compute hosts included, until `calico-migrate unlock --datastore etcd` (see the next steps)',
    );
  }
  return warnings;
}

async function importInto(
  options: MigrationOptions,
  phase: ArchivePhaseContext,
): Promise<ImportReport> {
  const result = new ImportReport();
  const context = {
    ...phase,
    report: result,
    progress: options.progress ?? noProgress,
  };
  await applyPhase(
    { ...context, target: options.sides.targetWriter },
    { concurrency: options.concurrency, batchSize: DEFAULT_BATCH_SIZE },
  );
  await verifyPhase({ ...context, target: options.sides.targetReader }, { countSkips: false });
  return result;
}

/** The phase context of the migration archive, without target and report. */
type ArchivePhaseContext = Omit<PhaseContext, 'target' | 'report'>;

/**
 * Validates the migration archive the transform wrote, once: the plan and the import both read
 * it through the context returned.
 */
async function phaseContext(
  options: MigrationOptions,
  transform: TransformSummary,
): Promise<ArchivePhaseContext> {
  const path = transform.archive.path!;
  const summary = await validateArchive(path);
  return {
    archivePath: path,
    label: path,
    archiveKinds: Object.keys(summary.kinds),
    hasRaw: summary.rawEntries > 0,
    profile: options.sides.profile,
    policy: options.policy,
  };
}

/**
 * The target keeps its own ClusterInformation (and lock); the source's cluster GUID is copied, as
 * calicoctl's import does (calicoctl/calicoctl/commands/datastore/migrate/import.go copies
 * `clusterGUID` and `calicoVersion`). The Calico version is copied only when the target has none
 * (a ClusterInformation the lock created): it tells later runs and calicoctl's version check which
 * storage conventions the data was written in, and calico-node overwrites it when it starts.
 */
async function carryClusterGuid(sides: MigrationSides, transform: TransformSummary): Promise<void> {
  const source = transform.clusterInformation?.spec;
  const current = await sides.targetReader.get(CLUSTER_INFORMATION_REF);
  if (!source || !current?.spec) return;
  const spec = { ...current.spec };
  if (typeof source.clusterGUID === 'string') spec.clusterGUID = source.clusterGUID;
  if (typeof source.calicoVersion === 'string' && source.calicoVersion && !spec.calicoVersion)
    spec.calicoVersion = source.calicoVersion;
  if (
    spec.clusterGUID === current.spec.clusterGUID &&
    spec.calicoVersion === current.spec.calicoVersion
  )
    return;
  await sides.targetWriter.update({ ...current, spec });
}

async function describeSides(sides: MigrationSides): Promise<string[]> {
  const describe = async (
    label: string,
    datastore: Datastore,
    description: DatastoreDescription,
  ) => {
    try {
      return `${label} ${description.type} ${description.endpoints.join(',')}: ${summarizeLockState(await readLockState(datastore))}`;
    } catch (error) {
      return `${label} ${description.type} ${description.endpoints.join(',')}: state unknown (${(error as Error).message})`;
    }
  };
  return [
    await describe('source', sides.source, sides.sourceDescription),
    await describe('target', sides.targetReader, sides.targetDescription),
  ];
}

/** Logs each step as it starts and remembers the current one for failure reports. */
class StepTracker {
  current = 'preflight';
  private number = 0;
  constructor(private readonly logger: Logger) {}
  begin(name: string): void {
    this.current = name;
    this.logger.info(`[${++this.number}] ${name}`);
  }
}
