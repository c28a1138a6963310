/**
 * `calico-migrate lock`: set the migration lock (ClusterInformation `datastoreReady: false`) on one
 * datastore and record who, when and why. Also the opening and naming `unlock` shares.
 */
import type { Datastore } from '../../datastores/datastore.js';
import { withRetry } from '../../datastores/decorators/retrying.js';
import { UsageError } from '../../model/errors.js';
import type { LockOutcome, LockResult } from '../../migrate/lock.js';
import { lockDatastore, nameDatastore } from '../../migrate/lock.js';
import { defaultLockOwner } from '../../migrate/lock-owner.js';
import { describeHolder } from '../../migrate/lock-record.js';
import { createLogger } from '../../report/log.js';
import type { LogLevel } from '../../report/log.js';
import type { ConnectionFlags } from '../config/resolve-connection.js';
import { resolveConnection } from '../config/resolve-connection.js';
import { chooseDatastoreType, openDatastore } from '../open-datastore.js';

/** Options of `runLock`. */
export interface LockCommandOptions {
  datastore?: string;
  reason?: string;
  by?: string;
  force: boolean;
  connection: ConnectionFlags;
  logLevel: LogLevel;
}

/** Locks the datastore; logs what was done (or that nothing needed doing) on stderr. */
export async function runLock(options: LockCommandOptions): Promise<LockResult<LockOutcome>> {
  const logger = createLogger(options.logLevel);
  const by = options.by ?? defaultLockOwner();
  return withLockTarget(options, async (ds, where, flag) => {
    const result = await lockDatastore(ds, { by, reason: options.reason, force: options.force });
    const holder = describeHolder(result.after);
    switch (result.outcome) {
      case 'already-locked':
        logger.info(`${where} is already ${holder}; nothing changed`);
        return result;
      case 'created':
        logger.info(
          `${where} had no ClusterInformation: created it with cluster GUID ${result.after.clusterGUID ?? '?'} and datastoreReady: false, ${holder}`,
        );
        break;
      case 'taken-over':
        logger.info(
          `${where}: took over the lock (it was ${describeHolder(result.before)}); now ${holder}`,
        );
        break;
      case 'locked':
        logger.info(`${where}: set datastoreReady: false, ${holder}`);
        break;
    }
    logger.info(
      `while locked, Felix stops and the CNI plugin refuses to set up pods; release with: calico-migrate unlock --datastore ${flag}${options.by ? ` --by '${by}'` : ''}`,
    );
    return result;
  });
}

/** Options `lock` and `unlock` share. */
export interface LockTargetOptions {
  datastore?: string;
  connection: ConnectionFlags;
}

/**
 * Opens the datastore named by `--datastore` (else `DATASTORE_TYPE`: a lock stops Felix and pod
 * networking, so the side is never guessed), with a few retries of transient failures, and runs
 * `work` with it, a name for messages and the `--datastore` value that selects it.
 */
export async function withLockTarget<R>(
  options: LockTargetOptions,
  work: (ds: Datastore, where: string, flag: 'etcd' | 'kdd') => Promise<R>,
): Promise<R> {
  const connection = resolveConnection(options.connection);
  if (!options.datastore && !connection.datastoreType) {
    throw new UsageError(
      'no datastore given',
      'pass --datastore etcd or --datastore kdd (or set DATASTORE_TYPE)',
    );
  }
  const type = chooseDatastoreType(options.datastore, connection, '--datastore');
  const raw = await openDatastore(type, connection);
  try {
    const ds = withRetry(raw, { maxAttempts: 3 });
    const where = nameDatastore(await ds.describe());
    return await work(ds, where, type === 'etcdv3' ? 'etcd' : 'kdd');
  } finally {
    await raw.close();
  }
}
