/**
 * The benchmark runner: `npm run bench -- [<name>] [flags]`. Benchmarks print figures (they are
 * not tests); each one decides its own exit code (non-zero when a target it checks is missed).
 * To add one, add a row to BENCHMARKS with a module that exports `run(argv): Promise<number>`.
 */

/** A benchmark module. */
interface Benchmark {
  run(argv: string[]): Promise<number>;
}

/** Every benchmark, by name; `npm run bench` with no name runs them all in this order. */
const BENCHMARKS: Record<string, { summary: string; load: () => Promise<Benchmark> }> = {
  export: {
    summary: 'export throughput and peak RSS at two dataset sizes (etcd and KDD)',
    load: () => import('./export/export-bench.js'),
  },
  import: {
    summary:
      'import objects/s into KDD and etcd: defaults vs concurrency 1 vs a sequential 50/s baseline',
    load: () => import('./import/import-bench.js'),
  },
};

const USAGE = `usage: npm run bench -- [<name>] [flags]    (npm run bench -- <name> --help for its flags)

${Object.entries(BENCHMARKS)
  .map(([name, { summary }]) => `  ${name.padEnd(10)} ${summary}`)
  .join('\n')}

Without a name every benchmark runs with its defaults. Needs the test environment:
  npm run testenv -- up --crd-mode both`;

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help' || first === 'list') {
    console.log(USAGE);
    return 0;
  }
  const names = first === undefined || first.startsWith('-') ? Object.keys(BENCHMARKS) : [first];
  const args = first === undefined || first.startsWith('-') ? argv : rest;
  let exitCode = 0;
  for (const name of names) {
    const benchmark = BENCHMARKS[name];
    if (!benchmark) {
      console.error(`unknown benchmark ${name}\n\n${USAGE}`);
      return 2;
    }
    const code = await (await benchmark.load()).run(args);
    exitCode = Math.max(exitCode, code);
  }
  return exitCode;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 2;
  },
);
