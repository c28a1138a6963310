/**
 * Atomic creation of the archive file: data goes to a hidden temporary file in the destination's
 * directory (same file system, so the final rename is atomic), created with mode 0600; `commit`
 * flushes it to disk and renames it into place, `discard` deletes it. A reader of the final path
 * therefore sees either nothing or a complete archive, never a partial one.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { chmod, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { FILE_MODE } from './format.js';
import { UsageError } from '../model/errors.js';

/** A temporary file that becomes `finalPath` on `commit`, or disappears on `discard`. */
export class AtomicFile {
  private state: 'open' | 'committing' | 'committed' | 'discarded' = 'open';

  private constructor(
    readonly finalPath: string,
    readonly tempPath: string,
    /** Where to write the data; it closes the file when it ends. */
    readonly stream: WriteStream,
  ) {}

  /** Creates the temporary file next to `finalPath` (mode 0600, never an existing file). */
  static async create(finalPath: string): Promise<AtomicFile> {
    const target = resolve(finalPath);
    const tempPath = join(
      dirname(target),
      `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
    );
    const stream = createWriteStream(tempPath, { flags: 'wx', mode: FILE_MODE });
    const file = new AtomicFile(target, tempPath, stream);
    try {
      await once(stream, 'open');
      await chmod(tempPath, FILE_MODE); // the creation mode is masked by the umask; make it exact
    } catch (error) {
      await file.discard();
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'its directory does not exist'
          : (error as Error).message;
      throw new UsageError(
        `cannot write the archive ${target}: ${reason}`,
        'choose a writable directory for -o',
        { cause: error },
      );
    }
    return file;
  }

  /** After all data is written: wait for the file to close, fsync it, rename it into place. */
  async commit(): Promise<void> {
    if (this.state !== 'open') throw new Error(`${this.tempPath} is already ${this.state}`);
    this.state = 'committing';
    try {
      await finished(this.stream);
      await syncPath(this.tempPath, true);
      // A discard while we waited wins: the file must not appear.
      if (this.state !== 'committing')
        throw new Error(`${this.finalPath} was discarded while being committed`);
      await rename(this.tempPath, this.finalPath);
      this.state = 'committed';
    } catch (error) {
      await unlink(this.tempPath).catch(() => {});
      throw error;
    }
    await syncPath(dirname(this.finalPath), false);
  }

  /** Deletes the temporary file (unless already renamed into place). Never throws; idempotent. */
  async discard(): Promise<void> {
    if (this.state === 'committed' || this.state === 'discarded') return;
    this.state = 'discarded';
    this.stream.destroy();
    await unlink(this.tempPath).catch(() => {});
  }
}

/**
 * fsyncs a file (its data, whichever descriptor wrote it) or a directory (to make a rename
 * durable). For directories it is best effort: some platforms cannot fsync them.
 */
async function syncPath(path: string, required: boolean): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (error) {
    if (required) throw error;
  } finally {
    await handle?.close().catch(() => {});
  }
}
