/**
 * Runs the real CLI (`node --import tsx src/cli/main.ts ...`) in a child process with an explicit,
 * minimal environment, and captures stdout (as bytes), stderr and the exit code.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/** Options of `runCli`. */
export interface RunCliOptions {
  /** Extra environment variables (the child gets only PATH, a scratch HOME and these). */
  env?: Record<string, string>;
  /** Bytes to write to the child's stdin (closed afterwards); stdin is empty otherwise. */
  stdin?: Buffer;
  /** Run under this umask (via /bin/sh), e.g. 0 to prove file modes do not depend on it. */
  umask?: number;
  /** Kill the child after this many milliseconds (default 120 s). */
  timeoutMs?: number;
}

/** What the CLI did. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  /** Wall-clock milliseconds. */
  ms: number;
}

/** The command line that runs the CLI from the repository (tsx resolves from the repo root). */
export function cliCommand(args: readonly string[]): string[] {
  return [process.execPath, '--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), ...args];
}

/** A minimal environment: no KUBECONFIG, ETCD_* or DATASTORE_TYPE leaks in from the caller. */
export function cliEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(repoRoot, '.testenv'), ...extra };
}

/** Runs `calico-migrate <args>` and waits for it to exit. */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  const [command, ...rest] = cliCommand(args);
  const argv =
    options.umask === undefined
      ? { file: command!, args: rest }
      : {
          file: '/bin/sh',
          args: ['-c', `umask ${options.umask.toString(8)} && exec "$@"`, 'sh', command!, ...rest],
        };
  const started = Date.now();
  const child = spawn(argv.file, argv.args, {
    cwd: repoRoot,
    env: cliEnvironment(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.on('error', () => undefined); // the CLI may exit before reading all of stdin
  child.stdin.end(options.stdin);
  return collect(child, started, options.timeoutMs);
}

/** Waits for a child and gathers its output. */
function collect(child: ChildProcess, started: number, timeoutMs = 120_000): Promise<CliResult> {
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(stdout), stderr, ms: Date.now() - started });
    });
  });
}

/**
 * Runs `calico-migrate <first> | calico-migrate <second>`: the first process's stdout is an OS
 * pipe into the second's stdin (as a shell pipeline). The first result has an empty stdout.
 */
export async function runCliPipeline(
  first: readonly string[],
  second: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<[CliResult, CliResult]> {
  const started = Date.now();
  const spawnCli = (
    args: readonly string[],
    stdin: 'pipe' | NonNullable<ChildProcess['stdout']>,
  ) => {
    const [command, ...rest] = cliCommand(args);
    return spawn(command!, rest, {
      cwd: repoRoot,
      env: cliEnvironment(options.env),
      stdio: [stdin, 'pipe', 'pipe'],
    });
  };
  const producer = spawnCli(first, 'pipe');
  producer.stdin!.end();
  const consumer = spawnCli(second, producer.stdout!);
  // The consumer has its own copy of the pipe now; closing ours lets the producer's 'close' event
  // fire (it waits for every stdio stream) and leaves the consumer the only reader.
  producer.stdout!.destroy();
  const results = await Promise.all([
    collectStderrOnly(producer, started, options.timeoutMs),
    collect(consumer, started, options.timeoutMs),
  ]);
  return results;
}

/** Like `collect`, but leaves stdout to the process it is piped into. */
function collectStderrOnly(
  child: ChildProcess,
  started: number,
  timeoutMs = 120_000,
): Promise<CliResult> {
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.alloc(0), stderr, ms: Date.now() - started });
    });
  });
}
