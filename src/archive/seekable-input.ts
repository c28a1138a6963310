/**
 * Import reads an archive twice (validate everything, then apply), but stdin can be read only once.
 * These helpers copy a stream to a private temporary file (mode 0600) that can be read any number
 * of times and is removed afterwards.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FILE_MODE } from './format.js';
import type { ArchiveInput } from './tar-input.js';
import { createTempDir } from './temp-files.js';

/** A copy of a stream in a temporary file. */
export interface SpooledArchive {
  /** The temporary file; pass it to the reader as often as needed. */
  path: string;
  /** Deletes the file (and its private directory). Never throws. */
  remove(): Promise<void>;
}

/** Copies `input` to a private temporary file. */
export async function spoolArchiveInput(input: Readable): Promise<SpooledArchive> {
  const dir = await createTempDir('input');
  const path = join(dir.path, 'archive.tar.gz');
  const remove = (): Promise<void> => dir.remove().catch(() => {});
  try {
    await pipeline(input, createWriteStream(path, { flags: 'wx', mode: FILE_MODE }));
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove };
}

/**
 * Runs `use` with a file path for the archive: the path itself, or for a stream a temporary copy
 * that is removed when `use` settles.
 */
export async function withSeekableArchive<T>(
  input: ArchiveInput,
  use: (path: string) => Promise<T>,
): Promise<T> {
  if (typeof input === 'string') return use(input);
  const spooled = await spoolArchiveInput(input);
  try {
    return await use(spooled.path);
  } finally {
    await spooled.remove();
  }
}
