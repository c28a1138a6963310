/**
 * The import benchmark: objects per second written into KDD (v1 CRD mode) and into etcd by
 * `calico-migrate import`, for the default settings, for concurrency 1, and for a sequential
 * baseline that writes one object at a time at 50 requests per second (calicoctl's import: one
 * `apply` per object, client QPS 50, calicoctl/calicoctl/commands/datastore/migrate/import.go).
 * Target: the default is at least 10x the baseline into KDD. The rate is the import's own write
 * phase (objects created / apply time, from `--report`); the whole command's wall time is shown too.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Etcd3 } from 'etcd3';
import { readArchive } from '../../src/archive/index.js';
import { KubeApi } from '../../test/helpers/seed-kdd.js';
import {
  acquireDatastoreLock,
  wipeEtcdCalico,
  wipeKdd,
} from '../../test/helpers/clean-datastores.js';
import type { TestEnv } from '../../test/helpers/testenv.js';
import { etcd3Options, kubeconfigFor, loadTestEnv } from '../../test/helpers/testenv.js';
import { shapeForObjects } from '../data/shape.js';
import { childEnvironment } from '../lib/args.js';
import type { Cli } from '../lib/cli.js';
import { prepareCli, REPO_ROOT } from '../lib/cli.js';
import { progress } from '../lib/log.js';
import { runMeasured } from '../lib/measure.js';
import { openSeedTarget, RESULTS_DIR } from '../seed/targets.js';

const USAGE = `usage: npm run bench -- import [--objects <n>] [--no-build]

Seeds etcd with a generated cluster of --objects objects (default 3000), exports it once, then
imports the archive into an emptied KDD (v1 CRD mode) and an emptied etcd with: the defaults;
--concurrency 1; and the sequential baseline --concurrency 1 --qps 50 --burst 1 --batch-size 1.
Prints objects written per second; exits 1 if the default is not at least 10x the baseline into KDD.
Needs: npm run testenv -- up --crd-mode both`;

/** The settings compared. */
const MODES: { name: string; flags: string[] }[] = [
  {
    name: 'sequential 50/s (calicoctl-like)',
    flags: ['--concurrency', '1', '--qps', '50', '--burst', '1', '--batch-size', '1'],
  },
  { name: 'concurrency 1', flags: ['--concurrency', '1'] },
  { name: 'default', flags: [] },
];

interface Row {
  target: string;
  mode: string;
  written: number;
  applySeconds: number;
  wallSeconds: number;
}

/** Runs the benchmark; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      objects: { type: 'string', default: '3000' },
      'no-build': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const objects = Number(values.objects);
  if (!Number.isInteger(objects) || objects < 100)
    throw new Error(`--objects must be a whole number >= 100`);
  const env = loadTestEnv();
  const release = await acquireDatastoreLock();
  try {
    const cli = await prepareCli('dist', !values['no-build']);
    const archive = await makeArchive(env, cli, objects);
    const rows: Row[] = [];
    for (const target of ['kdd', 'etcd'] as const) {
      for (const mode of MODES) {
        await emptyTarget(env, target, archive);
        rows.push(await importOnce(env, cli, archive, target, mode));
      }
    }
    await emptyTarget(env, 'etcd');
    await emptyTarget(env, 'kdd');
    return printRows(rows, objects);
  } finally {
    release();
  }
}

/** Seeds etcd, exports it with the CLI, and removes the seeded data. */
async function makeArchive(env: TestEnv, cli: Cli, objects: number): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const archive = join(RESULTS_DIR, `import-source-${objects}.tar.gz`);
  const etcd = await openSeedTarget('etcd', env, { concurrency: 32 });
  try {
    await emptyTarget(env, 'etcd');
    progress(`seeding etcd with about ${objects} objects`);
    await etcd.seed(shapeForObjects('etcd', objects));
    const result = await runMeasured({
      nodeArgs: cli
        .nodeArgs()
        .concat(['export', '--from', 'etcd', '-o', archive, '-q', ...etcd.connectionFlags]),
      env: childEnvironment(),
      cwd: REPO_ROOT,
    });
    if (result.exitCode !== 0) throw new Error(`export failed: ${result.stderr}`);
    await etcd.clean();
  } finally {
    await etcd.close();
  }
  return archive;
}

