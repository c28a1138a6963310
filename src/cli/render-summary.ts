/** Text rendering of an archive summary, shared by `inspect` and the import/verify reports. */
import type { ArchiveSummary } from '../archive/index.js';

/** The human summary of a valid archive. */
export function renderArchiveSummary(label: string, summary: ArchiveSummary): string {
  const { manifest } = summary;
  const source = manifest.source;
  const position = source.position;
  const at =
    position?.type === 'etcd'
      ? `etcd revision ${position.revision}`
      : position?.type === 'kdd'
        ? 'per-kind list resourceVersions'
        : 'unknown point';
  const derived = Object.values(summary.kinds).reduce((sum, count) => sum + count.derived, 0);
  const lines = [
    `archive:  ${label} (format ${summary.formatVersion}; valid: every checksum and the manifest match)`,
    `created:  ${manifest.createdAt} by ${manifest.tool.name} ${manifest.tool.version}`,
    `source:   ${source.type} ${source.endpoints.join(',')}${source.crdMode ? ` (CRD mode ${source.crdMode})` : ''}`,
    `          Calico ${source.calicoVersion ?? 'version unknown'}, cluster GUID ${source.clusterGUID ?? 'unknown'}, ${at}${source.locked ? ', datastore was locked' : ''}`,
    `contents: ${summary.resources} objects (${derived} derived) of ${Object.keys(summary.kinds).length} kinds, ${summary.rawEntries} raw entries`,
    '',
    `  ${'KIND'.padEnd(32)}${'OBJECTS'.padStart(9)}${'DERIVED'.padStart(9)}`,
    ...Object.entries(summary.kinds).map(
      ([kind, count]) =>
        `  ${kind.padEnd(32)}${String(count.total).padStart(9)}${String(count.derived).padStart(9)}`,
    ),
  ];
  const section = (title: string, counts: Record<string, number>) => {
    const entries = Object.entries(counts);
    if (entries.length === 0) return;
    lines.push(
      '',
      `${title}:`,
      ...entries.map(([reason, count]) => `  ${String(count).padStart(7)}  ${reason}`),
    );
  };
  section('raw entries (kept byte for byte)', summary.raw);
  section('skipped on purpose during export', manifest.counts.skipped);
  if (summary.warnings.length > 0)
    lines.push('', 'warnings:', ...summary.warnings.map((warning) => `  ${warning}`));
  return `${lines.join('\n')}\n`;
}
