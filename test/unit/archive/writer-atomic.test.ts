import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { after, beforeEach, describe, it } from 'node:test';
import {
  createArchiveWriter,
  validateArchive,
  writeArchive,
  type ArchiveInputItem,
} from '../../../src/archive/index.js';
import {
  ArchiveFormatError,
  ArchiveIntegrityError,
  InternalError,
} from '../../../src/model/errors.js';
import {
  makeTempDir,
  resource,
  SOURCE,
  smallItems,
  TOOL,
  writeSample,
} from './archive-fixtures.js';

// The writer and reader spool to os.tmpdir(); give this test process its own, to check it is left empty.
const spoolRoot = mkdtempSync(join(tmpdir(), 'archive-spool-'));
process.env.TMPDIR = spoolRoot;
after(() => rmSync(spoolRoot, { recursive: true, force: true }));
const spoolDirs = (): string[] =>
  readdirSync(spoolRoot).filter((name) => name.startsWith('calico-migrate-'));

/** Objects with random specs, enough to push gzip output past its internal buffer. */
function bulkyItems(count: number): ArchiveInputItem[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'resource' as const,
    resource: resource('GlobalNetworkSet', `set-${i}`, undefined, {
      nets: [randomBytes(600).toString('base64')],
    }),
  }));
}

describe('archive writer: atomic file creation', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    if (cleanup) await cleanup();
    ({ dir, cleanup } = await makeTempDir());
  });
  after(() => cleanup?.());

  const assertNoLeftovers = async (allowed: string[] = []): Promise<void> => {
    assert.deepEqual((await readdir(dir)).sort(), allowed.sort());
    assert.deepEqual(spoolDirs(), [], 'spool directories left behind');
  };

  it('creates the archive with mode 0600 and leaves no temporary file', async () => {
    const path = join(dir, 'a.tar.gz');
    const oldMask = process.umask(0o000);
    try {
      const result = await writeSample(path, smallItems());
      assert.equal(result.path, path);
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.equal(result.bytes, (await stat(path)).size);
    } finally {
      process.umask(oldMask);
    }
    await assertNoLeftovers(['a.tar.gz']);
  });

  it('writes nothing at the final path while writing, and removes the temp file on abort', async () => {
    const path = join(dir, 'a.tar.gz');
    const writer = await createArchiveWriter(path, { tool: TOOL });
    for (const item of bulkyItems(100))
      await writer.writeResource(item.type === 'resource' ? item.resource : assert.fail());
    const during = await readdir(dir);
    assert.equal(during.length, 1);
    assert.match(during[0]!, /^\.a\.tar\.gz\.[0-9a-f]+\.tmp$/);
    assert.equal((await stat(join(dir, during[0]!))).mode & 0o777, 0o600);
    await writer.abort('interrupted');
    await assertNoLeftovers();
    await assert.rejects(writer.writeResource(resource('Tier', 'late')), /interrupted/);
    await assert.rejects(writer.finish({ source: SOURCE }), /interrupted/);
  });

  it('removes the temp file when the source throws, and rethrows its error', async () => {
    const path = join(dir, 'a.tar.gz');
    async function* failingSource(): AsyncGenerator<ArchiveInputItem> {
      yield* bulkyItems(50);
      throw new Error('etcd went away');
    }
    await assert.rejects(
      writeArchive(path, { tool: TOOL }, failingSource(), () => ({ source: SOURCE })),
      /etcd went away/,
    );
    await assertNoLeftovers();
  });

  it('keeps an existing file untouched unless the new archive completes', async () => {
    const path = join(dir, 'a.tar.gz');
    await writeFile(path, 'previous archive');
    const writer = await createArchiveWriter(path, { tool: TOOL });
    await writer.writeResource(resource('Tier', 't'));
    await writer.abort(new Error('stop'));
    assert.equal(await readFile(path, 'utf8'), 'previous archive');
    await writeSample(path, smallItems());
    assert.equal((await validateArchive(path)).resources, 4);
    await assertNoLeftovers(['a.tar.gz']);
  });

  it('refuses objects that are not canonical, aborting the archive', async () => {
    const cases: [ReturnType<typeof resource>, RegExp][] = [
      [resource('Foo', 'x'), /no such kind/],
      [resource('IPAMConfig', 'default'), /never exported/],
      [resource('NetworkPolicy', 'x'), /namespaced but the object has no namespace/],
      [resource('Tier', 'x', 'ns'), /cluster-scoped but the object has a namespace/],
      [resource('Tier', ''), /no name/],
      [{ ...resource('Tier', 'x'), apiVersion: 'crd.projectcalico.org/v1' }, /apiVersion/],
      [resource('Tier', 'bad\uD800'), /lone surrogate/],
      [resource('Tier', 'n'.repeat(20000)), /longer than/],
    ];
    for (const [object, why] of cases) {
      const path = join(dir, 'a.tar.gz');
      const writer = await createArchiveWriter(path, { tool: TOOL });
      await assert.rejects(
        writer.writeResource(object),
        (e: Error) => e instanceof InternalError && why.test(e.message),
      );
      await assert.rejects(writer.finish({ source: SOURCE }));
      await assertNoLeftovers();
    }
  });

  it('fails, and leaves nothing, when the destination directory does not exist', async () => {
    await assert.rejects(writeSample(join(dir, 'missing', 'a.tar.gz'), smallItems()), {
      name: 'UsageError',
      message: /its directory does not exist/,
    });
    await assertNoLeftovers();
  });

  it('can be aborted while a write waits for a stalled sink', async () => {
    const stalled = new Writable({ highWaterMark: 1024, write: () => {} }); // never calls back
    const writer = await createArchiveWriter(stalled, { tool: TOOL });
    let written = 0;
    const pending = (async () => {
      for (const item of bulkyItems(2000)) {
        await writer.writeResource(item.type === 'resource' ? item.resource : assert.fail());
        written++;
      }
    })().then(
      () => undefined,
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(
      written < 2000,
      'the writer waits for the stalled sink instead of buffering everything',
    );
    await writer.abort('user pressed Ctrl-C');
    assert.match(String(await pending), /Ctrl-C/);
    assert.deepEqual(spoolDirs(), []);
  });
});

