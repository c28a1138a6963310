/**
 * How the benchmarks start the real calico-migrate CLI in a child process: the compiled build
 * (`npm run build`, then `node dist/cli/main.js`, what users run) or the TypeScript sources
 * through tsx (`node --import tsx src/cli/main.ts`, whose loader adds about 70 MiB of RSS and
 * start-up time that are not the tool's).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect } from './measure.js';
import { progress } from './log.js';

/** The repository root. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** Which form of the CLI to run. */
export type CliForm = 'dist' | 'tsx';

/** A ready-to-run CLI. */
export interface Cli {
  form: CliForm;
  /** `node` arguments that precede the command's own arguments. */
  nodeArgs(nodeOptions?: string[]): string[];
  /** For the report, e.g. `node dist/cli/main.js`. */
  describe: string;
}

/** Builds the CLI if asked for the dist form; falls back to tsx (with a warning) if the build fails. */
export async function prepareCli(form: CliForm, build = true): Promise<Cli> {
  if (form === 'dist') {
    const main = join(REPO_ROOT, 'dist/cli/main.js');
    if (build) {
      progress('building the CLI (npm run build)');
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const result = await collect(npm, ['run', '-s', 'build'], process.env, REPO_ROOT);
      if (result.exitCode !== 0) {
        progress(
          `npm run build failed; measuring the tsx form instead:\n${result.stdout}${result.stderr}`,
        );
        return prepareCli('tsx', false);
      }
    }
    if (existsSync(main)) {
      return {
        form,
        nodeArgs: (options = []) => [...options, main],
        describe: 'node dist/cli/main.js',
      };
    }
    progress(`${main} does not exist; measuring the tsx form instead`);
  }
  return {
    form: 'tsx',
    nodeArgs: (options = []) => [...options, '--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts')],
    describe: 'node --import tsx src/cli/main.ts',
  };
}
