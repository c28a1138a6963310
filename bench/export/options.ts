/** Flags of the export benchmark (`npm run bench -- export --help`). */
import { parseArgs } from 'node:util';
import type { Backend } from '../data/shape.js';
import { flagOrEnv, parsePositive, parseSizes } from '../lib/args.js';
import type { CliForm } from '../lib/cli.js';

/** Usage text. */
export const EXPORT_USAGE = `usage: npm run bench -- export [flags]

Seeds the test environment's datastores with generated Calico data at two (or more) sizes, runs
\`calico-migrate export\` on each in a child process, and prints objects/s and peak RSS per size.
Fails (exit 1) when peak RSS at the largest size exceeds --rss-limit times the smallest size's.
Needs: npm run testenv -- up --crd-mode both

  --backends <list>       etcd,kdd (default both; env BENCH_BACKENDS)
  --etcd-sizes <list>     objects per etcd dataset (default 5k,50k; env BENCH_ETCD_SIZES)
  --kdd-sizes <list>      objects per KDD dataset (default 1k,10k; env BENCH_KDD_SIZES)
  --repeat <n>            exports per size; the median is reported (default 1; env BENCH_REPEAT)
  --pods-per-node <n>     cluster density (default 30)
  --no-etcd-weps          leave out the per-pod WorkloadEndpoints of etcd datasets
  --concurrency <n>       KDD creates in flight while seeding (default 32)
  --rss-limit <ratio>     largest/smallest peak RSS allowed (default 1.3)
  --cli <dist|tsx>        run the built CLI (default; runs npm run build) or the sources via tsx
  --no-build              with --cli dist: use the existing dist/ as it is
  --node-option <flag>    extra node flag for the measured export (repeatable), e.g.
                          --node-option=--max-old-space-size=64
  --no-gc-trace           do not run the export with --trace-gc (by default the largest heap left
                          after a full GC is reported: it tells memory the export retains from
                          garbage V8 has not collected yet)
  --no-baseline           skip the export of the datastore before seeding
  --keep-archives         keep the archives in bench-results/
  --keep-data             leave the largest dataset seeded, to profile by hand; remove it
                          later with --clean-only
  --clean-only            remove seeded data left by an interrupted run, then exit
  --json <file>           also write the results as JSON (default bench-results/export-<time>.json)`;

/** Parsed flags. */
export interface ExportBenchOptions {
  backends: Backend[];
  sizes: Record<Backend, number[]>;
  repeat: number;
  podsPerNode: number;
  etcdWorkloadEndpoints: boolean;
  concurrency: number;
  rssLimit: number;
  cli: CliForm;
  build: boolean;
  nodeOptions: string[];
  baseline: boolean;
  keepArchives: boolean;
  keepData: boolean;
  cleanOnly: boolean;
  json?: string;
  help: boolean;
}

/** Parses the benchmark's arguments; throws on a bad value. */
export function parseExportOptions(argv: string[]): ExportBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      backends: { type: 'string' },
      'etcd-sizes': { type: 'string' },
      'kdd-sizes': { type: 'string' },
      repeat: { type: 'string' },
      'pods-per-node': { type: 'string', default: '30' },
      'no-etcd-weps': { type: 'boolean', default: false },
      concurrency: { type: 'string', default: '32' },
      'rss-limit': { type: 'string', default: '1.3' },
      cli: { type: 'string', default: 'dist' },
      'no-build': { type: 'boolean', default: false },
      'node-option': { type: 'string', multiple: true, default: [] },
      'no-gc-trace': { type: 'boolean', default: false },
      'no-baseline': { type: 'boolean', default: false },
      'keep-archives': { type: 'boolean', default: false },
      'keep-data': { type: 'boolean', default: false },
      'clean-only': { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const backends = flagOrEnv(values.backends, 'BENCH_BACKENDS', 'etcd,kdd').split(',');
  for (const backend of backends) {
    if (backend !== 'etcd' && backend !== 'kdd') throw new Error(`unknown backend ${backend}`);
  }
  if (values.cli !== 'dist' && values.cli !== 'tsx') throw new Error('--cli must be dist or tsx');
  return {
    backends: backends as Backend[],
    sizes: {
      etcd: parseSizes(
        flagOrEnv(values['etcd-sizes'], 'BENCH_ETCD_SIZES', '5k,50k'),
        '--etcd-sizes',
      ),
      kdd: parseSizes(flagOrEnv(values['kdd-sizes'], 'BENCH_KDD_SIZES', '1k,10k'), '--kdd-sizes'),
    },
    repeat: Math.round(parsePositive(flagOrEnv(values.repeat, 'BENCH_REPEAT', '1'), '--repeat')),
    podsPerNode: Math.round(parsePositive(values['pods-per-node'], '--pods-per-node')),
    etcdWorkloadEndpoints: !values['no-etcd-weps'],
    concurrency: Math.round(parsePositive(values.concurrency, '--concurrency')),
    rssLimit: parsePositive(values['rss-limit'], '--rss-limit'),
    cli: values.cli,
    build: !values['no-build'],
    nodeOptions: values['no-gc-trace']
      ? values['node-option']
      : [...values['node-option'], '--trace-gc'],
    baseline: !values['no-baseline'],
    keepArchives: values['keep-archives'],
    keepData: values['keep-data'],
    cleanOnly: values['clean-only'],
    json: values.json,
    help: values.help,
  };
}
