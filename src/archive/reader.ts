/**
 * The archive reader: one streaming pass over a .tar.gz that checks everything docs/archive-format.md
 * requires and yields typed items in archive order, so import can apply objects as they come. The
 * manifest is the last item; it is yielded only once every check has passed.
 */
import { createHash } from 'node:crypto';
import type { KindInfo } from '../model/kinds.js';
import type { CalicoResource, RawEntry } from '../model/resource.js';
import { InternalError } from '../model/errors.js';
import { formatError, FIX_NOT_OURS, integrityError } from './archive-errors.js';
import {
  checkFormatVersionEntry,
  checkRawMetaEntry,
  checkResourceEntry,
  type RawMeta,
} from './entry-checks.js';
import { parseEntryPath, type EntryPath } from './entry-paths.js';
import { FORMAT_VERSION_PATH, isNewerMinor, MANIFEST_PATH, type FormatVersion } from './format.js';
import { FingerprintSet } from './fingerprint-set.js';
import { LineSpool } from './line-spool.js';
import type { ManifestEntry, ManifestHeader } from './manifest.js';
import { checkManifest, formatSeenEntry, type ContentCounts } from './manifest-check.js';
import {
  labelOf,
  readEntryBytes,
  readTarEntries,
  type ArchiveInput,
  type TarEntry,
} from './tar-input.js';

/** Largest entry the reader accepts (Calico objects are at most a few MiB: etcd and API server limits). */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
/** Largest manifest the reader accepts (about 200 bytes per entry: tens of millions of entries). */
export const MAX_MANIFEST_BYTES = 8 * 1024 * 1024 * 1024;

/** One item of an archive, in archive order. */
export type ArchiveItem =
  | { type: 'format-version'; version: string }
  | {
      type: 'resource';
      path: string;
      info: KindInfo;
      resource: CalicoResource;
      sha256: string;
      size: number;
    }
  | { type: 'raw'; path: string; raw: RawEntry; sha256: string; size: number }
  /** Last, after every check has passed (entries, checksums, counts). */
  | { type: 'manifest'; manifest: ManifestHeader };

/** Options of `readArchive`. */
export interface ReadArchiveOptions {
  /** Name used in error messages; defaults to the path, or `stdin`. */
  label?: string;
}

/** Internal items: the public ones plus each manifest record once it has been checked. */
export type ReaderItem = ArchiveItem | { type: 'manifest-entry'; entry: ManifestEntry };

/**
 * Reads and checks an archive, yielding its items in order. Throws `ArchiveFormatError` or
 * `ArchiveIntegrityError` at the first problem; items yielded before it came from entries that
 * passed their own checks, but only the final `manifest` item says the whole archive is sound.
 */
export async function* readArchive(
  input: ArchiveInput,
  options: ReadArchiveOptions = {},
): AsyncGenerator<ArchiveItem> {
  for await (const item of readArchiveItems(input, options.label ?? labelOf(input), false)) {
    if (item.type !== 'manifest-entry') yield item;
  }
}

/** The reading engine behind `readArchive`, `validateArchive` and `listArchiveEntries`. */
export async function* readArchiveItems(
  input: ArchiveInput,
  label: string,
  withRecords: boolean,
): AsyncGenerator<ReaderItem> {
  const seen = await LineSpool.create('read');
  const manifest = await LineSpool.create('manifest');
  try {
    const state = new ReadState(label, seen);
    for await (const entry of readTarEntries(input, label)) {
      if (state.manifestSeen) {
        throw integrityError(
          label,
          `the manifest is not the last entry (${entry.path} follows it)`,
        );
      }
      if (entry.path === MANIFEST_PATH) {
        // Kept aside and checked once the archive has ended, so "not last" is told apart from damage.
        state.acceptManifestEntry(entry);
        for await (const chunk of entry.body) await manifest.append(chunk);
        continue;
      }
      const item = await state.readEntry(entry);
      if (item) yield item;
    }
    state.checkEnd();
    await Promise.all([seen.close(), manifest.close()]);
    const records = checkManifest(manifest.readBytes(), seen, state.counts(), label);
    for (;;) {
      const next = await records.next();
      if (next.done) {
        yield { type: 'manifest', manifest: next.value };
        return;
      }
      if (withRecords) yield { type: 'manifest-entry', entry: next.value };
    }
  } finally {
    await Promise.all([seen.remove(), manifest.remove()]);
  }
}

/** What the reader has found so far. */
class ReadState {
  manifestSeen = false;
  private version: { text: string; version: FormatVersion } | undefined;
  private entries = 0;
  private lastPath = '';
  private readonly seenPaths = new FingerprintSet();
  private readonly kinds = new Map<string, number>();
  private readonly raw = new Map<string, number>();
  private pendingRaw: { path: string; meta: RawMeta } | undefined;

