/**
 * The archive module: the portable middle of the data flow and the only code that knows the
 * archive format (docs/archive-format.md). Imports only model/.
 */
export {
  FORMAT_VERSION,
  FORMAT_VERSION_PATH,
  MANIFEST_PATH,
  checkFormatVersion,
  parseFormatVersion,
} from './format.js';
export type { FormatVersion } from './format.js';
export { encodeSegment, decodeSegment } from './path-encoding.js';
export {
  checkPathSafety,
  parseEntryPath,
  rawEntryPaths,
  resourceEntryPath,
} from './entry-paths.js';
export type { EntryPath } from './entry-paths.js';
export {
  checkFormatVersionEntry,
  checkRawMetaEntry,
  checkResourceEntry,
  parseEntryJson,
} from './entry-checks.js';
export type { RawMeta } from './entry-checks.js';
export type {
  KindCount,
  ManifestEntry,
  ManifestHeader,
  ManifestPosition,
  ManifestSource,
} from './manifest.js';
export { ArchiveWriter, createArchiveWriter, writeArchive } from './writer.js';
export type {
  ArchiveCompletion,
  ArchiveInputItem,
  ArchiveTarget,
  ArchiveWriteResult,
  ArchiveWriterOptions,
} from './writer.js';
export { MAX_ENTRY_BYTES, readArchive } from './reader.js';
export type { ArchiveItem, ReadArchiveOptions } from './reader.js';
export { listArchiveEntries, validateArchive } from './validate.js';
export type { ArchiveSummary } from './validate.js';
export { spoolArchiveInput, withSeekableArchive } from './seekable-input.js';
export type { SpooledArchive } from './seekable-input.js';
export type { ArchiveInput } from './tar-input.js';
