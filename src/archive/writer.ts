/**
 * The archive writer: canonical objects and raw entries in, a gzip-compressed tar out, in the order
 * the caller writes them, with the manifest last (docs/archive-format.md). Memory stays flat: each
 * entry waits for tar/gzip/sink backpressure, and manifest records are spooled to a temporary file
 * and streamed into the manifest at the end.
 */
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { InternalError } from '../model/errors.js';
import { stringifyJson } from '../model/json.js';
import type { CalicoResource, RawEntry } from '../model/resource.js';
import { describeRef, refOf } from '../model/resource.js';
import { AtomicFile } from './atomic-file.js';
import { formatRawMeta } from './entry-checks.js';
import { FingerprintSet } from './fingerprint-set.js';
import { FORMAT_VERSION, FORMAT_VERSION_PATH, MANIFEST_PATH } from './format.js';
import { LineSpool } from './line-spool.js';
import {
  formatManifestEntry,
  formatManifestHead,
  MANIFEST_TAIL,
  stripCredentials,
  type KindCount,
  type ManifestEntry,
  type ManifestHeader,
  type ManifestSource,
} from './manifest.js';
import { TarSink } from './tar-sink.js';
import { checkedRawPaths, checkedResourcePath } from './write-checks.js';

/** Where an archive goes: a file path (written atomically) or a stream such as stdout. */
export type ArchiveTarget = string | Writable;

/** Fixed facts about the run, known when the writer is created. */
export interface ArchiveWriterOptions {
  tool: { name: string; version: string };
  /** Recorded as `createdAt` and as every entry's mtime; defaults to now. */
  createdAt?: Date;
}

/** What only the end of an export knows; recorded in the manifest by `finish`. */
export interface ArchiveCompletion {
  source: ManifestSource;
  skipped?: Record<string, number>;
  warnings?: string[];
}

/** What `finish` wrote. */
export interface ArchiveWriteResult {
  /** The archive file, when writing to a path. */
  path?: string;
  /** Tar entries, manifest included. */
  entries: number;
  /** Size of the compressed archive. */
  bytes: number;
  /** SHA-256 (hex) of the compressed archive. */
  sha256: string;
  manifest: ManifestHeader;
}

/** One item of `writeArchive`'s input. */
export type ArchiveInputItem =
  | { type: 'resource'; resource: CalicoResource; derived?: boolean }
  | { type: 'raw'; raw: RawEntry };

type State = 'open' | 'finishing' | 'done' | 'failed';

/**
 * Writes one archive. Calls are queued, so callers may but need not await each write. Any failure
 * (or `abort`) removes the temporary file; no file ever appears at the final path unless `finish`
 * succeeds. On a stream target the output is cut off with no manifest, so readers reject it.
 */
export class ArchiveWriter {
  private state: State = 'open';
  private failure: unknown;
  private queue: Promise<void> = Promise.resolve();
  private readonly kinds = new Map<string, KindCount>();
  private readonly raw = new Map<string, number>();
  /** Paths of the objects written, to refuse duplicates (about 24 bytes each). */
  private readonly paths = new FingerprintSet();
  private entries = 0;

  private constructor(
    private readonly sink: TarSink,
    private readonly spool: LineSpool,
    private readonly file: AtomicFile | undefined,
    private readonly options: Required<ArchiveWriterOptions>,
  ) {}

  /** Opens the target and writes the format-version entry. */
  static async create(
    target: ArchiveTarget,
    options: ArchiveWriterOptions,
  ): Promise<ArchiveWriter> {
    const createdAt = options.createdAt ?? new Date();
    const spool = await LineSpool.create('manifest');
    let file: AtomicFile | undefined;
    try {
      let stream: Writable;
      if (typeof target === 'string') {
        file = await AtomicFile.create(target);
        stream = file.stream;
      } else stream = target;
      const sink = new TarSink(stream, createdAt);
      const writer = new ArchiveWriter(sink, spool, file, { ...options, createdAt });
      await writer.enqueue(() =>
        writer.addEntry(
          { path: FORMAT_VERSION_PATH, type: 'format-version' },
          Buffer.from(`${FORMAT_VERSION}\n`),
        ),
      );
      return writer;
    } catch (error) {
      await file?.discard();
      await spool.remove();
      throw error;
    }
  }

  /**
   * Writes one canonical object; `derived` says it was derived from other data (counted apart).
   * Resolves `false`, writing nothing, when an object with the same kind, namespace and name was
   * written already (a reader refuses duplicate entries): the caller decides what to do with it.
   */
  writeResource(resource: CalicoResource, options: { derived?: boolean } = {}): Promise<boolean> {
    let path: string;
    try {
      path = checkedResourcePath(resource);
    } catch (error) {
      // A non-canonical object is a bug upstream: it aborts the archive like any failed write.
      return this.enqueue(() => Promise.reject(error)).then(() => false);
    }
    if (!this.paths.add(path)) return Promise.resolve(false);
    return this.enqueue(async () => {
      const { kind, metadata } = resource;
      const derived = options.derived ?? false;
      const bytes = Buffer.from(stringifyJson(resource, 2) + '\n');
      await this.addEntry(
        {
          path,
          type: 'resource',
          kind,
          namespace: metadata.namespace || undefined,
          name: metadata.name,
          derived,
        },
        bytes,
      );
      const count = this.kinds.get(kind) ?? { total: 0, derived: 0 };
      this.kinds.set(kind, { total: count.total + 1, derived: count.derived + (derived ? 1 : 0) });
    }).then(() => true);
  }

