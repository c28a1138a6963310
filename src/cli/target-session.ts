/**
 * What import and verify share: a validated archive, and a target datastore opened with the
 * decorators that make writes safe (rate limit, retries) and the profile of what it can hold.
 */
import { writeFile } from 'node:fs/promises';
import type { ArchiveSummary } from '../archive/index.js';
import { validateArchive, withSeekableArchive } from '../archive/index.js';
import type { Datastore, DatastoreDescription } from '../datastores/datastore.js';
import { withRateLimit } from '../datastores/decorators/rate-limited.js';
import { withRetry } from '../datastores/decorators/retrying.js';
import type { TargetProfile } from '../import/compare.js';
import { UsageError } from '../model/errors.js';
import { stringifyJson } from '../model/json.js';
import type { Logger } from '../report/log.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { ConnectionConfig, ConnectionFlags } from './config/resolve-connection.js';
import { resolveConnection } from './config/resolve-connection.js';
import { chooseDatastoreType, openDatastore } from './open-datastore.js';

/** An archive argument, validated: its file (stdin spooled), its name for messages, its summary. */
export interface ValidatedArchive {
  path: string;
  label: string;
  summary: ArchiveSummary;
}

/**
 * Validates the whole archive `archive` (a file, or `-` for stdin, spooled to a temporary file)
 * before anything else happens, then runs `work` with it.
 */
export async function withValidatedArchive<R>(
  archive: string,
  logger: Logger,
  work: (archive: ValidatedArchive) => Promise<R>,
): Promise<R> {
  const label = archive === '-' ? 'stdin' : archive;
  return withSeekableArchive(archive === '-' ? process.stdin : archive, async (path) => {
    const summary = await validateArchive(path, { label });
    const source = summary.manifest.source;
    logger.info(
      `archive ${label}: valid, ${summary.resources} objects and ${summary.rawEntries} raw entries from ${source.type} ${source.endpoints.join(',')} ` +
        `(Calico ${source.calicoVersion ?? 'version unknown'}) taken ${summary.manifest.createdAt}`,
    );
    return work({ path, label, summary });
  });
}

/** Options of `openTarget`. */
export interface TargetOptions {
  to?: string;
  direction: '--to' | '--against';
  connection: ConnectionFlags | ConnectionConfig;
  /** Calico version to write for when the target has no ClusterInformation (the source's). */
  fallbackCalicoVersion?: string;
  restoreStatus?: boolean;
  qps?: number;
  burst?: number;
  concurrency?: number;
}

/** An opened target. */
export interface TargetSession {
  reader: Datastore;
  writer: Datastore;
  profile: TargetProfile;
  description: DatastoreDescription;
  /** Retries made by the writer, by error type. */
  retries: Record<string, number>;
  close(): Promise<void>;
}

/** Opens the target datastore, wrapped for reading and for rate-limited, retried writing. */
export async function openTarget(options: TargetOptions): Promise<TargetSession> {
  const connection =
    'origin' in options.connection ? options.connection : resolveConnection(options.connection);
  if (!options.to && !connection.datastoreType) {
    throw new UsageError(
      `no target datastore given`,
      `pass ${options.direction} etcd or ${options.direction} kdd`,
    );
  }
  const type = chooseDatastoreType(options.to, connection, options.direction);
  const raw = await openDatastore(type, connection, {
    fallbackCalicoVersion: options.fallbackCalicoVersion,
    maxSockets: Math.max(8, (options.concurrency ?? 16) * 2),
  });
  const retries: Record<string, number> = {};
  const onRetry = (error: unknown) => {
    const name = error instanceof Error ? error.name : 'error';
    retries[name] = (retries[name] ?? 0) + 1;
  };
  const reader = withRetry(raw, { onRetry });
  const writer = withRetry(
    withRateLimit(raw, { qps: options.qps ?? 0, burst: options.burst ?? 1 }),
    { onRetry },
  );
  try {
    const description = await reader.describe();
    const profile: TargetProfile = {
      type,
      crdMode: description.crdMode,
      restoreStatus: options.restoreStatus ?? false,
      defaults: await reader.loadDefaulter(),
    };
    return { reader, writer, profile, description, retries, close: () => raw.close() };
  } catch (error) {
    await raw.close();
    throw error;
  }
}

/** Writes the full JSON report when `--report <file>` was given. */
export async function writeJsonReport(file: string | undefined, body: object): Promise<void> {
  if (!file) return;
  const report = {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    finishedAt: new Date().toISOString(),
    ...body,
  };
  await writeFile(file, `${stringifyJson(report, 2)}\n`, { mode: 0o600 });
}
