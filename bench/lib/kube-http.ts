/**
 * A minimal JSON client for the test kube-apiserver, with a keep-alive pool for concurrent seeding.
 * Bodies are sent as ready-made JSON text (so 64-bit numbers stay exact); responses are parsed
 * with JSON.parse, which is fine for the status objects and lists the benchmark reads.
 */
import { Agent, request } from 'node:https';
import type { RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** A response: status and parsed body. */
export interface KubeReply {
  status: number;
  body: unknown;
}

/** Sends requests to one apiserver. */
export class KubeHttp {
  private constructor(
    private readonly base: URL,
    private readonly options: RequestOptions,
  ) {}

  /** Reads credentials from `config` and opens a pool of `sockets` connections. */
  static async create(config: KubeConfig, sockets: number): Promise<KubeHttp> {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    const options: RequestOptions = {};
    await config.applyToHTTPSOptions(options);
    const agent = new Agent({
      keepAlive: true,
      maxSockets: sockets,
      ca: options.ca,
      cert: options.cert,
      key: options.key,
    });
    return new KubeHttp(new URL(cluster.server), { agent, headers: options.headers });
  }

  /** Sends one request; rejects only on transport errors. */
  send(method: string, path: string, body?: string): Promise<KubeReply> {
    const payload = body === undefined ? undefined : Buffer.from(body);
    const headers: Record<string, string | number> = {
      ...(this.options.headers as Record<string, string> | undefined),
      accept: 'application/json',
      ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
    };
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.base),
        { ...this.options, method, headers, timeout: 120_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like `send`, but a status outside 2xx (and not in `allowed`) is an error naming the call. */
  async expect(
    method: string,
    path: string,
    body?: string,
    allowed: number[] = [],
  ): Promise<KubeReply> {
    const reply = await this.send(method, path, body);
    if ((reply.status >= 200 && reply.status < 300) || allowed.includes(reply.status)) return reply;
    const message =
      (reply.body as { message?: string } | undefined)?.message ?? JSON.stringify(reply.body);
    throw new Error(`${method} ${path}: HTTP ${reply.status}: ${message}`);
  }

  /** Closes the pool. */
  close(): void {
    (this.options.agent as Agent).destroy();
  }
}