describe('archive writer: stream target', () => {
  it('leaves the consumer a broken archive (cut-off gzip, no manifest) when aborted', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    out.on('error', () => {});
    const writer = await createArchiveWriter(out, { tool: TOOL });
    for (const item of bulkyItems(300))
      await writer.writeResource(item.type === 'resource' ? item.resource : assert.fail());
    await writer.abort('interrupted');
    const bytes = Buffer.concat(chunks);
    assert.ok(bytes.length > 0, 'some output reached the consumer before the abort');
    await assert.rejects(
      validateArchive(Readable.from([bytes]), { label: 'stdin' }),
      (e: Error) => {
        assert.ok(e instanceof ArchiveIntegrityError, `${e.name}: ${e.message}`);
        assert.match(e.message, /^stdin: the archive is truncated/);
        return true;
      },
    );
    assert.ok(out.destroyed);
  });

  it('an abort before any output leaves an empty stream, which readers refuse', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    out.on('error', () => {});
    const writer = await createArchiveWriter(out, { tool: TOOL });
    await writer.abort('interrupted');
    await assert.rejects(
      validateArchive(Readable.from([Buffer.concat(chunks)])),
      (e: Error) => e instanceof ArchiveFormatError || e instanceof ArchiveIntegrityError,
    );
  });

  it('reports a failing sink as the error of the write or finish', async () => {
    const failing = new Writable({
      write: (_chunk, _enc, cb) => cb(new Error('EPIPE: consumer went away')),
    });
    const items = bulkyItems(200);
    await assert.rejects(
      writeArchive(failing, { tool: TOOL }, items, () => ({ source: SOURCE })),
      /EPIPE/,
    );
  });
});

describe('duplicate objects', () => {
  it('writes an object once and reports a second one with the same identity', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cm-dup-')), 'dup.tar.gz');
    const writer = await createArchiveWriter(path, { tool: TOOL });
    assert.equal(await writer.writeResource(resource('Tier', 'same')), true);
    assert.equal(await writer.writeResource(resource('Tier', 'same')), false);
    assert.equal(await writer.writeResource(resource('Tier', 'other')), true);
    await writer.finish({ source: SOURCE });
    const summary = await validateArchive(path);
    assert.equal(summary.resources, 2);
    rmSync(path);
  });
});
