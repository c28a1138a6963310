/**
 * Server processes of the test environment: spawned detached (each leads its own process group and
 * outlives `testenv up`), logging to a file, tracked by pid plus kernel start time so a recycled
 * pid is never mistaken for ours, and stopped group-wide (SIGTERM, then SIGKILL).
 * Linux only: liveness and group membership are read from /proc.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** What the state file records about one process. */
export interface ProcessRecord {
  /** Role, e.g. `calico-etcd`, `kube-apiserver-v1`. */
  readonly name: string;
  /** pid, which is also the process group id. */
  readonly pid: number;
  /** Kernel start time (/proc/<pid>/stat field 22), to detect pid reuse. */
  readonly startTicks: string | null;
  readonly command: string[];
  readonly log: string;
  readonly startedAt: string;
}

/** A spawned process: its record, plus how it ended if it already did. */
export interface SpawnedProcess {
  readonly record: ProcessRecord;
  /** Set when the process has exited (only seen by the process that spawned it). */
  exit: { code: number | null; signal: string | null } | null;
}

/**
 * Spawns `command` detached, in its own process group, with stdout and stderr written to `log` (truncated first).
 * The caller must record `record` in the state file right away.
 */
export function spawnDetached(
  name: string,
  command: string,
  args: string[],
  log: string,
): SpawnedProcess {
  const fd = openSync(log, 'w');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new Error(`cannot start ${name}: ${command} did not start`);
    const spawned: SpawnedProcess = {
      record: {
        name,
        pid: child.pid,
        startTicks: readStartTicks(child.pid),
        command: [command, ...args],
        log,
        startedAt: new Date().toISOString(),
      },
      exit: null,
    };
    child.on('exit', (code, signal) => (spawned.exit = { code, signal }));
    child.on('error', () => (spawned.exit ??= { code: null, signal: null }));
    child.unref();
    return spawned;
  } finally {
    closeSync(fd);
  }
}

interface ProcStat {
  readonly state: string;
  readonly pgrp: number;
  readonly startTicks: string;
}

/** Parses /proc/<pid>/stat; `null` when the process does not exist. */
function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may contain spaces: split after it.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', pgrp: Number(fields[2]), startTicks: fields[19] ?? '' };
}

function readStartTicks(pid: number): string | null {
  return readProcStat(pid)?.startTicks ?? null;
}

/** Whether the recorded process still runs (and is the same process, not a recycled pid). */
export function isRunning(record: ProcessRecord): boolean {
  const stat = readProcStat(record.pid);
  if (stat === null || stat.state === 'Z') return false;
  return record.startTicks === null || stat.startTicks === record.startTicks;
}

/** Whether a process exists and is not a zombie (an exited process its parent has not reaped). */
export function isPidAlive(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat !== null && stat.state !== 'Z';
}

/** Live (non-zombie) members of a process group. */
function listGroupMembers(pgid: number): number[] {
  return listPids().filter((pid) => {
    const stat = readProcStat(pid);
    return stat !== null && stat.pgrp === pgid && stat.state !== 'Z';
  });
}

function listPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

/**
 * Stops a recorded process and its group: SIGTERM, then SIGKILL after `timeoutMs`. A recycled pid
 * (different start time) is left alone. Resolves once no live member remains.
 */
export async function stopProcessGroup(record: ProcessRecord, timeoutMs = 10_000): Promise<void> {
  const stat = readProcStat(record.pid);
  const ours =
    stat !== null && (record.startTicks === null || stat.startTicks === record.startTicks);
  // If the leader is gone its group may still have members; the pgid stays reserved while they live.
  if (!ours && listGroupMembers(record.pid).length === 0) return;
  await stopGroup(record.pid, timeoutMs);
}

async function stopGroup(pgid: number, timeoutMs: number): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (listGroupMembers(pgid).length > 0) {
    if (Date.now() > deadline) {
      signalGroup(pgid, 'SIGKILL');
      await waitUntil(() => listGroupMembers(pgid).length === 0, 5_000);
      return;
    }
    await sleep(50);
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await sleep(50);
}

/**
 * pids of live processes (other than this one) whose command line mentions one of `paths`. The
 * run and data directories have random names and every server gets paths inside them on its command
 * line, so this finds a server whose pid never reached the state file (crash right after spawn).
 */
export function findProcessesMentioning(paths: string[]): number[] {
  const needles = paths.filter((path) => path.length > 0);
  if (needles.length === 0) return [];
  return listPids().filter((pid) => {
    if (pid === process.pid) return false;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return false;
    }
    const stat = readProcStat(pid);
    return (
      stat !== null && stat.state !== 'Z' && needles.some((needle) => cmdline.includes(needle))
    );
  });
}

/** Stops processes found by `findProcessesMentioning` (each with its group when it leads one). */
export async function stopPids(pids: number[], timeoutMs = 10_000): Promise<void> {
  await Promise.all(
    pids.map(async (pid) => {
      const stat = readProcStat(pid);
      if (stat === null) return;
      if (stat.pgrp === pid) return stopGroup(pid, timeoutMs);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }),
  );
}

/** The last `lines` lines of a log file, for error messages. */
export function tailLog(path: string, lines = 25): string {
  try {
    const text = readFileSync(path, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
