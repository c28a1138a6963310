/**
 * Translates Kubernetes API failures into calico-migrate's typed errors, once, at the adapter
 * boundary: HTTP statuses with their `Status` reason, and socket/TLS failures.
 */
import type { JsonValue } from '../../model/json.js';
import { isJsonObject } from '../../model/json.js';
import {
  AdmissionDeniedError,
  AlreadyExistsError,
  AuthError,
  CalicoMigrateError,
  ConflictError,
  DatastoreTimeoutError,
  DatastoreUnavailableError,
  InvalidObjectError,
  NotFoundError,
  ServerError,
  ThrottledError,
  TlsError,
  UnsupportedOperationError,
} from '../../model/errors.js';

/** A list continue token expired (HTTP 410): the paginator restarts the list. */
export class ListExpiredError extends CalicoMigrateError {
  constructor(
    message: string,
    /** Token for an inconsistent continuation, when the server offered one. */
    readonly continueToken?: string,
  ) {
    super(message);
  }
}

/** The parts of a `Status` body we use. */
function readStatus(body: JsonValue | undefined): {
  reason?: string;
  message?: string;
  continueToken?: string;
} {
  if (!isJsonObject(body)) return typeof body === 'string' ? { message: body.slice(0, 300) } : {};
  const metadata = isJsonObject(body.metadata) ? body.metadata : {};
  return {
    reason: typeof body.reason === 'string' ? body.reason : undefined,
    message: typeof body.message === 'string' ? body.message : undefined,
    continueToken: typeof metadata.continue === 'string' ? metadata.continue : undefined,
  };
}

/** Maps a non-2xx response to a typed error. */
export function translateHttpError(
  response: {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: JsonValue | undefined;
  },
  request: { method: string; path: string },
  server: string,
): CalicoMigrateError {
  const { reason, message, continueToken } = readStatus(response.body);
  const what = `${request.method} ${request.path} on ${server}`;
  const detail = message ?? `HTTP ${response.status}`;
  const denial = findAdmissionDenial(detail);
  if (denial) return new AdmissionDeniedError(`${what}: ${detail}`, denial);
  switch (response.status) {
    case 401:
      return new AuthError(
        `the Kubernetes API server ${server} rejected the credentials (${detail})`,
        'check the kubeconfig user, its token or client certificate',
      );
    case 403:
      return new AuthError(
        `forbidden: ${detail}`,
        'grant this user access to the Calico resources (RBAC), or use an admin kubeconfig',
      );
    case 404:
      return new NotFoundError(`${what}: not found (${detail})`);
    case 405:
      return new UnsupportedOperationError(`${what}: method not allowed (${detail})`);
    case 409:
      return reason === 'AlreadyExists'
        ? new AlreadyExistsError(`${what}: already exists (${detail})`)
        : new ConflictError(`${what}: conflict (${detail})`);
    case 410:
      return new ListExpiredError(`${what}: ${detail}`, continueToken);
    case 400:
    case 422:
      return new InvalidObjectError(
        `the API server refused the object: ${detail}`,
        'fix the object or the archive it came from',
      );
    case 429:
      return new ThrottledError(
        `${server} is throttling requests (${detail})`,
        parseRetryAfter(response.headers['retry-after']),
      );
    case 504:
      return new DatastoreTimeoutError(
        `${what}: gateway timeout (${detail})`,
        'check the API server and its etcd',
      );
    default:
      if (response.status >= 500) {
        return new ServerError(
          `${what}: server error ${response.status} (${detail})`,
          'check the API server logs',
        );
      }
      return new InvalidObjectError(`${what}: HTTP ${response.status} (${detail})`);
  }
}

const WEBHOOK_DENIAL = /admission webhook "([^"]+)" denied the request/;
const POLICY_DENIAL =
  /ValidatingAdmissionPolicy '([^']+)'(?: with binding '([^']+)')? denied request/;

/**
 * An admission denial in the API server's message: `admission webhook "<name>" denied the
 * request` (k8s.io/apiserver admission/plugin/webhook/errors ToStatusErr) or
 * `ValidatingAdmissionPolicy '<p>' [with binding '<b>'] denied request` (validatingadmissionpolicy).
 */
function findAdmissionDenial(detail: string): AdmissionDeniedError['denial'] | undefined {
  const webhook = WEBHOOK_DENIAL.exec(detail);
  if (webhook) return { by: 'webhook', name: webhook[1]!, message: detail.slice(webhook.index) };
  const policy = POLICY_DENIAL.exec(detail);
  if (!policy) return undefined;
  return {
    by: 'policy',
    name: policy[1]!,
    ...(policy[2] !== undefined ? { binding: policy[2] } : {}),
    message: detail.slice(policy.index),
  };
}

/** `Retry-After` in seconds (the API server sends whole seconds) to milliseconds. */
function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const seconds = Number(text);
  return text !== undefined && Number.isFinite(seconds) && seconds >= 0
    ? seconds * 1000
    : undefined;
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|ERR_SSL|EPROTO$)/;

/** Maps a socket-level failure to a typed error naming the server. */
export function translateNetworkError(
  error: Error & { code?: string },
  server: string,
): CalicoMigrateError {
  const code = error.code ?? '';
  const detail = `${code ? `${code}: ` : ''}${error.message}`;
  if (TLS_CODES.test(code) || /certificate|SSL|TLS/i.test(error.message)) {
    return new TlsError(
      `TLS with the Kubernetes API server ${server} failed (${detail})`,
      'check the certificate-authority and client certificate in the kubeconfig',
      { cause: error },
    );
  }
  if (code === 'ETIMEDOUT') {
    return new DatastoreTimeoutError(
      `the Kubernetes API server ${server} did not answer in time`,
      'check that it is healthy',
      { cause: error },
    );
  }
  return new DatastoreUnavailableError(
    `cannot reach the Kubernetes API server ${server} (${detail})`,
    'check the server address in the kubeconfig and that the API server is running',
    { cause: error },
  );
}
