import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readArchive, validateArchive } from '../../../src/archive/index.js';
import { ArchiveFormatError, ArchiveIntegrityError } from '../../../src/model/errors.js';
import {
  makeTempDir,
  manifestOf,
  pack,
  packTar,
  rebuild,
  reseal,
  smallItems,
  writeSample,
  type TarFile,
} from './archive-fixtures.js';

type ErrorClass = typeof ArchiveFormatError | typeof ArchiveIntegrityError;

describe('archive validation refuses damaged and foreign archives', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let good: string;
  let count = 0;

  before(async () => {
    ({ dir, cleanup } = await makeTempDir());
    good = join(dir, 'good.tar.gz');
    await writeSample(good, smallItems());
  });
  after(() => cleanup());

  /** Expects validation (and a plain read) of `path` to fail with `errorClass` and a message matching `pattern`. */
  async function expectFailure(
    path: string,
    errorClass: ErrorClass,
    pattern: RegExp,
  ): Promise<void> {
    const check = (error: Error): boolean => {
      assert.ok(
        error instanceof errorClass,
        `expected ${errorClass.name}, got ${error.name}: ${error.message}`,
      );
      assert.ok(error.message.startsWith(`${path}: `), error.message);
      assert.match(error.message, pattern);
      assert.ok(!error.message.includes('\n'), 'one-line message');
      assert.match(error.message, /; [^;]+$/, 'the message ends with the fix');
      assert.ok((error as ArchiveFormatError).hint, 'the error carries a hint');
      return true;
    };
    await assert.rejects(validateArchive(path), check);
    await assert.rejects(
      (async () => {
        for await (const _ of readArchive(path));
      })(),
      check,
    );
  }

  async function variant(
    change: (files: TarFile[]) => TarFile[] | Promise<TarFile[]>,
  ): Promise<string> {
    const out = join(dir, `variant-${++count}.tar.gz`);
    await rebuild(good, out, change);
    return out;
  }

  async function rawVariant(bytes: Buffer): Promise<string> {
    const out = join(dir, `raw-${++count}.bin`);
    await writeFile(out, bytes);
    return out;
  }

  const replace = (files: TarFile[], name: string, data: Buffer | string): TarFile[] =>
    files.map((f) => (f.name === name ? { ...f, data: Buffer.from(data) } : f));

  const TIER = 'resources/tiers/cluster/security.json';
  const RAW_VALUE = 'raw/etcd/%2Fcalico%2Funknown%2Fkey.bin';

  it('accepts the unmodified archive, and a faithful repack of it', async () => {
    assert.equal((await validateArchive(good)).resources, 4);
    assert.equal((await validateArchive(await variant((files) => files))).resources, 4);
  });

  it('catches a flipped byte in a raw value by its SHA-256', async () => {
    const path = await variant((files) =>
      files.map((f) =>
        f.name === RAW_VALUE
          ? { ...f, data: Buffer.from(f.data.map((b, i) => (i === 1 ? b ^ 0x01 : b))) }
          : f,
      ),
    );
    await expectFailure(
      path,
      ArchiveIntegrityError,
      /entry raw\/etcd\/%2Fcalico%2Funknown%2Fkey\.bin does not match its SHA-256 in the manifest/,
    );
  });

  it('catches a flipped byte inside an object (still valid JSON) by its SHA-256', async () => {
    const path = await variant((files) =>
      files.map((f) =>
        f.name === TIER ? { ...f, data: Buffer.from(f.data.toString().replace('100', '101')) } : f,
      ),
    );
    await expectFailure(
      path,
      ArchiveIntegrityError,
      /entry resources\/tiers\/cluster\/security\.json does not match its SHA-256/,
    );
  });

  it('catches a flipped byte in the compressed data', async () => {
    const bytes = await readFile(good);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    await expectFailure(
      await rawVariant(bytes),
      ArchiveIntegrityError,
      /gzip data is corrupt|truncated|SHA-256|does not parse/,
    );
  });

  it('catches a truncated gzip', async () => {
    const bytes = await readFile(good);
    await expectFailure(
      await rawVariant(bytes.subarray(0, bytes.length - 20)),
      ArchiveIntegrityError,
      /truncated/,
    );
    await expectFailure(
      await rawVariant(bytes.subarray(0, 40)),
      ArchiveIntegrityError,
      /truncated/,
    );
  });

  it('refuses input that is not gzip, or gzip that is not tar', async () => {
    const tarOnly = await packTar([
      { name: 'calico-migrate/format-version', data: Buffer.from('1.0.0\n') },
    ]);
    await expectFailure(await rawVariant(tarOnly), ArchiveFormatError, /not gzip-compressed/);
    await expectFailure(
      await rawVariant(gzipSync(Buffer.alloc(2048, 'x'))),
      ArchiveFormatError,
      /not a tar archive/,
    );
    await expectFailure(await rawVariant(Buffer.alloc(0)), ArchiveFormatError, /empty/);
  });

  it('reports a missing manifest (the export did not finish)', async () => {
    const path = await variant((files) => files.slice(0, -1));
    await expectFailure(
      path,
      ArchiveIntegrityError,
      /manifest calico-migrate\/manifest\.json is missing \(the archive ends after resources\/globalnetworksets\/cluster\/blocked\.json\)/,
    );
  });

  it('reports a manifest that is not the last entry', async () => {
    const path = await variant((files) => [...files.slice(0, -2), files.at(-1)!, files.at(-2)!]);
    await expectFailure(
      path,
      ArchiveIntegrityError,
      /manifest is not the last entry \(resources\/globalnetworksets\/cluster\/blocked\.json follows it\)/,
    );
  });

  it('reports a manifest that does not parse or is not laid out as written', async () => {
    const garbage = await variant((files) =>
      replace(files, 'calico-migrate/manifest.json', '{"formatVersion": '),
    );
    await expectFailure(
      garbage,
      ArchiveIntegrityError,
      /manifest is not laid out as calico-migrate writes it/,
    );
    const reformatted = await variant((files) =>
      replace(files, 'calico-migrate/manifest.json', JSON.stringify(manifestOf(files))),
    );
    await expectFailure(reformatted, ArchiveIntegrityError, /not laid out/);
    const badHead = await variant((files) =>
      replace(
        files,
        'calico-migrate/manifest.json',
        files.at(-1)!.data.toString().replace('"createdAt"', '"createdAt" x'),
      ),
    );
    await expectFailure(badHead, ArchiveIntegrityError, /manifest does not parse as JSON/);
    const noTool = await variant((files) =>
      reseal(files, (m) => void delete (m as Partial<typeof m>).tool),
    );
    await expectFailure(noTool, ArchiveIntegrityError, /manifest field tool is missing/);
  });

  it('refuses an unknown major version, naming both versions and the fix', async () => {
    const path = await variant((files) =>
      reseal(
        replace(files, 'calico-migrate/format-version', '2.0.0\n'),
        (m) => void (m.formatVersion = '2.0.0'),
      ),
    );
    await expectFailure(
      path,
      ArchiveFormatError,
      /archive format 2\.0\.0 is not supported by this calico-migrate, which reads format 1\.x \(writes 1\.0\.0\); upgrade calico-migrate/,
    );
    const old = await variant((files) =>
      reseal(replace(files, 'calico-migrate/format-version', '0.9.0\n')),
    );
    await expectFailure(old, ArchiveFormatError, /format 0\.9\.0 is not supported/);
    const junk = await variant((files) =>
      replace(files, 'calico-migrate/format-version', 'banana\n'),
    );
    await expectFailure(junk, ArchiveFormatError, /"banana" is not MAJOR\.MINOR\.PATCH/);
  });

  it('accepts a newer minor version, with additions under calico-migrate/ that this version skips', async () => {
    const extra = { name: 'calico-migrate/index.json', data: Buffer.from('{}\n') };
    const newer = await variant((files) =>
      reseal(
        [
          ...replace(files, 'calico-migrate/format-version', '1.7.3\n').slice(0, -1),
          extra,
          files.at(-1)!,
        ],
        (m) => {
          m.formatVersion = '1.7.3';
          m.entries.find((e) => e.path === extra.name)!.type = 'index';
          (m as unknown as Record<string, unknown>).futureField = { any: 'thing' };
        },
      ),
    );
    const summary = await validateArchive(newer);
    assert.equal(summary.formatVersion, '1.7.3');
    assert.equal(summary.resources, 4);
    const same = await variant((files) => reseal([...files.slice(0, -1), extra, files.at(-1)!]));
    await expectFailure(
      same,
      ArchiveFormatError,
      /entry calico-migrate\/index\.json is not part of format 1\.0\.0/,
    );
  });

  it('refuses an archive whose first entry is not the format version', async () => {
    const path = await variant((files) => reseal([files[1]!, files[0]!, ...files.slice(2)]));
    await expectFailure(
      path,
      ArchiveFormatError,
      /the first entry is "resources\/tiers\/cluster\/security\.json", not calico-migrate\/format-version/,
    );
  });

  for (const [name, why] of [
    ['../x', /"\.\." segment/],
    ['resources/../../x.json', /"\.\." segment/],
    ['/etc/cron.d/x', /absolute/],
    ['resources\\tiers\\x.json', /backslash/],
    ['elsewhere/x', /not under/],
  ] as const) {
    it(`refuses the unsafe entry path ${name}`, async () => {
      const path = await variant((files) => [
        ...files.slice(0, 2),
        { name, data: Buffer.from('{}') },
        ...files.slice(2),
      ]);
      await expectFailure(path, ArchiveFormatError, new RegExp(`is unsafe \\(.*${why.source}`));
    });
  }

  it('refuses links and directories', async () => {
    const link = await variant((files) => [
      ...files.slice(0, 1),
      { name: 'raw/etcd/x.bin', data: Buffer.alloc(0), type: 'symlink', linkname: '/etc/passwd' },
      ...files.slice(1),
    ]);
    await expectFailure(
      link,
      ArchiveFormatError,
      /entry raw\/etcd\/x\.bin is a symlink; archives hold only regular files/,
    );
  });

  it('refuses a duplicate entry', async () => {
    const path = await variant((files) =>
      reseal([...files.slice(0, 3), files[1]!, ...files.slice(3)]),
    );
    await expectFailure(
      path,
      ArchiveIntegrityError,
      /entry resources\/tiers\/cluster\/security\.json appears more than once/,
    );
  });

  it('refuses an entry the manifest does not list', async () => {
    const extra = {
      name: 'resources/tiers/cluster/sneaky.json',
      data: Buffer.from(
        '{"apiVersion":"projectcalico.org/v3","kind":"Tier","metadata":{"name":"sneaky"}}',
      ),
    };
    const path = await variant((files) => [...files.slice(0, 2), extra, ...files.slice(2)]);
    await expectFailure(
      path,
      ArchiveIntegrityError,
      /archive entry resources\/tiers\/cluster\/sneaky\.json is not listed in the manifest/,
    );
  });

  it('refuses an archive missing an entry the manifest lists', async () => {
    const path = await variant((files) =>
      files.filter(
        (f) => f.name !== 'resources/networkpolicies/namespaces/kube-system/allow-dns.json',
      ),
    );
    await expectFailure(
      path,
      ArchiveIntegrityError,
      /manifest lists resources\/networkpolicies\/namespaces\/kube-system\/allow-dns\.json, which is not in the archive/,
    );
  });

  it('refuses entries in a different order than the manifest, or of a different size', async () => {
    const swapped = await variant((files) => [files[0]!, files[2]!, files[1]!, ...files.slice(3)]);
    await expectFailure(
      swapped,
      ArchiveIntegrityError,
      /archive entry 2 is resources\/networkpolicies\/namespaces\/kube-system\/allow-dns\.json, the manifest lists resources\/tiers\/cluster\/security\.json there/,
    );
    const resized = await variant((files) => reseal(files, (m) => void (m.entries[1]!.size += 1)));
    await expectFailure(
      resized,
      ArchiveIntegrityError,
      /entry resources\/tiers\/cluster\/security\.json is \d+ bytes, the manifest says \d+/,
    );
  });

  it("refuses an object stored at another object's path", async () => {
    const path = await variant((files) => {
      const tier = files.find((f) => f.name === TIER)!;
      return reseal(
        files.map((f) =>
          f.name === TIER ? { ...tier, name: 'resources/tiers/cluster/other.json' } : f,
        ),
      );
    });
    await expectFailure(
      path,
      ArchiveIntegrityError,
      /entry resources\/tiers\/cluster\/other\.json does not hold the object its path names: metadata\.name is "security", the path says "other"/,
    );
    const ns = await variant((files) =>
      reseal(
        files.map((f) =>
          f.name.includes('allow-dns')
            ? { ...f, name: f.name.replace('kube-system', 'default') }
            : f,
        ),
      ),
    );
    await expectFailure(
      ns,
      ArchiveIntegrityError,
      /metadata\.namespace is "kube-system", the path says "default"/,
    );
  });

  it('refuses an unknown kind, in the path or in the object', async () => {
    const inPath = await variant((files) =>
      reseal([
        ...files.slice(0, 1),
        { name: 'resources/widgets/cluster/w.json', data: Buffer.from('{}') },
        ...files.slice(1),
      ]),
    );
    await expectFailure(
      inPath,
      ArchiveFormatError,
      /entry resources\/widgets\/cluster\/w\.json is in resources\/widgets\/, a kind this calico-migrate does not know; upgrade calico-migrate/,
    );
    const inObject = await variant((files) =>
      reseal(
        replace(
          files,
          TIER,
          files
            .find((f) => f.name === TIER)!
            .data.toString()
            .replace('"kind": "Tier"', '"kind": "Widget"'),
        ),
      ),
    );
    await expectFailure(
      inObject,
      ArchiveIntegrityError,
      /kind is "Widget", a kind calico-migrate does not know, the path says Tier/,
    );
    const notExported = await variant((files) =>
      reseal([
        ...files.slice(0, 1),
        { name: 'resources/ipamconfigs/cluster/default.json', data: Buffer.from('{}') },
        ...files.slice(1),
      ]),
    );
    await expectFailure(
      notExported,
      ArchiveFormatError,
      /kind IPAMConfig, which archives never contain/,
    );
  });

  it('refuses an object that does not parse as JSON', async () => {
    const path = await variant((files) =>
      reseal(replace(files, TIER, '{"apiVersion": "projectcalico.org/v3",')),
    );
    await expectFailure(
      path,
      ArchiveIntegrityError,
      /entry resources\/tiers\/cluster\/security\.json does not parse as JSON/,
    );
  });

  it('refuses counts that disagree with the contents', async () => {
    const total = await variant((files) =>
      reseal(files, (m) => void (m.counts.kinds.Tier = { total: 2, derived: 0 })),
    );
    await expectFailure(
      total,
      ArchiveIntegrityError,
      /manifest counts 2 Tier objects, the archive holds 1/,
    );
    const derived = await variant((files) =>
      reseal(files, (m) => void (m.counts.kinds.NetworkPolicy = { total: 2, derived: 1 })),
    );
    await expectFailure(
      derived,
      ArchiveIntegrityError,
      /manifest counts 1 derived NetworkPolicy objects, its entry records mark 0/,
    );
    const raw = await variant((files) =>
      reseal(files, (m) => void (m.counts.raw = { 'unknown key': 2 })),
    );
    await expectFailure(
      raw,
      ArchiveIntegrityError,
      /manifest counts 2 raw entries for reason "unknown key", the archive holds 1/,
    );
    const record = await variant((files) =>
      reseal(files, (m) => void (m.entries[1]!.name = 'other')),
    );
    await expectFailure(
      record,
      ArchiveIntegrityError,
      /manifest record of resources\/tiers\/cluster\/security\.json says name "other", its path says "security"/,
    );
    const version = await variant((files) =>
      reseal(files, (m) => void (m.formatVersion = '1.0.1')),
    );
    await expectFailure(
      version,
      ArchiveIntegrityError,
      /manifest says format 1\.0\.1, the format-version entry says 1\.0\.0/,
    );
  });

  it('refuses a raw value without its metadata entry, and metadata without its value', async () => {
    const noMeta = await variant((files) =>
      reseal(files.filter((f) => !f.name.endsWith('.meta.json'))),
    );
    await expectFailure(
      noMeta,
      ArchiveIntegrityError,
      /raw value raw\/etcd\/%2Fcalico%2Funknown%2Fkey\.bin does not directly follow its metadata entry/,
    );
    const noValue = await variant((files) => reseal(files.filter((f) => f.name !== RAW_VALUE)));
    await expectFailure(
      noValue,
      ArchiveIntegrityError,
      /raw metadata entry raw\/etcd\/%2Fcalico%2Funknown%2Fkey\.meta\.json is not followed by its value entry/,
    );
  });

  it('refuses an archive with no entries at all', async () => {
    await expectFailure(await rawVariant(await pack([])), ArchiveFormatError, /holds no entries/);
  });
});
