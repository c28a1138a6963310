/**
 * The archive module: the portable middle of the data flow and the only code that knows the
 * archive format (docs/archive-format.md). Imports only model/.
 */
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
export { readArchive } from './reader.js';
export type { ArchiveItem, ReadArchiveOptions } from './reader.js';
export { listArchiveEntries, validateArchive } from './validate.js';
export type { ArchiveSummary } from './validate.js';
export { withSeekableArchive } from './seekable-input.js';
export type { ArchiveInput } from './tar-input.js';
