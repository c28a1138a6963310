/**
 * An append-only spool in a temporary file, read back in order. The writer spools manifest records;
 * the reader spools the entries it has seen and the manifest, so neither holds a list that grows
 * with the number of objects.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { createTempDir, type TempDir } from './temp-files.js';

/** Appends gathered before one write: one system call per batch instead of per line. */
const BATCH_BYTES = 64 * 1024;

/** Text appended to a temporary file, with backpressure, then streamed back. */
export class LineSpool {
  private bytesWritten = 0;
  private closed = false;
  private batch: Buffer[] = [];
  private batchBytes = 0;

  private constructor(
    private readonly dir: TempDir,
    private readonly file: string,
    private readonly out: WriteStream,
  ) {}

  /** Creates an empty spool in a new private temporary directory. */
  static async create(purpose: string): Promise<LineSpool> {
    const dir = await createTempDir(purpose);
    const file = join(dir.path, 'spool');
    const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
    out.on('error', () => {}); // surfaced by write/close below
    await once(out, 'open');
    return new LineSpool(dir, file, out);
  }

  /** Bytes appended so far. */
  get size(): number {
    return this.bytesWritten;
  }

  /**
   * Appends text (the caller adds any newline) or bytes; written in batches of about 64 KiB, and
   * waits when the file stream is behind.
   */
  async append(data: string | Buffer): Promise<void> {
    if (this.out.errored) throw this.out.errored;
    const chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.bytesWritten += chunk.length;
    this.batch.push(chunk);
    this.batchBytes += chunk.length;
    if (this.batchBytes >= BATCH_BYTES) await this.flush();
  }

  /** Flushes and closes the file; call before reading. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    this.out.end();
    await finished(this.out);
  }

  private async flush(): Promise<void> {
    if (this.batchBytes === 0) return;
    const chunk = Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  /** The spooled bytes, as written. */
  readBytes(): AsyncIterable<Buffer> {
    return createReadStream(this.file);
  }

  /** The spooled text, line by line (without the newline). */
  readLines(): AsyncIterable<string> {
    return createInterface({ input: createReadStream(this.file, 'utf8'), crlfDelay: Infinity });
  }

  /** Closes the file if needed and deletes the spool. Never throws. */
  async remove(): Promise<void> {
    this.closed = true;
    this.batch = [];
    this.out.destroy();
    await this.dir.remove().catch(() => {});
  }
}
