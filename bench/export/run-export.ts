/**
 * One measured `calico-migrate export` in its own process, and the count of what the archive
 * holds (read back with `calico-migrate inspect -o json`, outside the measurement, which also
 * proves the archive is valid).
 */
import { rmSync, statSync } from 'node:fs';
import type { Backend } from '../data/shape.js';
import { childEnvironment } from '../lib/args.js';
import type { Cli } from '../lib/cli.js';
import { REPO_ROOT } from '../lib/cli.js';
import { collect, runMeasured } from '../lib/measure.js';

/** The figures of one export. */
export interface ExportRun {
  seconds: number;
  peakRssKiB: number;
  archiveBytes: number;
  /** With `--trace-gc`: the largest heap left after a full (mark-compact) GC, and how many ran. */
  liveHeapMiB?: number;
  fullGcs?: number;
  /** Objects (and raw entries) in this run's archive. */
  objects?: number;
}

/** `Mark-Compact 99.8 (130.2) -> 41.6 (112.0) MB` lines of `node --trace-gc`. */
const MARK_COMPACT = /Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/g;

/** Reads the live heap after each full GC from `--trace-gc` output. */
export function readFullGcs(output: string): { liveHeapMiB?: number; fullGcs: number } {
  const live = [...output.matchAll(MARK_COMPACT)].map((match) => Number(match[1]));
  return { liveHeapMiB: live.length > 0 ? Math.max(...live) : undefined, fullGcs: live.length };
}

/** What an archive holds. */
export interface ArchiveCount {
  /** Objects plus raw entries. */
  objects: number;
  raw: number;
  derived: number;
}

/** Runs one export of `backend` into `archive`; throws with the CLI's stderr if it fails. */
export async function measureExport(
  cli: Cli,
  backend: Backend,
  connectionFlags: string[],
  archive: string,
  nodeOptions: string[],
): Promise<ExportRun> {
  rmSync(archive, { force: true });
  const args = ['export', '--from', backend, '-o', archive, ...connectionFlags];
  const run = await runMeasured({
    nodeArgs: [...cli.nodeArgs(nodeOptions), ...args],
    env: childEnvironment(),
    cwd: REPO_ROOT,
  });
  if (run.exitCode !== 0) {
    throw new Error(
      `export exited with ${run.exitCode}:\n${run.stderr.trim().split('\n').slice(-20).join('\n')}`,
    );
  }
  const gc = nodeOptions.includes('--trace-gc') ? readFullGcs(run.stdout) : {};
  return {
    seconds: run.seconds,
    peakRssKiB: run.peakRssKiB,
    archiveBytes: statSync(archive).size,
    ...gc,
  };
}

/** Validates the archive with `calico-migrate inspect -o json` and counts its contents. */
export async function countArchive(cli: Cli, archive: string): Promise<ArchiveCount> {
  const result = await collect(
    process.execPath,
    [...cli.nodeArgs(), 'inspect', archive, '-o', 'json'],
    childEnvironment(),
    REPO_ROOT,
  );
  if (result.exitCode !== 0)
    throw new Error(`inspect rejected ${archive}:\n${result.stderr.trim()}`);
  const summary = JSON.parse(result.stdout) as {
    resources: number;
    rawEntries: number;
    kinds: Record<string, { total: number; derived: number }>;
  };
  const derived = Object.values(summary.kinds).reduce((sum, kind) => sum + kind.derived, 0);
  return { objects: summary.resources + summary.rawEntries, raw: summary.rawEntries, derived };
}
