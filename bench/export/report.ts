/** The export benchmark's results: per-size rows, per-backend verdicts, and their text form. */
import { cpus, loadavg, totalmem } from 'node:os';
import type { Backend, ClusterShape } from '../data/shape.js';
import { fixed, formatTable, median } from '../lib/table.js';
import type { SeedSummary } from '../seed/etcd-seeder.js';
import type { ArchiveCount, ExportRun } from './run-export.js';

/** One dataset's figures. */
export interface SizeResult {
  backend: Backend;
  /** Target object count; 0 for the export of the datastore before seeding. */
  target: number;
  shape?: ClusterShape;
  seed?: SeedSummary;
  archive: ArchiveCount;
  runs: ExportRun[];
  /** Set when the archive holds fewer objects than were seeded: something else changed the data. */
  disturbed?: string;
}

/** Small versus large for one backend. */
export interface Verdict {
  backend: Backend;
  small: SizeResult;
  large: SizeResult;
  /** Ratio of the generated datasets' sizes. */
  objectsRatio: number;
  rssRatio: number;
  throughputRatio: number;
  /** Throughput ratio with the fixed cost (the export before seeding) taken out; NaN without it. */
  netThroughputRatio: number;
  rssLimit: number;
  outcome: 'PASS' | 'FAIL' | 'INVALID';
}

const MiB = 1024 * 1024;
/** Median wall seconds of a size's runs. */
export const seconds = (result: SizeResult) => median(result.runs.map((run) => run.seconds));
/** Median peak RSS of a size's runs, in MiB. */
export const rssMiB = (result: SizeResult) =>
  median(result.runs.map((run) => run.peakRssKiB)) / 1024;
const rate = (result: SizeResult) => result.archive.objects / seconds(result);
/** Objects per second beyond the fixed cost of an export of the unseeded datastore. */
const netRate = (result: SizeResult, base?: SizeResult) =>
  base ? (result.archive.objects - base.archive.objects) / (seconds(result) - seconds(base)) : NaN;

/** Compares the smallest and the largest seeded dataset of a backend. */
export function judge(results: SizeResult[], rssLimit: number): Verdict | undefined {
  const base = results.find((result) => result.target === 0);
  const seeded = results.filter((result) => result.target > 0);
  if (seeded.length < 2) return undefined;
  const [small, large] = [seeded[0]!, seeded.at(-1)!];
  const rssRatio = rssMiB(large) / rssMiB(small);
  const disturbed = seeded.some((result) => result.disturbed);
  return {
    backend: small.backend,
    small,
    large,
    // Generated objects: anything else in the datastore is the same in both and is left out.
    objectsRatio: large.target / small.target,
    rssRatio,
    throughputRatio: rate(large) / rate(small),
    netThroughputRatio: netRate(large, base) / netRate(small, base),
    rssLimit,
    outcome: disturbed ? 'INVALID' : rssRatio <= rssLimit ? 'PASS' : 'FAIL',
  };
}

/** Facts about the machine and the run that qualify the figures. */
export interface RunContext {
  cli: string;
  rssMethod: string;
  nodeOptions: string[];
  loadBefore: number[];
  repeat: number;
}

function renderRow(result: SizeResult, base: SizeResult | undefined): string[] {
  const runs = result.runs.map((run) => run.peakRssKiB / 1024);
  const spread =
    runs.length > 1 ? ` (${fixed(Math.min(...runs))}-${fixed(Math.max(...runs))})` : '';
  const live = liveMiB(result);
  return [
    result.backend,
    result.target === 0 ? 'before seeding' : `${result.target}${result.disturbed ? ' *' : ''}`,
    result.shape ? `${result.shape.nodes}` : '-',
    `${result.archive.objects}`,
    result.seed ? fixed(result.seed.seconds) : '-',
    fixed(seconds(result), 2),
    fixed(rate(result), 0),
    result.target === 0 ? '-' : fixed(netRate(result, base), 0),
    `${fixed(rssMiB(result))}${spread}`,
    fixed(live),
    fixed(median(result.runs.map((run) => run.archiveBytes)) / MiB, 2),
  ];
}

/** The results as text for stdout. */
export function renderReport(
  context: RunContext,
  results: SizeResult[],
  verdicts: Verdict[],
): string {
  const cpu = cpus();
  const baseOf = (backend: Backend) => results.find((r) => r.backend === backend && r.target === 0);
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(' ');
  const lines = [
    `calico-migrate export benchmark: ${context.cli}${context.nodeOptions.length ? ` (node ${context.nodeOptions.join(' ')})` : ''}`,
    `machine: ${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${fixed(totalmem() / 1024 ** 3)} GiB, node ${process.version}; ` +
      `load average ${load(context.loadBefore)} before, ${load(loadavg())} after`,
    `peak RSS: ${context.rssMethod === 'gnu-time' ? '/usr/bin/time %M' : 'process.resourceUsage().maxRSS'} of the export process; ` +
      `export s: wall time of the whole process, start-up included (median of ${context.repeat}); ` +
      'net objects/s: beyond the export of the datastore before seeding',
    '',
    formatTable(
      [
        'backend',
        'dataset',
        ' nodes',
        ' objects',
        ' seed s',
        ' export s',
        ' objects/s',
        ' net obj/s',
        ' peak RSS MiB',
        ' live heap MiB',
        ' archive MiB',
      ],
      results.map((result) => renderRow(result, baseOf(result.backend))),
    ),
  ];
  for (const result of results.filter((candidate) => candidate.disturbed)) {
    lines.push(`* ${result.backend} ${result.target}: ${result.disturbed}`);
  }
  lines.push('');
  for (const verdict of verdicts) lines.push(renderVerdict(verdict));
  return `${lines.join('\n')}\n`;
}

/** The largest live heap (after a full GC) of a size's runs, if traced. */
const liveMiB = (result: SizeResult) => {
  const live = result.runs.map((run) => run.liveHeapMiB).filter((value) => value !== undefined);
  return live.length > 0 ? Math.max(...live) : undefined;
};

function renderVerdict(verdict: Verdict): string {
  const { small, large } = verdict;
  const [liveSmall, liveLarge] = [liveMiB(small), liveMiB(large)];
  const live =
    liveSmall !== undefined && liveLarge !== undefined
      ? `; live heap after full GC ${fixed(liveSmall)} -> ${fixed(liveLarge)} MiB`
      : '';
  const grownMiB = rssMiB(large) - rssMiB(small);
  const grownObjects = large.archive.objects - small.archive.objects;
  const net = Number.isFinite(verdict.netThroughputRatio)
    ? ` (net ${verdict.netThroughputRatio.toFixed(2)})`
    : '';
  return (
    `${verdict.backend}: peak RSS ${large.target}/${small.target} = ${verdict.rssRatio.toFixed(3)} ` +
    `(limit ${verdict.rssLimit}) ${verdict.outcome}; ` +
    `objects/s ${large.target}/${small.target} = ${verdict.throughputRatio.toFixed(2)}${net}; ` +
    `${grownMiB >= 0 ? '+' : ''}${fixed(grownMiB)} MiB for ${grownObjects} more objects ` +
    `(${fixed((grownMiB * MiB) / Math.max(grownObjects, 1), 0)} B/object); ` +
    `datasets ${verdict.objectsRatio.toFixed(1)}x apart${verdict.objectsRatio < 10 ? ' (LESS THAN 10x)' : ''}` +
    live
  );
}
