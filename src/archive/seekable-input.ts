/**
 * Import reads an archive twice (validate everything, then apply), but stdin can be read only once.
 * `withSeekableArchive` copies a stream to a private temporary file (mode 0600) that can be read
 * any number of times and is removed afterwards.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { FILE_MODE } from './format.js';
import type { ArchiveInput } from './tar-input.js';
import { createTempDir } from './temp-files.js';

/**
 * Runs `use` with a file path for the archive: the path itself, or for a stream a temporary copy
 * that is removed when `use` settles.
 */
export async function withSeekableArchive<T>(
  input: ArchiveInput,
  use: (path: string) => Promise<T>,
): Promise<T> {
  if (typeof input === 'string') return use(input);
  const dir = await createTempDir('input');
  try {
    const path = join(dir.path, 'archive.tar.gz');
    await pipeline(input, createWriteStream(path, { flags: 'wx', mode: FILE_MODE }));
    return await use(path);
  } finally {
    await dir.remove().catch(() => {});
  }
}
