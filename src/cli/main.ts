#!/usr/bin/env node
/**
 * Entry point: parses the command line and runs the command. This is the only place that catches
 * errors and turns them into an exit code and a one-line message naming the problem and the fix.
 */
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
    process.stderr.write(`calico-migrate: error: ${error.message}${hint}\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `calico-migrate: internal error: ${message} (this is a bug; please report it with the --debug output)\n`,
  );
  if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return EXIT_PARTIAL;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = reportError(error, argv.includes('--debug'));
  }
}

await main(process.argv);
