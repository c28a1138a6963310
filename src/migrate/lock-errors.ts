/** Errors of the datastore lock (src/migrate/lock.ts); both mean nothing was changed (exit 2). */
import { CalicoMigrateError } from '../model/errors.js';
import type { LockState } from './lock-record.js';
import { describeHolder } from './lock-record.js';

/**
 * The lock is held by someone else: `lock` will not take it over and `unlock` will not release
 * it without `--force`. Carries the state read, so callers can show the record.
 */
export class LockHeldError extends CalicoMigrateError {
  constructor(
    readonly action: 'lock' | 'unlock',
    readonly state: LockState,
    readonly by: string,
    where: string,
  ) {
    super(
      `${where} is ${describeHolder(state)}; ${action === 'lock' ? 'not taking it over' : 'not releasing it'} as ${by}, nothing was changed`,
      action === 'lock'
        ? 'if that lock is abandoned, pass --force to take it over (or --by with the name it was locked by)'
        : 'pass --by with the name it was locked by, or --force to unlock it anyway (make sure whoever locked it has finished)',
    );
  }
}
