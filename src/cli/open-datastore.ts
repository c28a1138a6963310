/**
 * Builds a datastore from connection settings: the one place where adapters are chosen (and,
 * for writers, wrapped in decorators by the commands that write).
 */
import type { Datastore, DatastoreType } from '../datastores/datastore.js';
import { ConfigError } from '../model/errors.js';
import type { ConnectionConfig } from './config/resolve-connection.js';
import { parseDatastoreType } from './config/resolve-connection.js';

/** Options of `openDatastore`. */
export interface OpenOptions {
  /** Calico version to write for when the target has no ClusterInformation. */
  fallbackCalicoVersion?: string;
  /** Concurrent connections (KDD). */
  maxSockets?: number;
}

/**
 * Which backend a command talks to: its `--from`/`--to` value, else `DATASTORE_TYPE`, else
 * calicoctl's default (etcdv3 when etcd endpoints are configured, kubernetes otherwise).
 */
export function chooseDatastoreType(
  flag: string | undefined,
  connection: ConnectionConfig,
  flagName: string,
): DatastoreType {
  return (
    parseDatastoreType(flag, flagName) ??
    connection.datastoreType ??
    (connection.etcd.endpoints.length > 0 ? 'etcdv3' : 'kubernetes')
  );
}

/** Opens the datastore of `type` with the resolved connection settings. */
export async function openDatastore(
  type: DatastoreType,
  connection: ConnectionConfig,
  options: OpenOptions = {},
): Promise<Datastore> {
  if (type === 'etcdv3') {
    if (connection.etcd.endpoints.length === 0) {
      throw new ConfigError(
        `no etcd endpoints (settings from ${connection.origin})`,
        'set ETCD_ENDPOINTS or pass --etcd-endpoints',
      );
    }
    // Adapters load lazily: the Kubernetes client alone costs about 50 MiB and 0.3 s at start-up.
    const { openEtcdDatastore } = await import('../datastores/etcd/etcd-datastore.js');
    return openEtcdDatastore(connection.etcd, {
      fallbackCalicoVersion: options.fallbackCalicoVersion,
      pageSize: readEtcdPageSize(),
    });
  }
  const { openKddDatastore } = await import('../datastores/kdd/kdd-datastore.js');
  return openKddDatastore(connection.kubernetes, {
    fallbackCalicoVersion: options.fallbackCalicoVersion,
    maxSockets: options.maxSockets,
  });
}

/** Environment variable overriding the etcd range page size (see `readEtcdPageSize`). */
export const ETCD_PAGE_SIZE_VARIABLE = 'CALICO_MIGRATE_ETCD_PAGE_SIZE';

/**
 * Keys per etcd range page from `CALICO_MIGRATE_ETCD_PAGE_SIZE` (a positive integer), else the
 * adapter's default (1000). Meant for tests and troubleshooting: a small page makes a listing take
 * many revision-pinned requests, so a compaction during an export can be provoked on purpose
 * (test/integration/export/errors.test.ts); a large etcd may also need smaller pages.
 */
export function readEtcdPageSize(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env[ETCD_PAGE_SIZE_VARIABLE];
  if (text === undefined || text === '') return undefined;
  const size = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(size) || size < 1) {
    throw new ConfigError(
      `${ETCD_PAGE_SIZE_VARIABLE} must be a positive integer, not "${text}"`,
      `unset ${ETCD_PAGE_SIZE_VARIABLE} or set it to the number of keys per etcd request`,
    );
  }
  return size;
}
