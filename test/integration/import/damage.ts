/**
 * Damaged copies of a valid archive, each with exactly one problem: bytes changed, cut off, a
 * format version this reader does not know, an object that is not the one its path names. The
 * last two are rewritten entry by entry (tar-stream) with the manifest's size and SHA-256 of the
 * changed entry updated, so that checksums are not what refuses them.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Header } from 'tar-stream';
import { extract, pack } from 'tar-stream';
import type { JsonObject } from '../../../src/model/json.js';
import { parseJson, stringifyJson } from '../../../src/model/json.js';

/** One tar entry, in memory (test archives are small). */
interface Entry {
  header: Header;
  data: Buffer;
}

async function readEntries(tarGz: Buffer): Promise<Entry[]> {
  const entries: Entry[] = [];
  const reader = extract();
  const done = new Promise<void>((resolve, reject) => {
    reader.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
      stream.on('end', () => {
        entries.push({ header, data: Buffer.concat(chunks) });
        next();
      });
      stream.on('error', reject);
    });
    reader.on('finish', resolve);
    reader.on('error', reject);
  });
  reader.end(gunzipSync(tarGz));
  await done;
  return entries;
}

async function writeEntries(entries: Entry[]): Promise<Buffer> {
  const writer = pack();
  const chunks: Buffer[] = [];
  writer.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
  const ended = new Promise<void>((resolve) => writer.on('end', resolve));
  for (const { header, data } of entries) {
    await new Promise<void>((resolve, reject) =>
      writer.entry({ ...header, size: data.length }, data, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  }
  writer.finalize();
  await ended;
  return gzipSync(Buffer.concat(chunks));
}

const MANIFEST = 'calico-migrate/manifest.json';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Replaces the bytes of the entry at `path` and updates its manifest record (one compact JSON
 * line: the manifest layout is fixed, docs/archive-format.md), then lets `editHead` change the
 * manifest text before the entries list.
 */
async function replaceEntry(
  archive: Buffer,
  path: string,
  data: Buffer,
  editHead: (head: string) => string = (head) => head,
): Promise<Buffer> {
  const entries = await readEntries(archive);
  const entry = entries.find((e) => e.header.name === path);
  if (!entry) throw new Error(`no entry ${path} in the archive`);
  entry.data = data;
  const manifest = entries.find((e) => e.header.name === MANIFEST)!;
  const text = manifest.data.toString('utf8');
  const at = text.indexOf('\n  "entries": [\n');
  const lines = text
    .slice(at)
    .split('\n')
    .map((line) => {
      if (!line.startsWith(`    {"path":${JSON.stringify(path)},`)) return line;
      const comma = line.endsWith(',') ? ',' : '';
      const record = parseJson(line.trim().replace(/,$/, '')) as JsonObject;
      return `    ${stringifyJson({ ...record, sha256: sha256(data), size: data.length })}${comma}`;
    });
  manifest.data = Buffer.from(editHead(text.slice(0, at)) + lines.join('\n'));
  return writeEntries(entries);
}

/** A copy with one byte in the middle changed. */
export function flipByte(archive: Buffer): Buffer {
  const copy = Buffer.from(archive);
  const at = Math.floor(copy.length / 2);
  copy[at] = copy[at]! ^ 0x5a;
  return copy;
}

/** The first 70% of the bytes (an export that stopped half way). */
export function truncate(archive: Buffer): Buffer {
  return archive.subarray(0, Math.floor(archive.length * 0.7));
}

/** A copy that says it is format 2.0.0 (entry and manifest agree; checksums are right). */
export function unknownMajorVersion(archive: Buffer): Promise<Buffer> {
  return replaceEntry(archive, 'calico-migrate/format-version', Buffer.from('2.0.0\n'), (head) =>
    head.replace('"formatVersion": "1.0.0"', '"formatVersion": "2.0.0"'),
  );
}

/**
 * A copy in which the object at `path` has another name than its path says (checksums are right).
 */
export async function objectAtWrongPath(archive: Buffer, path: string): Promise<Buffer> {
  const entries = await readEntries(archive);
  const entry = entries.find((e) => e.header.name === path);
  if (!entry) throw new Error(`no entry ${path} in the archive`);
  const object = parseJson(entry.data.toString('utf8')) as JsonObject;
  (object.metadata as JsonObject).name = `not-${String((object.metadata as JsonObject).name)}`;
  return replaceEntry(archive, path, Buffer.from(`${stringifyJson(object, 2)}\n`));
}

/**
 * A copy in which the network set at `path` lists an address Calico refuses (`203.0.113.300`);
 * the archive itself is sound (checksums are right), only the object is invalid.
 */
export async function invalidNetworkSet(archive: Buffer, path: string): Promise<Buffer> {
  const entries = await readEntries(archive);
  const entry = entries.find((e) => e.header.name === path);
  if (!entry) throw new Error(`no entry ${path} in the archive`);
  const object = parseJson(entry.data.toString('utf8')) as JsonObject;
  const spec = object.spec as JsonObject;
  spec.nets = [...(spec.nets as string[]), '203.0.113.300'];
  return replaceEntry(archive, path, Buffer.from(`${stringifyJson(object, 2)}\n`));
}

/** Reads an archive file, damages it, and writes the copy. */
export async function writeDamaged(
  source: string,
  target: string,
  damage: (archive: Buffer) => Buffer | Promise<Buffer>,
): Promise<string> {
  writeFileSync(target, await damage(readFileSync(source)));
  return target;
}

/** A copy re-packed by the same code as the damaged ones, but unchanged (a control). */
export function repackUnchanged(archive: Buffer): Promise<Buffer> {
  return replaceEntry(archive, 'calico-migrate/format-version', Buffer.from('1.0.0\n'));
}
