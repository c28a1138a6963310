import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import {
  listArchiveEntries,
  readArchive,
  validateArchive,
  withSeekableArchive,
  writeArchive,
  type ArchiveInputItem,
  type ArchiveItem,
} from '../../../src/archive/index.js';
import { stringifyJson } from '../../../src/model/json.js';
import { listExportedKinds, Scope } from '../../../src/model/kinds.js';
import {
  makeTempDir,
  rawEntry,
  resource,
  SOURCE,
  TOOL,
  unpack,
  writeSample,
} from './archive-fixtures.js';

const WEIRD_NAMES = [
  'ñandú-日本語-😀',
  '100%',
  '.',
  '..',
  '.hidden',
  'a/b',
  'back\\slash',
  'x.json',
  'l'.repeat(240),
  'sp ace',
];
const BIG_SEQUENCE = 1700000000123456789n;

/** Many objects of every exported kind, weird names, raw entries, kinds written in import order. */
function manyItems(): ArchiveInputItem[] {
  const items: ArchiveInputItem[] = [];
  for (const info of listExportedKinds()) {
    const namespace = info.scope === Scope.Namespaced ? 'ns-1' : undefined;
    for (let i = 0; i < 20; i++) {
      const spec =
        info.kind === 'IPAMBlock'
          ? { sequenceNumber: BIG_SEQUENCE + BigInt(i), cidr: '10.0.0.0/26' }
          : { index: i };
      items.push({
        type: 'resource',
        resource: resource(info.kind, `${info.plural}-${i}`, namespace, spec),
        derived: i % 7 === 0 && info.derived !== 'never',
      });
    }
  }
  for (const name of WEIRD_NAMES) {
    items.push({ type: 'resource', resource: resource('GlobalNetworkSet', name) });
    items.push({ type: 'resource', resource: resource('NetworkSet', name, `ns-${name}`) });
  }
  const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  items.push({
    type: 'raw',
    raw: rawEntry(
      'etcd',
      '/calico/resources/v3/projectcalico.org/unknowns/x',
      allBytes,
      'unknown plural',
    ),
  });
  items.push({
    type: 'raw',
    raw: rawEntry(
      'etcd',
      '/calico/ipam/v2/odd/ключ',
      Buffer.from('{"not": "canonical"'),
      'unparsable value',
    ),
  });
  items.push({
    type: 'raw',
    raw: rawEntry('kdd', '/apis/crd.projectcalico.org/v1/x/y', Buffer.alloc(0), 'unknown plural'),
  });
  return items;
}

