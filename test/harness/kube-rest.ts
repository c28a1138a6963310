/**
 * Minimal JSON REST calls to a test kube-apiserver, for the harness's own set-up (CRDs, RBAC).
 * Raw JSON on purpose: @kubernetes/client-node's typed models would drop the CRD schema keys they
 * do not model under their JSON names (e.g. `x-kubernetes-validations`), silently weakening the
 * very schemas the tests rely on.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

/** Where and as whom to call an apiserver (file paths). */
export interface KubeConnection {
  readonly url: string;
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** A response: HTTP status and parsed JSON body (or the raw text when it is not JSON). */
export interface KubeResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Sends one request; rejects only on transport errors, never on an HTTP status. */
export function kubeRequest(
  conn: KubeConnection,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  timeoutMs = 30_000,
): Promise<KubeResponse> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, conn.url),
      {
        method,
        ca: readFileSync(conn.ca),
        cert: readFileSync(conn.cert),
        key: readFileSync(conn.key),
        timeout: timeoutMs,
        headers: {
          accept: 'application/json',
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parseMaybeJson(text) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Throws a readable error unless `response.status` is one of `ok`. */
export function expectStatus(response: KubeResponse, ok: number[], what: string): void {
  if (ok.includes(response.status)) return;
  const message =
    typeof response.body === 'object' && response.body !== null && 'message' in response.body
      ? String((response.body as { message: unknown }).message)
      : String(response.body);
  throw new Error(`${what}: HTTP ${response.status}: ${message}`);
}
