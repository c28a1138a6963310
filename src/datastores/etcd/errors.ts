/**
 * Translates errors of the etcd3 client into calico-migrate's typed errors, once, at the adapter
 * boundary. Every message names the endpoints and the likely fix.
 */
import {
  EtcdAuthenticationFailedError,
  EtcdInvalidAuthTokenError,
  EtcdPermissionDeniedError,
  GRPCDeadlineExceededError,
  GRPCGenericError,
  GRPCOutOfRangeError,
  GRPCResourceExhastedError,
  GRPCUnauthenticatedError,
  GRPCUnavailableError,
} from 'etcd3';
import {
  AuthError,
  CalicoMigrateError,
  DatastoreTimeoutError,
  DatastoreUnavailableError,
  InvalidObjectError,
  RevisionCompactedError,
  ServerError,
  ThrottledError,
  TlsError,
} from '../../model/errors.js';

/** Turns any error thrown by etcd3 into a CalicoMigrateError naming `endpoints`. */
export function translateEtcdError(
  error: unknown,
  endpoints: readonly string[],
): CalicoMigrateError {
  if (error instanceof CalicoMigrateError) return error;
  const where = `etcd at ${endpoints.join(',')}`;
  const detail = cleanDetail(error instanceof Error ? error.message : String(error));
  const options = { cause: error };

  if (
    error instanceof EtcdAuthenticationFailedError ||
    error instanceof EtcdInvalidAuthTokenError ||
    error instanceof GRPCUnauthenticatedError
  ) {
    return new AuthError(
      `${where} rejected the credentials (${detail})`,
      'check ETCD_USERNAME and ETCD_PASSWORD',
      options,
    );
  }
  // An etcd with authentication enabled answers a request without credentials with
  // "etcdserver: user name is empty" (etcd rpctypes ErrGRPCUserEmpty), which etcd3 maps to no class.
  if (/user name is empty/.test(detail)) {
    return new AuthError(
      `${where} requires authentication (${detail})`,
      'set ETCD_USERNAME and ETCD_PASSWORD (or --etcd-username / --etcd-password)',
      options,
    );
  }
  if (error instanceof EtcdPermissionDeniedError) {
    return new AuthError(
      `${where} denied access (${detail})`,
      'grant the etcd user read/write on /calico/',
      options,
    );
  }
  if (error instanceof GRPCUnavailableError || isConnectionFailure(detail)) {
    if (/SSL|TLS|certificate|handshake|wrong version number/i.test(detail)) {
      return new TlsError(
        `TLS with ${where} failed (${detail})`,
        'check ETCD_CA_CERT_FILE, ETCD_CERT_FILE and ETCD_KEY_FILE: the server requires a client certificate signed by its CA, and the CA must have signed the server certificate; use https:// endpoints for a TLS server',
        options,
      );
    }
    return new DatastoreUnavailableError(
      `cannot reach ${where} (${detail})`,
      'check ETCD_ENDPOINTS and that etcd is running and reachable from here',
      options,
    );
  }
  if (error instanceof GRPCDeadlineExceededError) {
    return new DatastoreTimeoutError(
      `${where} did not answer in time (${detail})`,
      'check etcd health and load',
      options,
    );
  }
  if (error instanceof GRPCOutOfRangeError || /compacted/.test(detail)) {
    return new RevisionCompactedError(
      `${where} compacted the revision the export was reading at (${detail})`,
      'run the export again; if it keeps happening, pause auto-compaction or export at a quieter time',
      options,
    );
  }
  if (error instanceof GRPCResourceExhastedError || /too many requests/.test(detail)) {
    return new ThrottledError(`${where} is overloaded (${detail})`);
  }
  if (/request is too large|too many operations/.test(detail)) {
    return new InvalidObjectError(
      `${where} refused the request (${detail})`,
      'this is a bug in batching; please report it',
      options,
    );
  }
  if (error instanceof GRPCGenericError) {
    return new ServerError(`${where} failed (${detail})`, 'check the etcd logs', options);
  }
  return new DatastoreUnavailableError(
    `talking to ${where} failed (${detail})`,
    'check ETCD_ENDPOINTS and the network',
    options,
  );
}

/** The useful part of a gRPC message: no status prefix, no "Resolution note", one line. */
function cleanDetail(message: string): string {
  return message
    .split('\n')[0]!
    .replace(/^\d+ [A-Z_]+: /, '')
    .replace(/No connection established\. Last error: (Error: )?/, '')
    .replace(/\.? ?Resolution note:.*$/, '')
    .trim();
}

function isConnectionFailure(detail: string): boolean {
  return /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|No connection established|failed to connect/i.test(
    detail,
  );
}