  /** Writes a raw entry: its metadata (source, key, reason), then its bytes unchanged. */
  writeRaw(raw: RawEntry): Promise<void> {
    return this.enqueue(async () => {
      const paths = checkedRawPaths(raw);
      const { source, key } = raw;
      await this.addEntry({ path: paths.meta, type: 'raw-meta', source, key }, formatRawMeta(raw));
      await this.addEntry({ path: paths.value, type: 'raw-value', source, key }, raw.value);
      this.raw.set(raw.reason, (this.raw.get(raw.reason) ?? 0) + 1);
    });
  }

  /** Writes the manifest, completes the archive and (for a path) moves the file into place. */
  finish(completion: ArchiveCompletion): Promise<ArchiveWriteResult> {
    let result: ArchiveWriteResult | undefined;
    const run = this.enqueue(async () => {
      this.state = 'finishing';
      const manifest = this.buildHeader(completion);
      const head = Buffer.from(formatManifestHead(manifest));
      const tail = Buffer.from(MANIFEST_TAIL);
      await this.spool.close();
      const spooled = this.spool.readBytes();
      async function* manifestBytes(): AsyncGenerator<Buffer> {
        yield head;
        yield* spooled;
        yield tail;
      }
      await this.sink.addStreamedEntry(
        MANIFEST_PATH,
        head.length + this.spool.size + tail.length,
        manifestBytes(),
      );
      const { bytes, sha256 } = await this.sink.end();
      await this.file?.commit();
      await this.spool.remove();
      this.state = 'done';
      result = { path: this.file?.finalPath, entries: this.entries + 1, bytes, sha256, manifest };
    });
    return run.then(() => result!);
  }

  /**
   * Stops writing and removes the temporary file; on a stream target the consumer sees a cut-off
   * archive. Does not wait for queued writes (they fail). No effect after `finish` succeeded.
   */
  async abort(reason?: unknown): Promise<void> {
    if (this.state === 'done') return;
    await this.fail(
      reason instanceof Error
        ? reason
        : new Error(`archive aborted: ${String(reason ?? 'no reason given')}`),
    );
  }

  private buildHeader(completion: ArchiveCompletion): ManifestHeader {
    const source = {
      ...completion.source,
      endpoints: completion.source.endpoints.map(stripCredentials),
    };
    return {
      formatVersion: FORMAT_VERSION,
      tool: { name: this.options.tool.name, version: this.options.tool.version },
      createdAt: this.options.createdAt.toISOString(),
      source,
      counts: {
        kinds: Object.fromEntries(this.kinds),
        raw: Object.fromEntries(this.raw),
        skipped: { ...completion.skipped },
      },
      warnings: [...(completion.warnings ?? [])],
    };
  }

  private async addEntry(
    record: Omit<ManifestEntry, 'sha256' | 'size'>,
    bytes: Buffer,
  ): Promise<void> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await this.sink.addEntry(record.path, bytes);
    const line = formatManifestEntry({ ...record, sha256, size: bytes.length });
    await this.spool.append(this.entries === 0 ? line : `,\n${line}`);
    this.entries++;
  }

  /** Runs `op` after every earlier call; the first failure aborts the archive and fails the rest. */
  private enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.state !== 'open') {
        throw (
          this.failure ??
          new InternalError(`archive writer is ${this.state}; no more writes are possible`)
        );
      }
      try {
        await op();
      } catch (error) {
        // A write torn down by an abort meanwhile fails with the abort's reason, not the stream's.
        if (this.failure !== undefined) throw this.failure;
        await this.fail(error);
        throw error;
      }
    });
    this.queue = run.catch(() => {});
    return run;
  }

  private async fail(error: unknown): Promise<void> {
    if (this.state === 'failed' || this.state === 'done') return;
    this.state = 'failed';
    this.failure = error;
    await this.sink.destroy(error);
    await this.file?.discard();
    await this.spool.remove();
  }
}

/** Creates an `ArchiveWriter` (see there). */
export function createArchiveWriter(
  target: ArchiveTarget,
  options: ArchiveWriterOptions,
): Promise<ArchiveWriter> {
  return ArchiveWriter.create(target, options);
}

/**
 * Writes a whole archive from an async source: every item in order, then the manifest with what
 * `complete` returns (called after the source is exhausted). If the source throws, the archive is
 * aborted (no file at the target path) and the error is rethrown.
 */
export async function writeArchive(
  target: ArchiveTarget,
  options: ArchiveWriterOptions,
  items: AsyncIterable<ArchiveInputItem> | Iterable<ArchiveInputItem>,
  complete: () => ArchiveCompletion | Promise<ArchiveCompletion>,
): Promise<ArchiveWriteResult> {
  const writer = await createArchiveWriter(target, options);
  try {
    for await (const item of items) {
      if (item.type === 'raw') await writer.writeRaw(item.raw);
      else if (!(await writer.writeResource(item.resource, { derived: item.derived }))) {
        throw new InternalError(`duplicate object ${describeRef(refOf(item.resource))}`);
      }
    }
    return await writer.finish(await complete());
  } catch (error) {
    await writer.abort(error);
    throw error;
  }
}
