/**
 * The byte path of the reader: file or stream -> gzip check -> gunzip -> tar-stream extract, as an
 * async iterator of entries. Foreign errors (zlib, tar-stream, file system) become the typed errors
 * of model/errors.ts here, once, with a message that says what is wrong and how to fix it.
 */
import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { CalicoMigrateError, UsageError } from '../model/errors.js';
import { FIX_DAMAGED, FIX_NOT_OURS, formatError, integrityError } from './archive-errors.js';

/** An archive to read: a file path, or a stream such as stdin (readable once). */
export type ArchiveInput = string | Readable;

/** One tar entry. `body` must be read to its end (or left to the iterator, which drains it). */
export interface TarEntry {
  path: string;
  /** tar-stream's entry type: `file`, `directory`, `symlink`, ... */
  type: string;
  size: number;
  body: AsyncIterable<Buffer>;
}

/** A name for messages: the file path, or `stdin` for a stream. */
export function labelOf(input: ArchiveInput): string {
  return typeof input === 'string' ? input : 'stdin';
}

/** Streams the entries of a .tar.gz; throws typed errors for anything that is not a sound tar.gz. */
export async function* readTarEntries(
  input: ArchiveInput,
  label = labelOf(input),
): AsyncGenerator<TarEntry> {
  const source = typeof input === 'string' ? createReadStream(input) : input;
  const extract = tar.extract();
  pipeline(source, checkGzipMagic(label), createGunzip(), (chunks) => feed(chunks, extract)).catch(
    (error: unknown) => extract.destroy(translateError(error, label)),
  );
  const entries = extract[Symbol.asyncIterator]();
  let finished = false;
  let lastPath: string | undefined;
  try {
    for (;;) {
      const next = await entries.next().catch((error: unknown) => {
        throw translateError(error, label, lastPath);
      });
      if (next.done) break;
      const entry = next.value;
      const { name, type, size } = entry.header;
      lastPath = name;
      yield { path: name, type, size, body: readBody(entry, label) };
      for await (const _ of readBody(entry, label)); // drain what the caller left
    }
    finished = true;
  } finally {
    if (!finished) {
      source.destroy();
      extract.destroy();
    }
  }
}

/** Writes decompressed bytes into tar-stream, waiting whenever it asks for a pause. */
async function feed(chunks: AsyncIterable<Buffer>, extract: tar.Extract): Promise<void> {
  for await (const chunk of chunks) {
    if (extract.destroying) return;
    if (!extract.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          extract.off('drain', done);
          extract.off('close', done);
          resolve();
        };
        extract.on('drain', done);
        extract.on('close', done);
      });
    }
  }
  extract.end(undefined);
}

async function* readBody(entry: AsyncIterable<unknown>, label: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of entry) yield chunk as Buffer;
  } catch (error) {
    throw translateError(error, label);
  }
}

/** Reads a whole entry body, refusing bodies over `limit` bytes. */
export async function readEntryBytes(
  entry: TarEntry,
  limit: number,
  label: string,
): Promise<Buffer> {
  if (entry.size > limit) {
    throw formatError(
      label,
      `entry ${entry.path} is ${entry.size} bytes, over the ${limit}-byte limit for one entry`,
      FIX_NOT_OURS,
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of entry.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Passes bytes through, failing early (and clearly) when the input does not start like gzip. */
function checkGzipMagic(label: string): Transform {
  let head = Buffer.alloc(0);
  let checked = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (checked) return callback(null, chunk);
      head = Buffer.concat([head, chunk]);
      if (head.length < GZIP_MAGIC.length) return callback();
      checked = true;
      if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
        const start = head.subarray(0, 8).toString('hex');
        return callback(
          formatError(
            label,
            `not gzip-compressed (it starts with bytes ${start}, not 1f8b)`,
            FIX_NOT_OURS,
          ),
        );
      }
      callback(null, head);
    },
    flush(callback) {
      if (checked) return callback();
      callback(
        formatError(
          label,
          head.length === 0 ? 'the input is empty' : 'not gzip-compressed (too short)',
          FIX_NOT_OURS,
        ),
      );
    },
  });
}

/**
 * Maps a zlib, tar-stream or file-system error to the typed error it means. A bad tar header before
 * any entry means the input is not a tar; after `lastPath`, that the archive is damaged.
 */
function translateError(error: unknown, label: string, lastPath?: string): Error {
  if (error instanceof CalicoMigrateError) return error;
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
    return new UsageError(
      `${label}: cannot read the archive (${message})`,
      'check the archive path',
      { cause: error },
    );
  }
  if (code === 'Z_BUF_ERROR' || /unexpected end of (file|data)/i.test(message)) {
    return integrityError(
      label,
      'the archive is truncated (it ends in the middle of the data)',
      FIX_DAMAGED,
      error,
    );
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return integrityError(label, `the gzip data is corrupt (${message})`, FIX_DAMAGED, error);
  }
  if (/tar header|header exceeds/i.test(message) && lastPath !== undefined) {
    return integrityError(
      label,
      `the tar header after entry ${lastPath} is damaged (${message})`,
      FIX_DAMAGED,
      error,
    );
  }
  if (/tar header|header exceeds/i.test(message)) {
    return formatError(
      label,
      `not a tar archive, or its tar headers are damaged (${message})`,
      FIX_NOT_OURS,
      error,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
