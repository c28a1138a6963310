/** Who takes a lock when `--by` is not given. */
import { hostname, userInfo } from 'node:os';

/**
 * `user@host` of this process: the login name (else `$USER`, else `uid-<n>`: containers often
 * have no passwd entry) and the host name (in a pod, the pod name).
 */
export function defaultLockOwner(env: NodeJS.ProcessEnv = process.env): string {
  let user: string | undefined;
  try {
    user = userInfo().username;
  } catch {
    user = undefined;
  }
  user ||= env.USER || env.LOGNAME || `uid-${process.getuid?.() ?? 'unknown'}`;
  return `${user}@${hostname()}`;
}
