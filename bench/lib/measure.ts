/**
 * Runs a child process and measures its wall time and peak resident set size. The peak RSS is the
 * child's own: GNU time's `%M` (getrusage of the waited-for child) when /usr/bin/time exists,
 * else `process.resourceUsage().maxRSS` reported from inside a Node child by a preloaded module.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GNU_TIME = '/usr/bin/time';
const REPORTER = fileURLToPath(new URL('./report-max-rss.mjs', import.meta.url));

/** How peak RSS is measured on this machine. */
export type RssMethod = 'gnu-time' | 'resource-usage';

/** The method available here: GNU time if it accepts `-f`, else the preloaded reporter. */
export function rssMethod(): RssMethod {
  return existsSync(GNU_TIME) ? 'gnu-time' : 'resource-usage';
}

/** A Node.js child to measure. */
export interface MeasuredCommand {
  /** Arguments of `node` (flags, then the script and its arguments). */
  nodeArgs: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** What a measured run gave. */
export interface Measurement {
  exitCode: number;
  seconds: number;
  peakRssKiB: number;
  stdout: string;
  stderr: string;
}

/** Runs `node <nodeArgs>` to completion and measures it. */
export async function runMeasured(
  command: MeasuredCommand,
  method = rssMethod(),
): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'calico-migrate-bench-'));
  const rssFile = join(dir, 'max-rss');
  try {
    const [file, args, env] =
      method === 'gnu-time'
        ? [
            GNU_TIME,
            ['-f', '%M', '-o', rssFile, process.execPath, ...command.nodeArgs],
            command.env,
          ]
        : [
            process.execPath,
            ['--import', REPORTER, ...command.nodeArgs],
            { ...command.env, BENCH_MAX_RSS_FILE: rssFile },
          ];
    const started = process.hrtime.bigint();
    const result = await collect(file, args, env, command.cwd);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const text = existsSync(rssFile) ? readFileSync(rssFile, 'utf8') : '';
    // GNU time writes "Command exited with non-zero status N" before the figure on failure.
    const peakRssKiB = Number(text.trim().split('\n').at(-1));
    return { ...result, seconds, peakRssKiB: Number.isFinite(peakRssKiB) ? peakRssKiB : NaN };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a command and collects its output. */
export function collect(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
  });
}
