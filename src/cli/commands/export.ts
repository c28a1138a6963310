/** `calico-migrate export`: snapshot a datastore into an archive file or stdout. */
import { createArchiveWriter } from '../../archive/index.js';
import { withRetry } from '../../datastores/decorators/retrying.js';
import { exportDatastore } from '../../export/export-datastore.js';
import type { ExportResult } from '../../export/export-datastore.js';
import { UsageError } from '../../model/errors.js';
import { createLogger } from '../../report/log.js';
import type { LogLevel } from '../../report/log.js';
import { createProgress } from '../../report/progress.js';
import { TOOL_NAME, TOOL_VERSION } from '../../version.js';
import type { ConnectionFlags } from '../config/resolve-connection.js';
import { resolveConnection } from '../config/resolve-connection.js';
import { chooseDatastoreType, openDatastore } from '../open-datastore.js';
import { formatBytes, formatDuration } from '../format.js';

/** Options of `runExport`. */
export interface ExportCommandOptions {
  from?: string;
  output: string;
  connection: ConnectionFlags;
  logLevel: LogLevel;
}

/** Runs an export and prints a one-line summary on stderr. */
export async function runExport(options: ExportCommandOptions): Promise<ExportResult> {
  const logger = createLogger(options.logLevel);
  const toStdout = options.output === '-';
  if (toStdout && process.stdout.isTTY) {
    throw new UsageError(
      'refusing to write a binary archive to a terminal',
      'redirect stdout or pass -o <file>',
    );
  }
  const connection = resolveConnection(options.connection);
  const type = chooseDatastoreType(options.from, connection, '--from');
  logger.debug(`connection settings from ${connection.origin}`);
  const started = Date.now();
  // Few attempts: a backup should fail fast and clearly when its source is unreachable.
  const source = withRetry(await openDatastore(type, connection), { maxAttempts: 3 });
  try {
    const writer = await createArchiveWriter(toStdout ? process.stdout : options.output, {
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
    });
    const progress = createProgress({ verb: 'export', quiet: options.logLevel === 'quiet' });
    const result = await exportDatastore({ source, writer, progress, logger });
    const total = Object.values(result.counts).reduce((sum, n) => sum + n, 0);
    const at = result.archive.manifest.source.position;
    const point = at?.type === 'etcd' ? ` at revision ${at.revision}` : '';
    logger.info(
      `exported ${total} objects (${result.derived} derived, ${result.raw} raw entries) from ${type} ${result.source.endpoints.join(',')}${point} ` +
        `to ${toStdout ? 'stdout' : options.output} (${formatBytes(result.archive.bytes)}, sha256 ${result.archive.sha256}) in ${formatDuration(Date.now() - started)}`,
    );
    for (const warning of result.warnings) logger.warn(warning);
    return result;
  } finally {
    await source.close();
  }
}
