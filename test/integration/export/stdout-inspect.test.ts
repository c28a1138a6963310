/**
 * `export -o -` writes a pipeable archive to stdout, and `inspect` (file or stdin, text or JSON,
 * with `--list`) exits 0 only for a valid archive: the etcd form of the dataset is exported to
 * stdout, piped into `inspect -`, and damaged copies are refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Etcd3 } from 'etcd3';
import { parseJson } from '../../../src/model/json.js';
import { ETCD_OBJECTS, ETCD_ONLY_RAW, identityOf } from '../../fixtures/dataset/index.js';
import type { SavedEtcd } from '../../helpers/clean-datastores.js';
import {
  acquireDatastoreLock,
  restoreEtcdCalico,
  saveEtcdCalico,
  wipeEtcdCalico,
} from '../../helpers/clean-datastores.js';
import type { CliResult } from '../../helpers/run-cli.js';
import { runCli, runCliPipeline } from '../../helpers/run-cli.js';
import { openTestEtcd, seedEtcdDataset } from '../../helpers/seed-etcd.js';
import type { TestEnv } from '../../helpers/testenv.js';
import { loadTestEnv } from '../../helpers/testenv.js';
import { etcdFlags, readArchiveContents } from './support.js';

/** `Kind ns/name` plus `  (derived)`, as `inspect --list` prints each object. */
const expectedListing = ETCD_OBJECTS.map(
  (entry) => `  ${identityOf(entry.object)}${entry.derived ? '  (derived)' : ''}`,
).sort();

describe('export to stdout and inspect', () => {
  let env: TestEnv;
  let dir: string;
  let release: (() => void) | undefined;
  let etcd: Etcd3;
  let saved: SavedEtcd | undefined;
  let exported: CliResult;
  let archivePath: string;

  before(async () => {
    env = loadTestEnv();
    dir = mkdtempSync(join(tmpdir(), 'calico-migrate-stdout-'));
    release = await acquireDatastoreLock();
    etcd = openTestEtcd(env);
    saved = await saveEtcdCalico(etcd);
    await wipeEtcdCalico(etcd);
    await seedEtcdDataset(etcd);
    exported = await runCli(['export', ...etcdFlags(env), '-o', '-']);
    archivePath = join(dir, 'from-stdout.tar.gz');
    writeFileSync(archivePath, exported.stdout);
  });

  after(async () => {
    try {
      if (saved) await restoreEtcdCalico(etcd, saved);
    } finally {
      etcd?.close();
      release?.();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('-o - writes the archive, and only the archive, to stdout', async () => {
    assert.equal(exported.code, 0, exported.stderr);
    assert.deepEqual([...exported.stdout.subarray(0, 2)], [0x1f, 0x8b], 'gzip magic first');
    assert.match(exported.stderr, /to stdout/);
    const contents = await readArchiveContents(archivePath);
    assert.equal(contents.objects.size, ETCD_OBJECTS.length);
    assert.equal(contents.raws.length, ETCD_ONLY_RAW.length);
  });

  it('export -o - | inspect - : the pipe works end to end', async () => {
    const [producer, consumer] = await runCliPipeline(
      ['export', ...etcdFlags(env), '-o', '-'],
      ['inspect', '-'],
    );
    assert.equal(producer.code, 0, producer.stderr);
    assert.equal(consumer.code, 0, consumer.stderr);
    const text = consumer.stdout.toString('utf8');
    assert.match(text, /^archive: +stdin \(format 1\.0\.0; valid/m);
    assert.match(text, new RegExp(`contents: ${ETCD_OBJECTS.length} objects`));
  });

  it('inspect - reads an archive from stdin', async () => {
    const result = await runCli(['inspect', '-'], { stdin: exported.stdout });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout.toString('utf8'), /valid: every checksum and the manifest match/);
  });

  it('inspect --list lists every object once, derived ones marked', async () => {
    const result = await runCli(['inspect', '--list', archivePath]);
    assert.equal(result.code, 0, result.stderr);
    const text = result.stdout.toString('utf8');
    const listing = text.slice(text.indexOf('\nobjects:\n') + '\nobjects:\n'.length);
    const lines = listing.split('\n').filter((line) => line !== '');
    assert.deepEqual(lines.sort(), expectedListing);
  });

  it('inspect -o json prints the summary as JSON, and --list adds every object', async () => {
    const plain = await runCli(['inspect', '-o', 'json', archivePath]);
    assert.equal(plain.code, 0, plain.stderr);
    const summary = parseJson(plain.stdout.toString('utf8')) as Record<string, unknown>;
    assert.equal(summary.valid, true);
    assert.equal(summary.formatVersion, '1.0.0');
    assert.equal(summary.resources, ETCD_OBJECTS.length);
    assert.equal(summary.rawEntries, ETCD_ONLY_RAW.length);
    assert.equal(summary.objects, undefined);

    const listed = await runCli(['inspect', '-o', 'json', '--list', archivePath]);
    assert.equal(listed.code, 0, listed.stderr);
    const objects = (
      parseJson(listed.stdout.toString('utf8')) as { objects: Record<string, unknown>[] }
    ).objects;
    const expected = ETCD_OBJECTS.map((entry) => ({
      kind: entry.object.kind,
      ...(entry.object.metadata.namespace ? { namespace: entry.object.metadata.namespace } : {}),
      name: entry.object.metadata.name,
      derived: entry.derived === true,
    }));
    const key = (o: Record<string, unknown>) =>
      `${String(o.kind)} ${String(o.namespace ?? '')}/${String(o.name)}`;
    assert.deepEqual(
      objects
        .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)))
        .sort((a, b) => key(a).localeCompare(key(b))),
      expected.sort((a, b) => key(a).localeCompare(key(b))),
    );
  });

  /** inspect of damaged bytes: non-zero exit, one error line, no summary on stdout. */
  async function assertRefused(bytes: Buffer, name: string): Promise<void> {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    for (const result of [
      await runCli(['inspect', path]),
      await runCli(['inspect', '-'], { stdin: bytes }),
    ]) {
      assert.notEqual(result.code, 0, `${name}: inspect must fail`);
      assert.equal(result.code, 2);
      const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0]!, /^calico-migrate: error: /);
      assert.doesNotMatch(result.stdout.toString('utf8'), /valid/);
    }
  }

  it('inspect refuses a copy with one byte changed', async () => {
    const copy = Buffer.from(exported.stdout);
    const at = Math.floor(copy.length / 2);
    copy[at] = copy[at]! ^ 0x5a;
    await assertRefused(copy, 'flipped.tar.gz');
  });

  it('inspect refuses a truncated copy (an export that stopped half way)', async () => {
    await assertRefused(
      exported.stdout.subarray(0, Math.floor(exported.stdout.length * 0.7)),
      'cut.tar.gz',
    );
  });

  it('inspect refuses something that is not an archive', async () => {
    await assertRefused(
      Buffer.from('apiVersion: projectcalico.org/v3\nkind: Tier\n'),
      'not-an-archive.yaml',
    );
  });
});
