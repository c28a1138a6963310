/** `calico-migrate unlock`: release the migration lock (ClusterInformation `datastoreReady: true`). */
import type { UnlockOutcome, LockResult } from '../../migrate/lock.js';
import { unlockDatastore } from '../../migrate/lock.js';
import { defaultLockOwner } from '../../migrate/lock-owner.js';
import { describeHolder } from '../../migrate/lock-record.js';
import { createLogger } from '../../report/log.js';
import type { LogLevel } from '../../report/log.js';
import type { ConnectionFlags } from '../config/resolve-connection.js';
import { withLockTarget } from './lock.js';

/** Options of `runUnlock`. */
export interface UnlockCommandOptions {
  datastore?: string;
  by?: string;
  force: boolean;
  connection: ConnectionFlags;
  logLevel: LogLevel;
}

/** Unlocks the datastore; logs what was done (or that nothing was locked) on stderr. */
export async function runUnlock(options: UnlockCommandOptions): Promise<LockResult<UnlockOutcome>> {
  const logger = createLogger(options.logLevel);
  const by = options.by ?? defaultLockOwner();
  return withLockTarget(options, async (ds, where) => {
    const result = await unlockDatastore(ds, { by, force: options.force });
    const was = describeHolder(result.before);
    switch (result.outcome) {
      case 'not-locked':
        logger.info(
          `${where} is not locked (${result.before.exists ? 'datastoreReady is not false' : 'no ClusterInformation'}); nothing changed`,
        );
        break;
      case 'unlocked':
        logger.info(`${where}: set datastoreReady: true (it was ${was})`);
        break;
      case 'force-unlocked':
        logger.info(`${where}: set datastoreReady: true by force (it was ${was})`);
        break;
    }
    return result;
  });
}
