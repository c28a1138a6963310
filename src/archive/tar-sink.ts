/**
 * The byte path of the writer: tar-stream pack -> gzip -> byte counter -> sink (temp file or
 * stream). Each entry resolves only once tar-stream has accepted its bytes, and tar-stream accepts
 * only as fast as gzip and the sink drain, so a slow sink slows the writer instead of filling memory.
 */
import { createHash } from 'node:crypto';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { FILE_MODE } from './format.js';

/**
 * tar-stream emits a header, the data and the padding of each entry as separate small chunks, and
 * zlib makes one thread-pool round trip per chunk; gathering them first makes small objects several
 * times faster to write. At most this many bytes wait in the gatherer.
 */
const COALESCE_BYTES = 64 * 1024;

/** A tar.gz stream being written to a sink. */
export class TarSink {
  private readonly pack = tar.pack();
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private readonly done: Promise<void>;
  private failure: { error: unknown } | undefined;
  /** Rejecters of the waits in progress, all called if the pipeline fails. */
  private readonly waiting = new Set<(error: unknown) => void>();

  constructor(
    target: Writable,
    private readonly mtime: Date,
  ) {
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        callback(null, chunk);
      },
    });
    this.done = pipeline(this.pack, coalesce(COALESCE_BYTES), createGzip(), counter, target);
    this.done.catch((error: unknown) => {
      this.failure = { error };
      for (const reject of this.waiting) reject(error);
    });
  }

  /**
   * Waits for `promise`, but fails as soon as the pipeline fails (a stalled entry never settles on
   * its own then). Registers a rejecter per wait and removes it after, so nothing accumulates.
   */
  private guard<T>(promise: Promise<T>): Promise<T> {
    promise.catch(() => {}); // its failure is reported below, or superseded by the pipeline's
    if (this.failure) return Promise.reject(this.failure.error);
    return new Promise<T>((resolve, reject) => {
      this.waiting.add(reject);
      promise
        .then(resolve, (error: unknown) => this.rootCause(error).then(reject))
        .finally(() => this.waiting.delete(reject));
    });
  }

  /** When the pack was torn down, an entry fails with a generic error; the pipeline's is the real one. */
  private async rootCause(error: unknown): Promise<unknown> {
    if (!this.pack.destroying) return error;
    return this.done.then(
      () => error,
      (pipelineError: unknown) => pipelineError,
    );
  }

  /** Adds an entry whose bytes are all in memory. */
  addEntry(path: string, bytes: Buffer): Promise<void> {
    const added = new Promise<void>((resolve, reject) => {
      const entry = this.pack.entry(this.header(path, bytes.length), bytes, (error) =>
        error ? reject(error) : resolve(),
      );
      entry.on('error', () => {}); // reported through the callback
    });
    return this.guard(added);
  }

  /** Adds an entry streamed from `chunks`, which must add up to exactly `size` bytes. */
  async addStreamedEntry(path: string, size: number, chunks: AsyncIterable<Buffer>): Promise<void> {
    if (this.pack.destroying) return this.guard(Promise.reject(new Error('tar stream destroyed')));
    let entry!: ReturnType<tar.Pack['entry']>;
    const added = new Promise<void>((resolve, reject) => {
      entry = this.pack.entry(this.header(path, size), (error) =>
        error ? reject(error) : resolve(),
      );
      entry.on('error', () => {}); // reported through the callback
    });
    added.catch(() => {});
    for await (const chunk of chunks) {
      if (!entry.write(chunk)) {
        await this.guard(
          Promise.race([
            new Promise<void>((resolve) => entry.once('drain', () => resolve())),
            added,
          ]),
        );
      }
    }
    entry.end(undefined);
    await this.guard(added);
  }

  /** Writes the end-of-archive blocks and waits until the sink has every byte. */
  async end(): Promise<{ bytes: number; sha256: string }> {
    this.pack.finalize();
    await this.done;
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Cuts the stream off (gzip left without its trailer) and waits for the pipeline to stop. */
  async destroy(error: unknown): Promise<void> {
    this.pack.destroy(error instanceof Error ? error : new Error(String(error)));
    await this.done.catch(() => {});
  }

  private header(name: string, size: number): Parameters<tar.Pack['entry']>[0] {
    return {
      name,
      size,
      type: 'file',
      mode: FILE_MODE,
      mtime: this.mtime,
      uid: 0,
      gid: 0,
      uname: '',
      gname: '',
    };
  }
}

/** Gathers small chunks into chunks of about `size` bytes (the rest is passed on at the end). */
function coalesce(size: number): Transform {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < size) return callback();
      const gathered = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      callback(null, gathered);
    },
    flush(callback) {
      callback(null, pendingBytes > 0 ? Buffer.concat(pending, pendingBytes) : undefined);
    },
  });
}
