/**
 * A small HTTP client for the Kubernetes API. @kubernetes/client-node supplies the credentials
 * (KubeConfig, exec plugins, in-cluster tokens); requests go through node:https directly because
 * the generated client parses bodies with JSON.parse, which rounds Calico's 64-bit IPAM sequence
 * numbers (see src/model/json.ts), and has no keep-alive pool sized for concurrent writes.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { RequestOptions } from 'node:https';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { JsonValue } from '../../model/json.js';
import { parseJson, stringifyJson } from '../../model/json.js';
import { translateHttpError, translateNetworkError } from './errors.js';

/** A parsed API response. */
export interface KubeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: JsonValue | undefined;
}

/** Options of one request. */
export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  contentType?: string;
}

/** Per-request timeout. */
const REQUEST_TIMEOUT_MS = 60_000;

/** Sends requests to one API server with the credentials of a KubeConfig. */
export class KubeClient {
  private constructor(
    /** The API server URL, for messages. */
    readonly server: string,
    private readonly base: URL,
    private readonly options: RequestOptions,
  ) {}

  /** Resolves credentials (this may run an exec plugin) and opens a keep-alive pool. */
  static async create(config: KubeConfig, maxSockets = 64): Promise<KubeClient> {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    const options: RequestOptions = {};
    await config.applyToHTTPSOptions(options);
    const base = new URL(cluster.server);
    const tls = {
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      rejectUnauthorized: cluster.skipTLSVerify ? false : options.rejectUnauthorized,
      servername: cluster.tlsServerName ?? options.servername,
    };
    const agent =
      base.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true, maxSockets, ...tls })
        : new HttpAgent({ keepAlive: true, maxSockets });
    return new KubeClient(cluster.server, base, {
      agent,
      headers: options.headers,
      auth: options.auth,
    });
  }

  /** Sends a request; non-2xx statuses become typed errors (src/datastores/kdd/errors.ts). */
  async send(request: KubeRequest): Promise<KubeResponse> {
    const response = await this.exchange(request);
    if (response.status >= 200 && response.status < 300) return response;
    throw translateHttpError(response, request, this.server);
  }

  /** GETs one object; `undefined` when it does not exist (404). */
  async read(path: string): Promise<JsonValue | undefined> {
    const request: KubeRequest = { method: 'GET', path };
    const response = await this.exchange(request);
    if (response.status === 404) return undefined;
    if (response.status >= 200 && response.status < 300) return response.body;
    throw translateHttpError(response, request, this.server);
  }

  /** Sends a request and returns any response, 2xx or not; only network failures throw. */
  async exchange(request: KubeRequest): Promise<KubeResponse> {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + request.path, this.base);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const payload =
      request.body === undefined ? undefined : Buffer.from(stringifyJson(request.body));
    const headers: Record<string, string | number> = {
      ...(this.options.headers as Record<string, string>),
      accept: 'application/json',
    };
    if (payload) {
      headers['content-type'] = request.contentType ?? 'application/json';
      headers['content-length'] = payload.length;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<KubeResponse>((resolve, reject) => {
      const req = send(
        url,
        { ...this.options, method: request.method, headers, timeout: REQUEST_TIMEOUT_MS },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error) => reject(translateNetworkError(error, this.server)));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: JsonValue | undefined;
            try {
              body = text ? parseJson(text) : undefined;
            } catch {
              body = text;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })),
      );
      req.on('error', (error) => reject(translateNetworkError(error, this.server)));
      req.end(payload);
    });
  }

  /** Closes idle connections. */
  close(): void {
    (this.options.agent as HttpAgent | undefined)?.destroy();
  }
}
