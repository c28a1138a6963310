/**
 * Shared by the migrate integration tests: the shared test servers under the cross-process
 * datastore lock (Calico's etcd saved before and restored after, the kube-apiservers wiped after),
 * putting the hybrid deployment onto them, CLI flags for each side, reading what the servers hold
 * (etcd keys, raw custom resources, Kubernetes Nodes), the plan and report files, and running the
 * CLI the way an operator does: killed with SIGKILL part-way, and the printed commands run exactly
 * as printed through a shell.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Etcd3 } from 'etcd3';
import type { JsonObject, JsonValue } from '../../../src/model/json.js';
import { isJsonObject, parseJson } from '../../../src/model/json.js';
import type { CrdMode } from '../../fixtures/dataset/index.js';
import { seedHybridEtcd, seedHybridKubernetes } from '../../fixtures/hybrid/seed.js';
import type { SavedEtcd } from '../../helpers/clean-datastores.js';
import {
  acquireDatastoreLock,
  restoreEtcdCalico,
  saveEtcdCalico,
  wipeEtcdCalico,
  wipeKdd,
} from '../../helpers/clean-datastores.js';
import { repoRoot } from '../../helpers/paths.js';
import type { CliResult } from '../../helpers/run-cli.js';
import { cliCommand, cliEnvironment } from '../../helpers/run-cli.js';
import { openTestEtcd } from '../../helpers/seed-etcd.js';
import { KubeApi } from '../../helpers/seed-kdd.js';
import type { TestEnv } from '../../helpers/testenv.js';
import { loadTestEnv } from '../../helpers/testenv.js';

/** The lock owner every test run records (`--by`). */
export const BY = 'migration-test@ci';

/** The test servers, held for one test file. */
export class MigrateServers {
  private constructor(
    readonly env: TestEnv,
    readonly etcd: Etcd3,
    readonly apis: Record<CrdMode, KubeApi>,
    /** Scratch directory (archives, plans, reports), removed on close. */
    readonly dir: string,
    /** A directory holding a `calico-migrate` executable, to put first on PATH. */
    readonly binDir: string,
    private readonly saved: SavedEtcd,
    private readonly release: () => void,
  ) {}

  /** Takes the datastore lock, saves Calico's etcd and opens clients. */
  static async open(name: string): Promise<MigrateServers> {
    const env = loadTestEnv();
    const release = await acquireDatastoreLock();
    let etcd: Etcd3 | undefined;
    try {
      etcd = openTestEtcd(env);
      const saved = await saveEtcdCalico(etcd);
      const apis = {
        v1: await KubeApi.forApiserver(env, 'v1'),
        v3: await KubeApi.forApiserver(env, 'v3'),
      };
      const dir = mkdtempSync(join(tmpdir(), `calico-migrate-migrate-${name}-`));
      return new MigrateServers(env, etcd, apis, dir, writeCliWrapper(dir), saved, release);
    } catch (error) {
      etcd?.close();
      release();
      throw error;
    }
  }

  /** Restores Calico's etcd, wipes both apiservers, releases the lock. */
  async close(): Promise<void> {
    try {
      await restoreEtcdCalico(this.etcd, this.saved);
      for (const api of Object.values(this.apis)) await wipeKdd(api);
    } finally {
      this.etcd.close();
      rmSync(this.dir, { recursive: true, force: true });
      this.release();
    }
  }

  /**
   * The hybrid deployment in etcd (nothing else under `/calico/`) and the Kubernetes cluster's own
   * objects in the `mode` apiserver (nothing else there). Returns the etcd keys written.
   */
  async seedHybrid(mode: CrdMode): Promise<Map<string, Buffer>> {
    await wipeEtcdCalico(this.etcd);
    const keys = await seedHybridEtcd(this.etcd);
    await wipeKdd(this.apis[mode]);
    await seedHybridKubernetes(this.apis[mode]);
    return keys;
  }

  /** Every key under `/calico/` with its bytes. */
  async dumpEtcd(): Promise<Map<string, Buffer>> {
    return saveEtcdCalico(this.etcd);
  }

  /** A fresh file path in the scratch directory. */
  path(name: string): string {
    return join(this.dir, name);
  }
}

/** The etcd connection flags of the test environment (mutual TLS). */
export function etcdFlags(env: TestEnv): string[] {
  return [
    '--etcd-endpoints',
    env.etcd.endpoints.join(','),
    '--etcd-ca-cert-file',
    env.etcd.caCertFile,
    '--etcd-cert-file',
    env.etcd.certFile,
    '--etcd-key-file',
    env.etcd.keyFile,
  ];
}

