/**
 * The export benchmark: for each backend, export the datastore as it is (the fixed cost), then
 * seed datasets of increasing size, export each in a child process, and compare the smallest with
 * the largest: peak RSS must stay within --rss-limit (memory flat in the number of objects).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { acquireDatastoreLock } from '../../test/helpers/clean-datastores.js';
import { loadTestEnv } from '../../test/helpers/testenv.js';
import type { Backend } from '../data/shape.js';
import { shapeForObjects } from '../data/shape.js';
import { prepareCli } from '../lib/cli.js';
import type { Cli } from '../lib/cli.js';
import { progress } from '../lib/log.js';
import { rssMethod } from '../lib/measure.js';
import { openSeedTarget, RESULTS_DIR } from '../seed/targets.js';
import type { SeedTarget } from '../seed/targets.js';
import type { ExportBenchOptions } from './options.js';
import { EXPORT_USAGE, parseExportOptions } from './options.js';
import type { SizeResult, Verdict } from './report.js';
import { judge, renderReport } from './report.js';
import { countArchive, measureExport } from './run-export.js';
import type { ArchiveCount, ExportRun } from './run-export.js';

/** Runs the benchmark; resolves the exit code (1 when a memory target fails). */
export async function run(argv: string[]): Promise<number> {
  const options = parseExportOptions(argv);
  if (options.help) {
    console.log(EXPORT_USAGE);
    return 0;
  }
  const env = loadTestEnv();
  // The integration tests wipe and restore the same datastores: take their lock for the run.
  const release = await acquireDatastoreLock();
  try {
    return await runLocked(options, env);
  } finally {
    release();
  }
}

async function runLocked(
  options: ReturnType<typeof parseExportOptions>,
  env: ReturnType<typeof loadTestEnv>,
): Promise<number> {
  if (options.cleanOnly) {
    for (const backend of options.backends) {
      const target = await openSeedTarget(backend, env, options);
      progress(`${backend}: removing seeded data`);
      await target.clean().finally(() => target.close());
    }
    return 0;
  }
  const loadBefore = loadavg();
  const cli = await prepareCli(options.cli, options.build);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const results: SizeResult[] = [];
  const verdicts: Verdict[] = [];
  for (const backend of options.backends) {
    const target = await openSeedTarget(backend, env, options);
    try {
      const backendResults = await benchmarkBackend(cli, target, options);
      results.push(...backendResults);
      const verdict = judge(backendResults, options.rssLimit);
      if (verdict) verdicts.push(verdict);
    } finally {
      await target.close();
    }
  }
  const context = {
    cli: cli.describe,
    rssMethod: rssMethod(),
    nodeOptions: options.nodeOptions,
    loadBefore,
    repeat: options.repeat,
  };
  const report = renderReport(context, results, verdicts);
  process.stdout.write(report);
  const jsonPath =
    options.json ??
    join(RESULTS_DIR, `export-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    jsonPath,
    JSON.stringify({ context, results, verdicts: verdicts.map(summarize) }, bigints, 2),
  );
  progress(`results written to ${jsonPath}`);
  if (verdicts.some((verdict) => verdict.outcome === 'INVALID')) return 2;
  return verdicts.every((verdict) => verdict.outcome === 'PASS') ? 0 : 1;
}

/** Baseline, then every size of one backend; the datastore is cleaned before and after each size. */
async function benchmarkBackend(
  cli: Cli,
  target: SeedTarget,
  options: ExportBenchOptions,
): Promise<SizeResult[]> {
  const { backend } = target;
  const results: SizeResult[] = [];
  progress(`${backend}: removing data left by an earlier run`);
  await target.clean();
  if (options.baseline) {
    progress(`${backend}: exporting the datastore before seeding`);
    results.push(await exportSize(cli, target, options, 0));
  }
  const sizes = options.sizes[backend];
  for (const size of sizes) {
    const last = size === sizes.at(-1);
    const shape = shapeForObjects(backend, size, {
      podsPerNode: options.podsPerNode,
      workloadEndpoints: options.etcdWorkloadEndpoints,
    });
    progress(
      `${backend}: seeding about ${size} objects (${shape.nodes} nodes, ${shape.nodes * shape.podsPerNode} pods)`,
    );
    try {
      const seed = await target.seed(shape);
      progress(
        `${backend}: seeded ${seed.objects} objects in ${seed.seconds.toFixed(1)} s (${Math.round(seed.objects / seed.seconds)}/s)`,
      );
      const result: SizeResult = { ...(await exportSize(cli, target, options, size)), shape, seed };
      if (result.archive.objects < seed.objects) {
        result.disturbed =
          `an archive holds ${result.archive.objects} objects but ${seed.objects} were seeded: ` +
          'something else changed the datastore during the run (integration tests on the same testenv?)';
        progress(`${backend}: WARNING: ${result.disturbed}`);
      }
      results.push(result);
    } finally {
      if (last && options.keepData) {
        progress(`${backend}: leaving the data seeded (remove it with --clean-only)`);
      } else {
        progress(`${backend}: cleaning`);
        await target.clean();
      }
    }
  }
  return results;
}

/** Exports the datastore `repeat` times and counts the archive once. */
async function exportSize(
  cli: Cli,
  target: SeedTarget,
  options: ExportBenchOptions,
  size: number,
): Promise<SizeResult> {
  const archive = join(RESULTS_DIR, `export-${target.backend}-${size}.tar.gz`);
  const runs: ExportRun[] = [];
  const counts: ArchiveCount[] = [];
  for (let i = 0; i < options.repeat; i++) {
    const result = await measureExport(
      cli,
      target.backend,
      target.connectionFlags,
      archive,
      options.nodeOptions,
    );
    // Every run's archive is counted: a run that saw less data than was seeded is not comparable.
    const count = await countArchive(cli, archive);
    progress(
      `${target.backend}: export ${i + 1}/${options.repeat}: ${count.objects} objects, ${result.seconds.toFixed(2)} s, ` +
        `peak RSS ${(result.peakRssKiB / 1024).toFixed(1)} MiB`,
    );
    runs.push({ ...result, objects: count.objects });
    counts.push(count);
  }
  if (!options.keepArchives) rmSync(archive, { force: true });
  const fewest = counts.reduce((least, count) => (count.objects < least.objects ? count : least));
  return { backend: target.backend as Backend, target: size, archive: fewest, runs };
}

/** A verdict without the nested results (those are listed once). */
function summarize(verdict: Verdict) {
  const { small, large, ...rest } = verdict;
  return { ...rest, small: small.target, large: large.target };
}

/** JSON replacer: nothing in the results is a bigint, but shapes are plain; keep it safe. */
function bigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
