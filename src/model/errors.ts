/**
 * Typed errors. Adapters translate foreign errors (gRPC, HTTP, file system) into these exactly
 * once, at their boundary; the CLI's single top-level handler maps them to exit codes. Nothing
 * above the adapters inspects a status code.
 */

/** Exit code: everything worked. */
export const EXIT_OK = 0;
/** Exit code: the run finished but some objects failed or did not verify. */
export const EXIT_PARTIAL = 1;
/** Exit code: nothing was written (usage, configuration, connection or archive error). */
export const EXIT_FATAL = 2;

/** Base of every error calico-migrate raises on purpose. `hint` says how to fix it. */
export class CalicoMigrateError extends Error {
  /** Whether repeating the same call later may succeed (used by the retry decorator). */
  readonly retryable: boolean = false;
  /** The process exit code when this error ends the run. */
  readonly exitCode: number = EXIT_FATAL;

  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad command-line usage or flag combination. */
export class UsageError extends CalicoMigrateError {}

/** Connection settings are missing, unreadable or contradictory. */
export class ConfigError extends CalicoMigrateError {}

/** The endpoint cannot be reached right now (refused, reset, DNS, leader change). */
export class DatastoreUnavailableError extends CalicoMigrateError {
  override readonly retryable = true;
}

/** A request timed out; the server may still have applied it. */
export class DatastoreTimeoutError extends CalicoMigrateError {
  override readonly retryable = true;
}

/** The server asked us to slow down (HTTP 429, etcd "too many requests"). */
export class ThrottledError extends CalicoMigrateError {
  override readonly retryable = true;
  constructor(
    message: string,
    /** Server-suggested wait (Retry-After), if any. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The server failed internally (HTTP 5xx other than 501). */
export class ServerError extends CalicoMigrateError {
  override readonly retryable = true;
}

/** TLS handshake or certificate verification failed. */
export class TlsError extends CalicoMigrateError {}

/** The server rejected our credentials or refused the operation (401, 403, etcd auth). */
export class AuthError extends CalicoMigrateError {}

/** The object does not exist. */
export class NotFoundError extends CalicoMigrateError {}

/** A create found the object already there. */
export class AlreadyExistsError extends CalicoMigrateError {}

/** An update lost a race: the object changed since it was read (HTTP 409 Conflict, etcd mod_revision). */
export class ConflictError extends CalicoMigrateError {}

/** The server refused the object as invalid (schema, CEL rule, admission). */
export class InvalidObjectError extends CalicoMigrateError {}

/**
 * Kubernetes admission control (a validating webhook or a ValidatingAdmissionPolicy) refused the
 * write. Its HTTP status varies (400 from a webhook that sets no code, 403 or 422 from a policy),
 * so the KDD adapter recognises it by the API server's wording and raises this instead.
 */
export class AdmissionDeniedError extends CalicoMigrateError {
  constructor(
    message: string,
    /** Who refused: a webhook or a policy, and its name (and the policy binding, if named). */
    readonly denial: { by: 'webhook' | 'policy'; name: string; binding?: string; message: string },
  ) {
    super(message);
  }
}

/** The backend cannot do this operation for this kind (for example creating a Node in KDD). */
export class UnsupportedOperationError extends CalicoMigrateError {}

/** etcd compacted the revision a consistent read was pinned to. */
export class RevisionCompactedError extends CalicoMigrateError {}

/** The Calico CRDs are not installed in the Kubernetes API server. */
export class MissingCrdsError extends CalicoMigrateError {}

/** The archive is not in a format this version understands. */
export class ArchiveFormatError extends CalicoMigrateError {}

/** The archive is damaged: checksum mismatch, missing or extra entries, bad manifest. */
export class ArchiveIntegrityError extends CalicoMigrateError {}

/** The run ends with this exit code; the message (if any) has been reported already. */
export class ExitError extends CalicoMigrateError {
  override readonly exitCode: number;
  constructor(exitCode: number, message = `exit ${exitCode}`) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** A bug in calico-migrate itself. */
export class InternalError extends CalicoMigrateError {}

/** Whether an error is worth retrying. */
export function isRetryable(error: unknown): boolean {
  return error instanceof CalicoMigrateError && error.retryable;
}
