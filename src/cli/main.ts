#!/usr/bin/env node
/**
 * Entry point: parses the command line and runs the command. This is the only place that catches
 * errors and turns them into an exit code and a one-line message naming the problem and the fix.
 */
import v8 from 'node:v8';
import { CommanderError } from 'commander';
import { CalicoMigrateError, EXIT_FATAL, EXIT_PARTIAL, ExitError } from '../model/errors.js';
import { buildProgram } from './program.js';

/** Maps an error to its exit code after printing it on stderr. */
export function reportError(error: unknown, debug: boolean): number {
  if (error instanceof ExitError) return error.exitCode;
  // commander has printed its message already; usage errors exit 2 (nothing was done).
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_FATAL;
  if (error instanceof CalicoMigrateError) {
    const hint = error.hint && !error.message.includes(error.hint) ? `: ${error.hint}` : '';
    process.stderr.write(`calico-migrate: error: ${firstLine(error.message)}${hint}\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = firstLine(error instanceof Error ? error.message : String(error));
  process.stderr.write(
    `calico-migrate: internal error: ${message} (this is a bug; please report it with the --debug output)\n`,
  );
  if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return EXIT_PARTIAL;
}

/**
 * One error, one line: some foreign messages carry more (js-yaml quotes the offending lines);
 * `--debug` prints the whole error.
 */
function firstLine(message: string): string {
  const [first = ''] = message.split('\n');
  return first.trimEnd();
}

/**
 * Bounds V8's heap growth. Export, import and verify stream: their live heap stays about 40 MiB
 * whatever the number of objects, but V8 lets the old space grow to up to four times the live
 * size before a full collection when collecting is cheap, so peak RSS grew with the dataset only
 * because garbage was collected late (export of 5k vs 50k objects: 158 vs 264 MiB peak RSS with
 * a flat live heap). A 1.5x growth factor keeps RSS flat for a few percent more GC time
 * (bench/README.md). `--heap-growing-percent` is read at each collection, so setting it at
 * start-up works; it is left alone when the user passes V8 heap flags themselves.
 */
function boundHeapGrowth(): void {
  const given = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  if (!/heap-growing-percent|max-old-space-size/.test(given)) {
    v8.setFlagsFromString('--heap-growing-percent=50');
  }
}

async function main(argv: string[]): Promise<void> {
  boundHeapGrowth();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = reportError(error, argv.includes('--debug'));
  }
}

await main(process.argv);
