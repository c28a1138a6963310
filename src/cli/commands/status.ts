/**
 * `calico-migrate status`: what each datastore's ClusterInformation says (Calico version, cluster
 * GUID) and the migration lock with its record, for one side or both. Reads only.
 */
import type { DatastoreDescription, DatastoreType } from '../../datastores/datastore.js';
import { withRetry } from '../../datastores/decorators/retrying.js';
import {
  CalicoMigrateError,
  ConfigError,
  EXIT_FATAL,
  EXIT_PARTIAL,
  ExitError,
} from '../../model/errors.js';
import { stringifyJson } from '../../model/json.js';
import { nameDatastore, readLockState } from '../../migrate/lock.js';
import type { LockState } from '../../migrate/lock-record.js';
import { describeHolder } from '../../migrate/lock-record.js';
import type { ConnectionConfig, ConnectionFlags } from '../config/resolve-connection.js';
import { parseDatastoreType, resolveConnection } from '../config/resolve-connection.js';
import { openDatastore } from '../open-datastore.js';

/** Options of `runStatus`. */
export interface StatusCommandOptions {
  /** etcd, kdd (or their calicoctl names) or both; default: every configured side. */
  datastore?: string;
  output: 'text' | 'json';
  connection: ConnectionFlags;
}

/** The status of one side: its description and lock state, or why it could not be read. */
export interface SideStatus {
  datastore: 'etcd' | 'kdd';
  type: DatastoreType;
  description?: DatastoreDescription;
  state?: LockState;
  error?: CalicoMigrateError | Error;
}

/**
 * Prints the status of each side on stdout. A side that cannot be read is shown with its error;
 * the exit code is then 1 if another side was read, 2 if none was.
 */
export async function runStatus(options: StatusCommandOptions): Promise<SideStatus[]> {
  const connection = resolveConnection(options.connection);
  const sides: SideStatus[] = [];
  for (const type of chooseSides(options.datastore, connection)) {
    sides.push(await readSide(type, connection));
  }
  process.stdout.write(
    options.output === 'json' ? `${stringifyJson(statusToJson(sides), 2)}\n` : renderStatus(sides),
  );
  const failed = sides.filter((side) => side.error);
  for (const side of failed) {
    const error = side.error!;
    const hint = error instanceof CalicoMigrateError && error.hint ? `: ${error.hint}` : '';
    process.stderr.write(`calico-migrate: error: ${side.datastore}: ${error.message}${hint}\n`);
  }
  if (failed.length > 0)
    throw new ExitError(failed.length === sides.length ? EXIT_FATAL : EXIT_PARTIAL);
  return sides;
}

/**
 * The sides to show: `--datastore` (`both` for both), else every side whose connection settings
 * are present (etcd endpoints; a kubeconfig, API endpoint or in-cluster service account), else
 * `DATASTORE_TYPE`.
 */
export function chooseSides(
  flag: string | undefined,
  connection: ConnectionConfig,
  env: NodeJS.ProcessEnv = process.env,
): DatastoreType[] {
  if (flag === 'both') return ['etcdv3', 'kubernetes'];
  const chosen = parseDatastoreType(flag, '--datastore');
  if (chosen) return [chosen];
  const k8s = connection.kubernetes;
  const configured: DatastoreType[] = [];
  if (connection.etcd.endpoints.length > 0) configured.push('etcdv3');
  if (k8s.kubeconfig || k8s.kubeconfigInline || k8s.apiEndpoint || env.KUBERNETES_SERVICE_HOST) {
    configured.push('kubernetes');
  }
  if (configured.length > 0) return configured;
  if (connection.datastoreType) return [connection.datastoreType];
  throw new ConfigError(
    `no datastore connection settings (settings from ${connection.origin})`,
    'set ETCD_ENDPOINTS and/or KUBECONFIG, or pass --etcd-endpoints / --kubeconfig',
  );
}

async function readSide(type: DatastoreType, connection: ConnectionConfig): Promise<SideStatus> {
  const side: SideStatus = { datastore: type === 'etcdv3' ? 'etcd' : 'kdd', type };
  try {
    const raw = await openDatastore(type, connection);
    try {
      const ds = withRetry(raw, { maxAttempts: 3 });
      side.description = await ds.describe();
      side.state = await readLockState(ds);
    } finally {
      await raw.close();
    }
  } catch (error) {
    side.error = error instanceof Error ? error : new Error(String(error));
  }
  return side;
}

/** The JSON form: one entry per side, without credentials. */
export function statusToJson(sides: readonly SideStatus[]): object {
  return {
    datastores: sides.map((side) => {
      const { description, state } = side;
      if (side.error || !description || !state) {
        return { datastore: side.datastore, type: side.type, error: side.error?.message };
      }
      return {
        datastore: side.datastore,
        type: description.type,
        endpoints: description.endpoints,
        ...(description.crdMode && { crdMode: description.crdMode }),
        clusterInformation: state.exists,
        ...(state.calicoVersion && { calicoVersion: state.calicoVersion }),
        ...(state.clusterGUID && { clusterGUID: state.clusterGUID }),
        locked: state.locked,
        ...(state.record && { lock: state.record }),
        ...(state.lastUnlock && { lastUnlock: state.lastUnlock }),
        ...(state.foreign && { otherLockMarkers: state.foreign }),
      };
    }),
  };
}

/** The text form: a block per side. */
export function renderStatus(sides: readonly SideStatus[]): string {
  return sides.map(renderSide).join('');
}

function renderSide(side: SideStatus): string {
  const { description, state } = side;
  if (side.error || !description || !state) {
    return `${side.datastore}: ${side.type}\n  error: ${side.error?.message ?? 'unknown'}\n`;
  }
  const lines = [`${side.datastore}: ${nameDatastore(description)}`];
  const field = (name: string, value: string | undefined) => {
    if (value !== undefined) lines.push(`  ${`${name}:`.padEnd(20)}${value}`);
  };
  field('ClusterInformation', state.exists ? 'default' : 'none');
  field('Calico version', state.calicoVersion ?? (state.exists ? 'not set' : undefined));
  field('cluster GUID', state.clusterGUID);
  field('locked', state.locked ? 'yes (datastoreReady: false)' : 'no');
  if (state.locked && !state.record) field('lock record', describeHolder(state));
  const record = state.record;
  if (record) {
    if (!state.locked)
      field('stale record', 'datastoreReady is not false; the record below is left over');
    field('locked by', record.lockedBy);
    field('locked at', record.lockedAt);
    field('reason', record.reason);
    field('locked with', record.lockedWith);
    field('took over from', record.tookOverFrom);
  }
  if (state.lastUnlock) {
    const { by, at } = state.lastUnlock;
    field('last unlocked', [by && `by ${by}`, at && `at ${at}`].filter(Boolean).join(' '));
  }
  for (const [key, value] of Object.entries(state.foreign ?? {})) field(key, value);
  return `${lines.join('\n')}\n`;
}
