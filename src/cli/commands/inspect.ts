/**
 * `calico-migrate inspect`: validate a whole archive (format version, every checksum, manifest
 * against contents) and print what it holds. Exit 0 only for a valid archive.
 */
import type { ArchiveSummary, ManifestEntry } from '../../archive/index.js';
import { listArchiveEntries, validateArchive, withSeekableArchive } from '../../archive/index.js';
import { stringifyJson } from '../../model/json.js';
import { renderArchiveSummary } from '../render-summary.js';

/** Options of `runInspect`. */
export interface InspectCommandOptions {
  archive: string;
  list: boolean;
  output: 'text' | 'json';
}

/** Validates the archive and writes its summary (and object list) to stdout. */
export async function runInspect(options: InspectCommandOptions): Promise<ArchiveSummary> {
  const input = options.archive === '-' ? process.stdin : options.archive;
  const label = options.archive === '-' ? 'stdin' : options.archive;
  const { summary, entries } = await withSeekableArchive(input, async (path) => {
    const summary = await validateArchive(path, { label });
    const entries: ManifestEntry[] = [];
    if (options.list) {
      for await (const entry of listArchiveEntries(path, { label }))
        if (entry.type === 'resource') entries.push(entry);
    }
    return { summary, entries };
  });
  if (options.output === 'json') {
    const objects = options.list
      ? {
          objects: entries.map(({ kind, namespace, name, derived }) => ({
            kind,
            namespace,
            name,
            derived: derived ?? false,
          })),
        }
      : {};
    process.stdout.write(
      `${stringifyJson({ archive: label, valid: true, ...summary, ...objects }, 2)}\n`,
    );
    return summary;
  }
  process.stdout.write(renderArchiveSummary(label, summary));
  if (options.list) {
    process.stdout.write('\nobjects:\n');
    for (const entry of entries) {
      const where = entry.namespace ? `${entry.namespace}/${entry.name}` : entry.name;
      process.stdout.write(`  ${entry.kind} ${where}${entry.derived ? '  (derived)' : ''}\n`);
    }
  }
  return summary;
}