async function importOnce(
  env: TestEnv,
  cli: Cli,
  archive: string,
  target: 'kdd' | 'etcd',
  mode: (typeof MODES)[number],
): Promise<Row> {
  progress(`import into ${target}: ${mode.name}`);
  const report = join(RESULTS_DIR, `import-report-${target}.json`);
  const connection =
    target === 'kdd'
      ? ['--kubeconfig', kubeconfigFor(env, 'v1'), '--crd-mode', 'v1']
      : [
          '--etcd-endpoints',
          env.etcd.endpoints.join(','),
          '--etcd-ca-cert-file',
          env.etcd.caCertFile,
          '--etcd-cert-file',
          env.etcd.certFile,
          '--etcd-key-file',
          env.etcd.keyFile,
        ];
  const result = await runMeasured({
    nodeArgs: cli
      .nodeArgs()
      .concat([
        'import',
        archive,
        '--to',
        target,
        '-q',
        '--report',
        report,
        ...connection,
        ...mode.flags,
      ]),
    env: childEnvironment(),
    cwd: REPO_ROOT,
  });
  if (result.exitCode !== 0)
    throw new Error(
      `import into ${target} (${mode.name}) exited ${result.exitCode}: ${result.stderr}`,
    );
  const json = JSON.parse(readFileSync(report, 'utf8')) as {
    result: { counts: Record<string, Record<string, number>> };
    timingsMs: { apply: number };
  };
  const written = Object.values(json.result.counts).reduce(
    (sum, counts) => sum + (counts.create ?? 0),
    0,
  );
  return {
    target,
    mode: mode.name,
    written,
    applySeconds: json.timingsMs.apply / 1000,
    wallSeconds: result.seconds,
  };
}

/**
 * Removes every Calico object from a target (the integration tests' own wipe). A KDD target then
 * gets the Namespaces and Kubernetes Nodes the archive's objects live in, as a real cluster has
 * them, so every Calico object is writable.
 */
async function emptyTarget(env: TestEnv, target: 'kdd' | 'etcd', archive?: string): Promise<void> {
  if (target === 'kdd') {
    const api = await KubeApi.forApiserver(env, 'v1');
    await wipeKdd(api);
    if (archive) await createKubernetesPlaces(api, archive);
    return;
  }
  const client = new Etcd3(etcd3Options(env));
  try {
    await wipeEtcdCalico(client);
  } finally {
    client.close();
  }
}

async function createKubernetesPlaces(api: KubeApi, archive: string): Promise<void> {
  const namespaces = new Set<string>();
  const nodes = new Set<string>();
  for await (const item of readArchive(archive)) {
    if (item.type !== 'resource') continue;
    if (item.resource.metadata.namespace) namespaces.add(item.resource.metadata.namespace);
    if (item.resource.kind === 'Node') nodes.add(item.resource.metadata.name);
  }
  for (const name of namespaces) {
    await api.send(
      'POST',
      '/api/v1/namespaces',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
      { ok: [409] },
    );
  }
  for (const name of nodes) {
    await api.send(
      'POST',
      '/api/v1/nodes',
      { apiVersion: 'v1', kind: 'Node', metadata: { name } },
      { ok: [409] },
    );
  }
}

function printRows(rows: Row[], objects: number): number {
  const rate = (row: Row) => row.written / row.applySeconds;
  console.log(
    `calico-migrate import benchmark: archive of ${objects} objects; rate = objects created / write phase time`,
  );
  console.log('');
  console.log(
    `${'target'.padEnd(8)}${'settings'.padEnd(36)}${'written'.padStart(9)}${'write s'.padStart(10)}${'objects/s'.padStart(11)}${'command s'.padStart(11)}`,
  );
  for (const row of rows) {
    console.log(
      `${row.target.padEnd(8)}${row.mode.padEnd(36)}${String(row.written).padStart(9)}${row.applySeconds.toFixed(2).padStart(10)}${Math.round(rate(row)).toString().padStart(11)}${row.wallSeconds.toFixed(2).padStart(11)}`,
    );
  }
  let exitCode = 0;
  for (const target of ['kdd', 'etcd']) {
    const baseline = rows.find(
      (row) => row.target === target && row.mode.startsWith('sequential'),
    )!;
    const best = rows.find((row) => row.target === target && row.mode === 'default')!;
    const ratio = rate(best) / rate(baseline);
    const verdict =
      target === 'kdd' ? (ratio >= 10 ? ' PASS (target >= 10x)' : ' FAIL (target >= 10x)') : '';
    if (target === 'kdd' && ratio < 10) exitCode = 1;
    console.log(`${target}: default / sequential baseline = ${ratio.toFixed(1)}x${verdict}`);
  }
  return exitCode;
}
