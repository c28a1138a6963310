/**
 * The test environment's command line: `npm run testenv -- <verb>`.
 *
 *   up [--crd-mode v1|v3|both] [--throttled]   start (or confirm) the environment
 *   down                                        stop it and remove its files
 *   env [--crd-mode v1|v3|throttled]            print shell exports for it
 *   status                                      show what runs where
 *
 * Use `npm run -s testenv -- env` with eval: without -s npm prints its own banner on stdout.
 * Implementation: test/harness/.
 */
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { formatEnvExports } from '../test/harness/env-exports.js';
import { isRunning } from '../test/harness/processes.js';
import { APISERVER_NAMES, listApiservers, readState, stateDir } from '../test/harness/state.js';
import type { ApiserverName, CrdMode } from '../test/harness/state.js';
import { describeTestEnv, downTestEnv } from '../test/harness/status.js';
import { upTestEnv } from '../test/harness/up.js';

const USAGE = `usage: npm run testenv -- <verb>
  up [--crd-mode v1|v3|both] [--throttled]   start Calico's etcd and kube-apiservers (default v1)
  down                                        stop everything and remove the run files
  env [--crd-mode v1|v3|throttled]            print shell exports (eval "$(npm run -s testenv -- env)")
  status                                      show what runs, ports, versions, uptime`;

const log = (line: string): void => console.log(`testenv: ${line}`);

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'crd-mode': { type: 'string' },
      throttled: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [verb, ...rest] = positionals;
  if (values.help || verb === undefined) {
    console.log(USAGE);
    return verb === undefined && !values.help ? 2 : 0;
  }
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  const mode = values['crd-mode'];
  switch (verb) {
    case 'up':
      return up(mode ?? 'v1', values.throttled);
    case 'down':
      await downTestEnv(log);
      return 0;
    case 'env':
      return printEnv(mode);
    case 'status':
      console.log(await describeTestEnv());
      return 0;
    default:
      throw new UsageError(`unknown verb ${verb}`);
  }
}

async function up(mode: string, throttled: boolean): Promise<number> {
  const modes: Record<string, CrdMode[]> = { v1: ['v1'], v3: ['v3'], both: ['v1', 'v3'] };
  const crdModes = modes[mode];
  if (crdModes === undefined)
    throw new UsageError(`--crd-mode must be v1, v3 or both, not ${mode}`);
  const started = Date.now();
  const state = await upTestEnv({ crdModes, throttled, log });
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Point a shell at it with:`);
  for (const { name } of listApiservers(state)) {
    const file = relative(process.cwd(), join(stateDir(), `env-${name}.sh`));
    log(`  eval "$(npm run -s testenv -- env --crd-mode ${name})"   # or: source ${file}`);
  }
  return 0;
}

function printEnv(mode: string | undefined): number {
  const state = readState();
  if (state === null || state.status !== 'up') {
    console.error(
      'testenv: the test environment is not up; run `npm run testenv -- up --crd-mode both`',
    );
    return 1;
  }
  const dead = state.processes.filter((record) => !isRunning(record)).map((record) => record.name);
  if (dead.length > 0) {
    console.error(
      `testenv: the test environment is broken (${dead.join(', ')} not running); run \`npm run testenv -- up\``,
    );
    return 1;
  }
  const name = mode ?? listApiservers(state)[0]?.name ?? 'v1';
  if (!(APISERVER_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`--crd-mode must be v1, v3 or throttled, not ${name}`);
  }
  process.stdout.write(formatEnvExports(state, name as ApiserverName));
  return 0;
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`testenv: error: ${message}`);
    if (error instanceof UsageError) console.error(USAGE);
    process.exit(1);
  },
);
