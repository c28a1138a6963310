/**
 * Stops everything a test environment run started and removes its directories, from the state file
 * alone: recorded process groups (SIGTERM, then SIGKILL), then any process whose command line still
 * names the run's directories (a server spawned just before a crash, before its pid was recorded),
 * then the directories, and the state file last, so an interrupted teardown can be repeated.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProcessesMentioning, stopPids, stopProcessGroup } from './processes.js';
import { removeState, stateDir } from './state.js';
import type { TestEnvState } from './state.js';

/** Prefix of run directories inside the state directory. */
export const RUN_DIR_PREFIX = 'run-';
/** Prefix of data directories (on /dev/shm or the temp dir). */
export const DATA_DIR_PREFIX = 'calico-migrate-testenv-';

/** Where the data directory of run `id` goes: /dev/shm when it exists (etcd 3.4 cannot skip fsync). */
export function dataDirFor(id: string): string {
  return join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), `${DATA_DIR_PREFIX}${id}`);
}

/** Stops the recorded processes and removes the recorded directories and the state file. */
export async function teardown(state: TestEnvState, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const dirs = [state.runDir, state.dataDir];
  const recorded = new Set(state.processes.map((p) => p.pid));
  const strays = findProcessesMentioning(dirs.map((dir) => `${dir}/`)).filter(
    (pid) => !recorded.has(pid),
  );
  if (strays.length > 0)
    log(`stopping ${strays.length} unrecorded process(es): ${strays.join(', ')}`);
  // Apiservers (and unrecorded processes, which may be apiservers) first: an apiserver whose etcd
  // is already gone drags out its graceful shutdown.
  const isApiserver = (name: string): boolean => name.startsWith('kube-apiserver');
  await Promise.all([
    ...state.processes.filter((p) => isApiserver(p.name)).map((record) => stopProcessGroup(record)),
    stopPids(strays),
  ]);
  await Promise.all(
    state.processes.filter((p) => !isApiserver(p.name)).map((record) => stopProcessGroup(record)),
  );
  await stopStrays(dirs, log); // anything that still names the run's directories
  removeDir(state.runDir);
  removeDir(state.dataDir);
  removeState();
  log(
    `stopped ${state.processes.length + strays.length} processes and removed run ${state.id} in ${Date.now() - started} ms`,
  );
}

/**
 * Cleans up run directories that no state file points to any more (the state file was deleted by
 * hand): their processes, the run directories and their data directories. Returns how many.
 */
export async function removeOrphanRuns(log: (line: string) => void): Promise<number> {
  if (!existsSync(stateDir())) return 0;
  const runs = readdirSync(stateDir()).filter((name) => name.startsWith(RUN_DIR_PREFIX));
  for (const run of runs) {
    const id = run.slice(RUN_DIR_PREFIX.length);
    const dirs = [join(stateDir(), run), dataDirFor(id)];
    await stopStrays(dirs, log);
    dirs.forEach(removeDir);
    log(`removed orphaned run ${id}`);
  }
  return runs.length;
}

async function stopStrays(dirs: string[], log: (line: string) => void): Promise<void> {
  const strays = findProcessesMentioning(dirs.map((dir) => `${dir}/`));
  if (strays.length === 0) return;
  log(`stopping ${strays.length} unrecorded process(es): ${strays.join(', ')}`);
  await stopPids(strays);
}

function removeDir(dir: string): void {
  if (dir.length > 0) rmSync(dir, { recursive: true, force: true });
}
