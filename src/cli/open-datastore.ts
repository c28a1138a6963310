/**
 * Builds a datastore from connection settings: the one place where adapters are chosen (and,
 * for writers, wrapped in decorators by the commands that write).
 */
import type { Datastore, DatastoreType } from '../datastores/datastore.js';
import { openEtcdDatastore } from '../datastores/etcd/etcd-datastore.js';
import { openKddDatastore } from '../datastores/kdd/kdd-datastore.js';
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
    return openEtcdDatastore(connection.etcd, {
      fallbackCalicoVersion: options.fallbackCalicoVersion,
    });
  }
  return openKddDatastore(connection.kubernetes, {
    fallbackCalicoVersion: options.fallbackCalicoVersion,
    maxSockets: options.maxSockets,
  });
}