  constructor(
    private readonly label: string,
    private readonly seen: LineSpool,
  ) {}

  /** Checks one entry that is not the manifest, spools its checksum, and returns its item (if any). */
  async readEntry(entry: TarEntry): Promise<ArchiveItem | undefined> {
    const { label } = this;
    const path = this.checkEntryHeader(entry);
    const bytes = await readEntryBytes(entry, MAX_ENTRY_BYTES, label);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await this.seen.append(formatSeenEntry({ path: entry.path, size: bytes.length, sha256 }));
    this.entries++;
    this.lastPath = entry.path;
    if (path.type !== 'raw-value' && this.pendingRaw) throw this.unpairedRaw();
    switch (path.type) {
      case 'format-version':
        this.version = checkFormatVersionEntry(bytes, label);
        return { type: 'format-version', version: this.version.text };
      case 'resource': {
        const resource = checkResourceEntry(path, bytes, label);
        this.kinds.set(path.info.kind, (this.kinds.get(path.info.kind) ?? 0) + 1);
        return {
          type: 'resource',
          path: path.path,
          info: path.info,
          resource,
          sha256,
          size: bytes.length,
        };
      }
      case 'raw-meta':
        this.pendingRaw = { path: path.path, meta: checkRawMetaEntry(path, bytes, label) };
        return undefined;
      case 'raw-value': {
        const pending = this.pendingRaw;
        if (!pending || pending.meta.source !== path.source || pending.meta.key !== path.key) {
          throw integrityError(
            label,
            `raw value ${path.path} does not directly follow its metadata entry`,
          );
        }
        this.pendingRaw = undefined;
        this.raw.set(pending.meta.reason, (this.raw.get(pending.meta.reason) ?? 0) + 1);
        return {
          type: 'raw',
          path: path.path,
          raw: { ...pending.meta, value: bytes },
          sha256,
          size: bytes.length,
        };
      }
      case 'meta-other':
        if (!isNewerMinor(this.version!.version)) {
          throw formatError(
            label,
            `entry ${path.path} is not part of format ${this.version!.text}`,
            FIX_NOT_OURS,
          );
        }
        return undefined; // added by a newer minor version: checked against the manifest, otherwise skipped
      case 'manifest':
        throw new InternalError(`${label}: the manifest entry reached readEntry`);
    }
  }

  /** Checks the manifest's tar entry: path not seen, a regular file, no raw pair left open. */
  acceptManifestEntry(entry: TarEntry): void {
    this.checkEntryHeader(entry);
    if (this.pendingRaw) throw this.unpairedRaw();
    if (entry.size > MAX_MANIFEST_BYTES) {
      throw formatError(
        this.label,
        `the manifest is ${entry.size} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit`,
        FIX_NOT_OURS,
      );
    }
    this.manifestSeen = true;
  }

  /** The counts the manifest must agree with. */
  counts(): ContentCounts {
    return { formatVersion: this.version!.text, kinds: this.kinds, raw: this.raw };
  }

  /** Called after the last entry: the manifest must have been there. */
  checkEnd(): void {
    if (this.entries === 0)
      throw formatError(this.label, 'the archive holds no entries', FIX_NOT_OURS);
    if (this.pendingRaw) throw this.unpairedRaw();
    if (!this.manifestSeen) {
      throw integrityError(
        this.label,
        `the manifest ${MANIFEST_PATH} is missing (the archive ends after ${this.lastPath}): the export that wrote it did not finish, or the copy was cut short`,
      );
    }
  }

  /** First entry is the format version; path safety and meaning; entry type; duplicates. */
  private checkEntryHeader(entry: TarEntry): EntryPath {
    if (this.entries === 0 && entry.path !== FORMAT_VERSION_PATH) {
      throw formatError(
        this.label,
        `the first entry is ${JSON.stringify(entry.path)}, not ${FORMAT_VERSION_PATH}: this is not a calico-migrate archive`,
        FIX_NOT_OURS,
      );
    }
    const path = parseEntryPath(entry.path, this.label);
    if (entry.type !== 'file') {
      throw formatError(
        this.label,
        `entry ${entry.path} is a ${entry.type}; archives hold only regular files`,
        FIX_NOT_OURS,
      );
    }
    if (!this.seenPaths.add(entry.path)) {
      throw integrityError(this.label, `entry ${entry.path} appears more than once`);
    }
    return path;
  }

  private unpairedRaw(): Error {
    return integrityError(
      this.label,
      `raw metadata entry ${this.pendingRaw!.path} is not followed by its value entry`,
    );
  }
}