describe('archive write -> read round trip', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const items = manyItems();
  let path: string;

  before(async () => {
    ({ dir, cleanup } = await makeTempDir());
    path = `${dir}/backup.tar.gz`;
    await writeSample(path, items, {
      skipped: { '/calico/felix/': 12 },
      warnings: ['one warning'],
    });
  });
  after(() => cleanup());

  it('reads back every object and raw entry, exactly and in the order written', async () => {
    const read: ArchiveItem[] = [];
    for await (const item of readArchive(path)) read.push(item);
    assert.deepEqual(read[0], { type: 'format-version', version: '1.0.0' });
    assert.equal(read.at(-1)?.type, 'manifest');
    const body = read.slice(1, -1);
    assert.equal(body.length, items.length);
    body.forEach((item, i) => {
      const written = items[i]!;
      if (written.type === 'resource') {
        assert.equal(item.type, 'resource');
        assert.ok(item.type === 'resource');
        assert.deepEqual(item.resource, written.resource);
        assert.equal(stringifyJson(item.resource), stringifyJson(written.resource));
      } else {
        assert.ok(item.type === 'raw');
        assert.deepEqual(item.raw, written.raw);
        assert.ok(item.raw.value.equals(written.raw.value));
      }
    });
  });

  it('keeps integers beyond 2^53 exact', async () => {
    const blocks: bigint[] = [];
    for await (const item of readArchive(path)) {
      if (item.type === 'resource' && item.resource.kind === 'IPAMBlock')
        blocks.push(item.resource.spec!.sequenceNumber as bigint);
    }
    assert.equal(blocks.length, 20);
    assert.equal(blocks[3], BIG_SEQUENCE + 3n);
    const files = await unpack(await readFile(path));
    const text = files
      .find((f) => f.name === 'resources/ipamblocks/cluster/ipamblocks-0.json')!
      .data.toString();
    assert.match(text, /"sequenceNumber": 1700000000123456789,/);
    assert.ok(text.endsWith('}\n'));
  });

  it('records a manifest that matches the contents', async () => {
    const summary = await validateArchive(path);
    const resources = items.filter((i) => i.type === 'resource');
    assert.equal(summary.resources, resources.length);
    assert.equal(summary.rawEntries, 3);
    assert.deepEqual(summary.raw, { 'unknown plural': 2, 'unparsable value': 1 });
    assert.deepEqual(summary.manifest.counts.raw, summary.raw);
    assert.deepEqual(summary.manifest.counts.skipped, { '/calico/felix/': 12 });
    assert.deepEqual(summary.warnings, ['one warning']);
    assert.deepEqual(summary.manifest.tool, TOOL);
    assert.equal(summary.manifest.createdAt, '2025-01-02T03:04:05.000Z');
    assert.deepEqual(summary.manifest.source, SOURCE);
    for (const info of listExportedKinds()) {
      const ofKind = resources.filter((i) => i.resource.kind === info.kind);
      const derived = ofKind.filter((i) => i.derived).length;
      assert.deepEqual(summary.kinds[info.kind], { total: ofKind.length, derived }, info.kind);
      assert.deepEqual(summary.manifest.counts.kinds[info.kind], summary.kinds[info.kind]);
    }
    assert.ok(summary.kinds.WorkloadEndpoint!.derived > 0);
  });

  it('lists every entry with its size, SHA-256 and identity, in archive order', async () => {
    const files = await unpack(await readFile(path));
    const listed = [];
    for await (const entry of listArchiveEntries(path)) listed.push(entry);
    assert.equal(listed.length, files.length - 1);
    assert.deepEqual(
      listed.map((e) => e.path),
      files.slice(0, -1).map((f) => f.name),
    );
    const weird = listed.find((e) => e.kind === 'NetworkSet' && e.name === 'a/b');
    assert.equal(weird?.namespace, 'ns-a/b');
    assert.equal(weird?.path, 'resources/networksets/namespaces/ns-a%2Fb/a%2Fb.json');
    const long = listed.find((e) => e.name === 'l'.repeat(240));
    assert.ok(long && long.path.length > 255);
  });

  it('writes the manifest as the last entry, after the format version first', async () => {
    const files = await unpack(await readFile(path));
    assert.equal(files[0]!.name, 'calico-migrate/format-version');
    assert.equal(files[0]!.data.toString(), '1.0.0\n');
    assert.equal(files.at(-1)!.name, 'calico-migrate/manifest.json');
    const manifest = JSON.parse(files.at(-1)!.data.toString());
    assert.equal(manifest.entries.length, files.length - 1);
  });

  it('reads from a stream (stdin) as well as from a path', async () => {
    const read = [];
    for await (const item of readArchive(createReadStream(path))) read.push(item.type);
    assert.equal(read.length, items.length + 2);
  });

  it('spools a stream to a temporary file that can be read twice, then removes it', async () => {
    let spooled = '';
    const result = await withSeekableArchive(
      Readable.from([await readFile(path)]),
      async (copy) => {
        spooled = copy;
        const summary = await validateArchive(copy);
        let count = 0;
        for await (const item of readArchive(copy)) if (item.type === 'resource') count++;
        return { summary, count };
      },
    );
    assert.equal(result.count, result.summary.resources);
    await assert.rejects(readFile(spooled), { code: 'ENOENT' });
  });
});

describe('archive written to a stream', () => {
  it('produces the same readable archive as a file (for -o -)', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const result = await writeArchive(out, { tool: TOOL }, manyItems().slice(0, 50), () => ({
      source: SOURCE,
    }));
    const bytes = Buffer.concat(chunks);
    assert.equal(result.bytes, bytes.length);
    assert.equal(result.path, undefined);
    assert.ok(gunzipSync(bytes).length > 0);
    const summary = await validateArchive(Readable.from([bytes]), { label: 'stdin' });
    assert.equal(summary.resources, 50);
  });
});