/** `--kubeconfig` of one apiserver's admin user. */
export function kddFlags(env: TestEnv, mode: CrdMode): string[] {
  const kubeconfig = env.apiservers[mode]?.adminKubeconfig;
  if (!kubeconfig) throw new Error(`the test environment has no ${mode} apiserver`);
  return ['--kubeconfig', kubeconfig];
}

/** The environment variables that point calico-migrate at etcd and one apiserver. */
export function connectionEnv(env: TestEnv, mode: CrdMode): Record<string, string> {
  return {
    ETCD_ENDPOINTS: env.etcd.endpoints.join(','),
    ETCD_CA_CERT_FILE: env.etcd.caCertFile,
    ETCD_CERT_FILE: env.etcd.certFile,
    ETCD_KEY_FILE: env.etcd.keyFile,
    KUBECONFIG: env.apiservers[mode]!.adminKubeconfig,
  };
}

/**
 * Writes `<dir>/bin/calico-migrate`, which runs the CLI from the repository in the caller's
 * working directory (tsx loaded by absolute path); returns `<dir>/bin`.
 */
function writeCliWrapper(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const tsx = pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href;
  const words = [process.execPath, '--import', tsx, join(repoRoot, 'src/cli/main.ts')];
  const quoted = words.map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ');
  const path = join(bin, 'calico-migrate');
  writeFileSync(path, `#!/bin/sh\nexec ${quoted} "$@"\n`);
  chmodSync(path, 0o755);
  return bin;
}

/**
 * Runs one command line exactly as printed, through `/bin/sh -c`, with the repository's CLI as
 * `calico-migrate` first on PATH and a minimal environment (plus `env`).
 */
