/** Paths the tests share. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Directory of the Calico CRD manifests: `CALICO_CRDS_DIR`, else `../shared/calico-crds`. */
export function calicoCrdsDir(): string {
  const dir = process.env.CALICO_CRDS_DIR ?? resolve(repoRoot, '../shared/calico-crds');
  if (!existsSync(dir)) {
    throw new Error(
      `Calico CRD manifests not found at ${dir}; set CALICO_CRDS_DIR to their directory`,
    );
  }
  return dir;
}
