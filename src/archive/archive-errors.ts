/**
 * Builds the archive's typed errors. Every message is one line: what is wrong, where, and the fix,
 * prefixed by the archive's label (its path, or "stdin"). The fix is also the error's `hint`.
 */
import { ArchiveFormatError, ArchiveIntegrityError } from '../model/errors.js';

/** Fix for damage: the bytes are not what the writer wrote. */
export const FIX_DAMAGED = 're-copy the archive from its original, or export again';
/** Fix for input that is not a calico-migrate archive at all. */
export const FIX_NOT_OURS = 'use a .tar.gz archive written by calico-migrate export';
/** Fix for content a newer calico-migrate may understand. */
export const FIX_UPGRADE = 'upgrade calico-migrate, or export again with this version';

/** An `ArchiveFormatError`: the archive is not in a form this version understands. */
export function formatError(
  label: string,
  problem: string,
  fix: string,
  cause?: unknown,
): ArchiveFormatError {
  return new ArchiveFormatError(`${label}: ${problem}; ${fix}`, fix, { cause });
}

/** An `ArchiveIntegrityError`: the archive is damaged, incomplete or inconsistent. */
export function integrityError(
  label: string,
  problem: string,
  fix = FIX_DAMAGED,
  cause?: unknown,
): ArchiveIntegrityError {
  return new ArchiveIntegrityError(`${label}: ${problem}; ${fix}`, fix, { cause });
}