export function runPrinted(
  line: string,
  binDir: string,
  env: Record<string, string> = {},
): Promise<CliResult> {
  const base = cliEnvironment(env);
  const child = spawn('/bin/sh', ['-c', line], {
    cwd: tmpdir(),
    env: { ...base, PATH: `${binDir}:${base.PATH ?? ''}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child);
}

/** What a killed run printed before it was killed. */
export interface KilledRun {
  stdout: string;
  stderr: string;
  signal: NodeJS.Signals | null;
}

/**
 * Starts `calico-migrate <args>` and kills it with SIGKILL as soon as its stderr matches `when`
 * and, if given, `until` (polled every 50 ms from then on) is true. A run that exits first fails.
 */
export function runAndKill(
  args: readonly string[],
  when: RegExp,
  env: Record<string, string> = {},
  until?: () => Promise<boolean>,
): Promise<KilledRun> {
  const [command, ...rest] = cliCommand(args);
  const child = spawn(command!, rest, {
    cwd: repoRoot,
    env: cliEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let triggered = false;
  let killed = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (!triggered && when.test(stderr)) {
      triggered = true;
      void killWhenReady();
    }
  });
  const killWhenReady = async (): Promise<void> => {
    while (until && child.exitCode === null && !(await until().catch(() => false)))
      await new Promise((resolve) => setTimeout(resolve, 50));
    killed = child.kill('SIGKILL');
  };
  const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (!killed) {
        reject(
          new Error(
            `the run ended (exit ${String(code)}) before printing ${String(when)}:\n${stderr}`,
          ),
        );
        return;
      }
      resolve({ stdout, stderr, signal });
    });
  });
}

function collect(child: ReturnType<typeof spawn>): Promise<CliResult> {
  const started = Date.now();
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(stdout), stderr, ms: Date.now() - started });
    });
  });
}

/** The recovery commands a run printed (`If this run stops before it finishes:` block). */
export interface PrintedRecovery {
  resume: string;
  importByHand: string;
  rollback: string;
}

/** Finds the printed resume, import-by-hand and rollback commands in a run's stderr. */
export function findRecoveryCommands(stderr: string): PrintedRecovery {
  const lines = stderr.split('\n');
  const at = lines.findIndex((line) => line.includes('If this run stops before it finishes:'));
  assert.ok(at >= 0, `no recovery instructions printed:\n${stderr}`);
  const block = lines.slice(at, at + 8);
  const resumeAt = block.findIndex((line) => /^\s*resume:/.test(line));
  const resume = block[resumeAt + 1]?.trim() ?? '';
  const importLine = block.find((line) => line.includes('import the migration archive by hand:'));
  const rollbackLine = block.find((line) => /^\s*rollback:/.test(line));
  const importByHand = importLine?.replace(/^.*by hand: /, '').trim() ?? '';
  const rollback = rollbackLine?.replace(/^\s*rollback:\s*/, '').replace(/\s{2,}\(.*$/, '') ?? '';
  assert.match(resume, /^calico-migrate migrate /, 'resume command');
  assert.match(importByHand, /^calico-migrate import /, 'import command');
  assert.match(rollback, /^calico-migrate unlock /, 'rollback command');
  return { resume, importByHand, rollback };
}

/** A plan JSON file (migration-plan.ts planToJson). */
export interface PlanJson {
  direction: string;
  blockers: string[];
  locks: { source: string; target: string };
  archive: string;
  migrationArchive: string;
  transform: {
    renames: { from: string; to: string; how: string }[];
    renamedObjects: { from: string; to: string }[];
    moving: Record<string, number>;
    staying: { kind: string; namespace?: string; name: string; reason: string }[];
    rawStaying: number;
    pools?: { risks: { pool: string; cidr: string; blocks: Record<string, number> }[] };
    warnings: string[];
  };
  targetPlan: ReportBody;
}

/** The plan or result part of a report (render-import-report.ts reportToJson). */
export interface ReportBody {
  counts: Record<string, Record<string, number>>;
  skips: { kind: string; namespace?: string; name: string; reason: string }[];
  failures: unknown[];
  conflicts: unknown[];
  missing: unknown[];
  differences: unknown[];
}

/** A `--report` file of migrate. */
export interface MigrateReportJson {
  plan: PlanJson;
  result?: ReportBody;
  instructions: string[];
}

/** Reads a JSON file written by the CLI (lossless: sequence numbers stay exact). */
export function readJsonFile<T>(path: string): T {
  return parseJson(readFileSync(path, 'utf8')) as unknown as T;
}

/** Total of one outcome over every kind. */
export function totalOf(body: ReportBody, outcome: string): number {
  return Object.values(body.counts).reduce((sum, counts) => sum + (counts[outcome] ?? 0), 0);
}

/** `Kind ns/name` or `Kind name` of a listed object. */
export function listedIdentity(item: { kind: string; namespace?: string; name: string }): string {
  return item.namespace
    ? `${item.kind} ${item.namespace}/${item.name}`
    : `${item.kind} ${item.name}`;
}

/** Asserts a CLI exit code, showing its output on failure. */
export function assertExit(result: CliResult, code: number, what: string): void {
  assert.equal(
    result.code,
    code,
    `${what}: exit ${String(result.code)} (signal ${String(result.signal)})\nstderr:\n${result.stderr}\nstdout:\n${result.stdout.toString('utf8')}`,
  );
}

/** GETs one object; `undefined` on 404. */
export async function readObject(api: KubeApi, path: string): Promise<JsonObject | undefined> {
  const { status, body } = await api.send('GET', path, undefined, { ok: [404] });
  if (status === 404) return undefined;
  assert.ok(isJsonObject(body), `${path}: not an object`);
  return body;
}

/** Every Calico custom resource an apiserver holds (both groups, whichever is served). */
export async function listCalicoObjects(api: KubeApi): Promise<JsonObject[]> {
  const objects: JsonObject[] = [];
  for (const group of ['crd.projectcalico.org/v1', 'projectcalico.org/v3']) {
    const { status, body } = await api.send('GET', `/apis/${group}`, undefined, { ok: [404] });
    if (status === 404 || !isJsonObject(body) || !Array.isArray(body.resources)) continue;
    for (const resource of body.resources) {
      if (!isJsonObject(resource) || String(resource.name).includes('/')) continue;
      objects.push(...(await api.list(`/apis/${group}/${String(resource.name)}`)));
    }
  }
  return objects;
}

/**
 * Asserts that `actual` holds everything `expected` holds: objects member by member (extra
 * members in `actual` are allowed only at the top level, where the API server adds schema
 * defaults), arrays and scalars exactly.
 */
export function assertContains(
  actual: JsonValue | undefined,
  expected: JsonValue | undefined,
  path: string,
  depth = 0,
): void {
  if (isJsonObject(expected) && depth === 0) {
    assert.ok(isJsonObject(actual), `${path}: expected an object, got ${String(actual)}`);
    for (const [key, value] of Object.entries(expected))
      assertContains(actual[key], value, `${path}.${key}`, depth + 1);
    return;
  }
  assert.deepStrictEqual(actual, expected, path);
}
