/**
 * Whole-archive checks for `inspect`, `verify` and import's validation step: one streaming pass,
 * every check of the reader, and a summary of what the archive holds.
 */
import type { KindCount, ManifestEntry, ManifestHeader } from './manifest.js';
import { readArchiveItems, type ReadArchiveOptions } from './reader.js';
import { labelOf, type ArchiveInput } from './tar-input.js';

/** What a sound archive holds; every count has been checked against the entries. */
export interface ArchiveSummary {
  formatVersion: string;
  manifest: ManifestHeader;
  /** Objects per kind (total and derived), in the order the archive first holds each kind. */
  kinds: Record<string, KindCount>;
  /** Raw entries per reason. */
  raw: Record<string, number>;
  /** Objects in all. */
  resources: number;
  /** Raw entries in all. */
  rawEntries: number;
  warnings: string[];
}

/**
 * Runs every check on an archive in one streaming pass and returns its summary, or throws
 * `ArchiveFormatError` / `ArchiveIntegrityError` naming the first problem. Reads a stream input to
 * its end: to read stdin again afterwards, spool it first (`withSeekableArchive`).
 */
export async function validateArchive(
  input: ArchiveInput,
  options: ReadArchiveOptions = {},
): Promise<ArchiveSummary> {
  const kinds = new Map<string, KindCount>();
  const raw = new Map<string, number>();
  let resources = 0;
  let rawEntries = 0;
  for await (const item of readArchiveItems(input, options.label ?? labelOf(input), true)) {
    if (item.type === 'manifest-entry') {
      const { entry } = item;
      if (entry.type !== 'resource') continue;
      const count = kinds.get(entry.kind!) ?? { total: 0, derived: 0 };
      kinds.set(entry.kind!, {
        total: count.total + 1,
        derived: count.derived + (entry.derived ? 1 : 0),
      });
    } else if (item.type === 'resource') resources++;
    else if (item.type === 'raw') {
      rawEntries++;
      raw.set(item.raw.reason, (raw.get(item.raw.reason) ?? 0) + 1);
    } else if (item.type === 'manifest') {
      const { manifest } = item;
      return {
        formatVersion: manifest.formatVersion,
        manifest,
        kinds: Object.fromEntries(kinds),
        raw: Object.fromEntries(raw),
        resources,
        rawEntries,
        warnings: manifest.warnings,
      };
    }
  }
  throw new Error('unreachable: the reader ends with the manifest or throws');
}

/**
 * Lists an archive's entries from its manifest (for `inspect --list`): every record, in archive
 * order, each yielded only after it has been checked against the entry it describes. The whole
 * archive is checked along the way; a problem is thrown where it is found.
 */
export async function* listArchiveEntries(
  input: ArchiveInput,
  options: ReadArchiveOptions = {},
): AsyncGenerator<ManifestEntry> {
  for await (const item of readArchiveItems(input, options.label ?? labelOf(input), true)) {
    if (item.type === 'manifest-entry') yield item.entry;
  }
}
