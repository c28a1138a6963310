/**
 * Shared by the import integration tests: CLI flags for each test server as an import target
 * (`--to`), a verify target (`--against`) or an export source (`--from`), running import, verify
 * and export through the real CLI, and reading the `--report` JSON they write.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestSource } from '../../../src/archive/index.js';
import { createArchiveWriter } from '../../../src/archive/index.js';
import type { JsonObject } from '../../../src/model/json.js';
import type { CalicoResource } from '../../../src/model/resource.js';
import { parseJson } from '../../../src/model/json.js';
import type { CliResult } from '../../helpers/run-cli.js';
import { runCli } from '../../helpers/run-cli.js';
import type { TestEnv } from '../../helpers/testenv.js';
import { kubeconfigFor } from '../../helpers/testenv.js';
import type { ArchiveContents } from '../export/support.js';
import { readArchiveContents } from '../export/support.js';

/** A test server as a datastore: Calico's etcd, a KDD apiserver per CRD mode, the throttled one. */
export type Server = 'etcd' | 'v1' | 'v3' | 'throttled';

/** The connection flags of one server (KDD: the admin kubeconfig; throttled: its plain user). */
export function connectionFlags(env: TestEnv, server: Server): string[] {
  if (server === 'etcd') {
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
  if (server === 'throttled') return ['--kubeconfig', kubeconfigFor(env, 'throttled')];
  const state = env.apiservers[server];
  if (!state) throw new Error(`the test environment has no ${server} apiserver`);
  return ['--kubeconfig', state.adminKubeconfig];
}

/** `<flag> etcd|kdd` plus the server's connection flags. */
export function datastoreFlags(
  env: TestEnv,
  server: Server,
  flag: '--to' | '--against' | '--from',
): string[] {
  return [flag, server === 'etcd' ? 'etcd' : 'kdd', ...connectionFlags(env, server)];
}

/** What an import or verify run left: the CLI result and its `--report` JSON. */
export interface ReportedRun {
  result: CliResult;
  report: ImportReportJson;
}

/** One listed object of a report. */
export interface ReportedObjectJson {
  kind: string;
  namespace?: string;
  name: string;
  reason: string;
  fields?: { path: string; archive?: unknown; target?: unknown }[];
}

/** The `plan` / `result` part of a `--report` file. */
export interface ReportBodyJson {
  counts: Record<string, Record<string, number>>;
  raw: Record<string, number>;
  conflicts: ReportedObjectJson[];
  invalid: ReportedObjectJson[];
  failures: ReportedObjectJson[];
  missing: ReportedObjectJson[];
  differences: ReportedObjectJson[];
  skips: ReportedObjectJson[];
  warnings: string[];
}

/** A whole `--report` file (import has `plan` and usually `result`; verify only `result`). */
export interface ImportReportJson extends JsonObject {
  command: string;
}

/** The typed parts of a report. */
export function planOf(report: ImportReportJson): ReportBodyJson {
  return report.plan as unknown as ReportBodyJson;
}

/** The apply/verify part of a report (absent when import stopped after planning). */
export function resultOf(report: ImportReportJson): ReportBodyJson | undefined {
  return report.result as unknown as ReportBodyJson | undefined;
}

/** Total of one outcome over every kind of a report body. */
export function totalOf(body: ReportBodyJson, outcome: string): number {
  return Object.values(body.counts).reduce((sum, counts) => sum + (counts[outcome] ?? 0), 0);
}

/** `Kind ns/name` or `Kind name` of a listed object (the identity the dataset uses). */
export function identityOfListed(item: ReportedObjectJson): string {
  return item.namespace
    ? `${item.kind} ${item.namespace}/${item.name}`
    : `${item.kind} ${item.name}`;
}

let reportNumber = 0;

/** Runs `calico-migrate import <archive> --to <server> ...extra` (no report file). */
export function runImport(
  env: TestEnv,
  archive: string,
  server: Server,
  extra: string[] = [],
): Promise<CliResult> {
  return runCli(['import', archive, ...datastoreFlags(env, server, '--to'), ...extra]);
}

/** Runs `calico-migrate import <archive> --to <server> --report <file> ...extra`. */
export async function importInto(
  env: TestEnv,
  dir: string,
  archive: string,
  server: Server,
  extra: string[] = [],
): Promise<ReportedRun> {
  const file = join(dir, `import-report-${++reportNumber}.json`);
  const result = await runCli([
    'import',
    archive,
    ...datastoreFlags(env, server, '--to'),
    '--report',
    file,
    ...extra,
  ]);
  return { result, report: readReport(file, result) };
}

/** Runs `calico-migrate verify <archive> --against <server> --report <file> ...extra`. */
export async function verifyAgainst(
  env: TestEnv,
  dir: string,
  archive: string,
  server: Server,
  extra: string[] = [],
): Promise<ReportedRun> {
  const file = join(dir, `verify-report-${++reportNumber}.json`);
  const result = await runCli([
    'verify',
    archive,
    ...datastoreFlags(env, server, '--against'),
    '--report',
    file,
    ...extra,
  ]);
  return { result, report: readReport(file, result) };
}

function readReport(file: string, result: CliResult): ImportReportJson {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    assert.fail(`no --report file was written (exit ${result.code}):\n${result.stderr}`);
  }
  return parseJson(text) as ImportReportJson;
}

let exportNumber = 0;

/** Exports a server through the CLI (must exit 0) and reads the archive back. */
export async function exportFrom(
  env: TestEnv,
  dir: string,
  server: Server,
  name = `export-${server}-${++exportNumber}.tar.gz`,
): Promise<{ path: string; contents: ArchiveContents }> {
  const path = join(dir, name);
  const result = await runCli(['export', ...datastoreFlags(env, server, '--from'), '-o', path]);
  assert.equal(result.code, 0, `export from ${server}: ${result.stderr}`);
  return { path, contents: await readArchiveContents(path) };
}

/** Asserts exit 0 with a readable message (the CLI's stderr and stdout). */
export function assertExit(result: CliResult, code: number, what: string): void {
  assert.equal(
    result.code,
    code,
    `${what}: exit ${String(result.code)} (signal ${String(result.signal)})\nstderr:\n${result.stderr}\nstdout:\n${result.stdout.toString('utf8')}`,
  );
}

/** Where `writeTestArchive` says its objects came from. */
export const TEST_ARCHIVE_SOURCE = {
  type: 'etcdv3',
  endpoints: ['https://etcd.example.com:2379'],
  calicoVersion: 'v3.32.1',
} as const;

/** Writes an archive of `objects` (in the order given) with the project's archive writer. */
export async function writeTestArchive(
  path: string,
  objects: readonly CalicoResource[],
  source: ManifestSource = {
    ...TEST_ARCHIVE_SOURCE,
    endpoints: [...TEST_ARCHIVE_SOURCE.endpoints],
  },
): Promise<string> {
  const writer = await createArchiveWriter(path, { tool: { name: 'import-tests', version: '0' } });
  for (const object of objects)
    assert.ok(await writer.writeResource(object), `${object.kind} ${object.metadata.name} once`);
  await writer.finish({ source });
  return path;
}

/** A canonical `projectcalico.org/v3` object. */
export function calicoObject(
  kind: string,
  name: string,
  spec: JsonObject,
  extra: { namespace?: string; status?: JsonObject; labels?: Record<string, string> } = {},
): CalicoResource {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind,
    metadata: {
      name,
      ...(extra.namespace ? { namespace: extra.namespace } : {}),
      ...(extra.labels ? { labels: extra.labels } : {}),
    },
    spec,
    ...(extra.status ? { status: extra.status } : {}),
  };
}
