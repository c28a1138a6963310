import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listExportedKinds, Scope } from '../../../src/model/kinds.js';
import type { ArchiveInputItem } from '../../../src/archive/index.js';
import {
  makeTempDir,
  manifestOf,
  rawEntry,
  resource,
  unpack,
  writeSample,
} from './archive-fixtures.js';

/** Runs a system tool; fails the test (never skips) if it is missing or exits non-zero. */
function run(command: string, args: string[], cwd?: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  assert.equal(result.error, undefined, `${command} could not run: ${result.error?.message}`);
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed: ${result.stderr}`);
  assert.equal(result.stderr, '', `${command} warned: ${result.stderr}`);
  return result.stdout;
}

describe('archives open with standard tools (tar, gzip, sha256sum)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let archive: string;

  before(async () => {
    ({ dir, cleanup } = await makeTempDir());
    archive = join(dir, 'backup.tar.gz');
    const items: ArchiveInputItem[] = listExportedKinds().map((info) => ({
      type: 'resource',
      resource: resource(
        info.kind,
        `${info.plural}-1`,
        info.scope === Scope.Namespaced ? 'kube-system' : undefined,
      ),
    }));
    // A path over 100 bytes (pax header), percent-encoded names, and a raw entry with binary bytes.
    items.push({
      type: 'resource',
      resource: resource('GlobalNetworkSet', `${'n'.repeat(150)}.with dots %&ü`),
    });
    items.push({ type: 'resource', resource: resource('NetworkSet', '.hidden', 'ns.with.dots') });
    items.push({
      type: 'raw',
      raw: rawEntry('etcd', '/calico/odd/key', Buffer.from([0, 1, 2, 254, 255]), 'unknown key'),
    });
    await writeSample(archive, items);
  });
  after(() => cleanup());

  it('gzip -t finds a sound gzip stream', () => {
    run('gzip', ['-t', archive]);
  });

  it('tar -tzf lists exactly the manifest entries, in order, with the manifest last', async () => {
    const listed = run('tar', ['-tzf', archive]).split('\n').filter(Boolean);
    const manifest = manifestOf(await unpack(await readFile(archive)));
    assert.deepEqual(listed, [
      ...manifest.entries.map((e) => e.path),
      'calico-migrate/manifest.json',
    ]);
    assert.ok(
      listed.some((path) => path.length > 100),
      'a long path is present',
    );
  });

  it('sha256sum of the extracted entries agrees with the manifest, and sizes match', async () => {
    const out = join(dir, 'extracted');
    await mkdir(out);
    run('tar', ['-xzf', archive, '-C', out]);
    const manifest = JSON.parse(
      await readFile(join(out, 'calico-migrate/manifest.json'), 'utf8'),
    ) as ReturnType<typeof manifestOf>;
    const checkList = manifest.entries.map((e) => `${e.sha256}  ${e.path}`).join('\n') + '\n';
    const check = spawnSync('sha256sum', ['--check', '--strict', '-'], {
      cwd: out,
      input: checkList,
      encoding: 'utf8',
    });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.equal(
      check.stdout.split('\n').filter((line) => line.endsWith(': OK')).length,
      manifest.entries.length,
    );
    for (const entry of manifest.entries) {
      assert.equal((await readFile(join(out, entry.path))).length, entry.size, entry.path);
    }
    assert.deepEqual(
      [...(await readFile(join(out, 'raw/etcd/%2Fcalico%2Fodd%2Fkey.bin')))],
      [0, 1, 2, 254, 255],
    );
  });

  it('tar -xzOf prints one object as the JSON that was written', () => {
    const text = run('tar', ['-xzOf', archive, 'resources/tiers/cluster/tiers-1.json']);
    assert.deepEqual(JSON.parse(text), resource('Tier', 'tiers-1'));
    assert.ok(text.endsWith('}\n'));
  });
});
