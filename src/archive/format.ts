/**
 * The archive format's fixed names and its version. docs/archive-format.md is the specification;
 * this module is its single source in code, shared by the writer and the reader.
 */
import { ArchiveFormatError } from '../model/errors.js';

/** The format this code writes. Bump per the rules in docs/archive-format.md ("Versioning"). */
export const FORMAT_VERSION = '1.0.0';

/** Directory of the archive's own metadata entries. */
export const META_DIR = 'calico-migrate';
/** First entry: the format version as `MAJOR.MINOR.PATCH\n`. */
export const FORMAT_VERSION_PATH = `${META_DIR}/format-version`;
/** Last entry: the manifest. */
export const MANIFEST_PATH = `${META_DIR}/manifest.json`;
/** Directory of canonical objects. */
export const RESOURCES_DIR = 'resources';
/** Directory of raw entries. */
export const RAW_DIR = 'raw';
/** The top-level directories an archive may hold. */
export const TOP_LEVEL_DIRS: readonly string[] = [META_DIR, RESOURCES_DIR, RAW_DIR];

/** Mode of every entry inside the tar, and of the archive file itself. */
export const FILE_MODE = 0o600;

/** A parsed `MAJOR.MINOR.PATCH`. */
export interface FormatVersion {
  major: number;
  minor: number;
  patch: number;
}

/** Parses `MAJOR.MINOR.PATCH` (no leading zeros, no pre-release suffix); `undefined` if malformed. */
export function parseFormatVersion(text: string): FormatVersion | undefined {
  const match = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/.exec(text);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

const OWN_VERSION = parseFormatVersion(FORMAT_VERSION)!;

/**
 * Checks that this code can read an archive of the given format version: the same major, any minor
 * or patch (semver). Returns the parsed version; throws `ArchiveFormatError` naming both versions.
 */
export function checkFormatVersion(text: string, label = 'archive'): FormatVersion {
  const version = parseFormatVersion(text);
  if (!version) {
    throw new ArchiveFormatError(
      `${label}: format version ${JSON.stringify(text)} is not MAJOR.MINOR.PATCH; this is not an ` +
        'archive written by calico-migrate export, or it is damaged',
      'use an archive written by calico-migrate export',
    );
  }
  if (version.major !== OWN_VERSION.major) {
    const fix =
      version.major > OWN_VERSION.major
        ? 'upgrade calico-migrate to a release that reads this format'
        : 'use the calico-migrate release that wrote this archive, or export again';
    throw new ArchiveFormatError(
      `${label}: archive format ${text} is not supported by this calico-migrate, which reads ` +
        `format ${OWN_VERSION.major}.x (writes ${FORMAT_VERSION}); ${fix}`,
      fix,
    );
  }
  return version;
}

/** Whether an archive of this version may hold additions this code does not know (a newer minor). */
export function isNewerMinor(version: FormatVersion): boolean {
  return version.major === OWN_VERSION.major && version.minor > OWN_VERSION.minor;
}
