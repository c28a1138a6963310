/**
 * Private temporary directories for spool files (manifest records, entry records, a copy of stdin).
 * Each lives in its own mode-0700 directory under the system temp directory and is removed as a
 * whole; archive contents are not world-readable while spooled.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private temporary directory; `remove()` deletes it and everything in it. */
export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

/** Creates a private temporary directory named `calico-migrate-<purpose>-XXXXXX`. */
export async function createTempDir(purpose: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `calico-migrate-${purpose}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
