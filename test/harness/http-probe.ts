/** Small HTTP(S) GETs for health and version probes of the test servers. */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

/** TLS material for a probe, as file paths. */
export interface ProbeTls {
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
}

/** A probe's answer. */
export interface ProbeResult {
  readonly status: number;
  readonly body: string;
}

/** GETs `url` (http or https), rejecting after `timeoutMs`. */
export function probe(url: string, tls?: ProbeTls, timeoutMs = 2_000): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const options = {
      method: 'GET',
      timeout: timeoutMs,
      ...(tls === undefined
        ? {}
        : {
            ca: readFileSync(tls.ca),
            ...(tls.cert === undefined ? {} : { cert: readFileSync(tls.cert) }),
            ...(tls.key === undefined ? {} : { key: readFileSync(tls.key) }),
          }),
    };
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
      target,
      options,
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Outcome of one readiness check: ready, not yet, or failed for good (e.g. the process died). */
export type ReadyCheck = () => Promise<boolean>;

/**
 * Polls `check` every `intervalMs` until it returns true; rejects with `describe()` once
 * `timeoutMs` passes. `check` may throw to abort at once (e.g. when the server exited).
 */
export async function waitFor(
  check: ReadyCheck,
  timeoutMs: number,
  describe: () => string,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(describe());
    await sleep(intervalMs);
  }
}

/** Like `probe`, but any connection error counts as "not answering" (`null`). */
export async function tryProbe(
  url: string,
  tls?: ProbeTls,
  timeoutMs = 2_000,
): Promise<ProbeResult | null> {
  try {
    return await probe(url, tls, timeoutMs);
  } catch {
    return null;
  }
}
