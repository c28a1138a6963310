/**
 * Builds an etcd3 client from calicoctl-style settings. The client's own retry and circuit
 * breaker are switched off: retries are the job of the retry decorator, so there is one policy.
 */
import { readFileSync } from 'node:fs';
import { noop } from 'cockatiel';
import { Etcd3 } from 'etcd3';
import { ConfigError } from '../../model/errors.js';
import type { EtcdSettings } from './settings.js';

/** Deadline of each etcd call. */
export const ETCD_CALL_TIMEOUT_MS = 30_000;

/** Opens a client for `settings`; reading certificate files happens here, with clear errors. */
export function connectEtcd(settings: EtcdSettings): Etcd3 {
  if (settings.endpoints.length === 0) {
    throw new ConfigError(
      'no etcd endpoints configured',
      'set ETCD_ENDPOINTS or pass --etcd-endpoints',
    );
  }
  const secure = settings.endpoints.some((endpoint) => endpoint.startsWith('https://'));
  if (secure && settings.endpoints.some((endpoint) => !endpoint.startsWith('https://'))) {
    throw new ConfigError(
      `etcd endpoints mix https:// and http:// (${settings.endpoints.join(',')})`,
      'use one scheme for every endpoint',
    );
  }
  const rootCertificate = readPem(settings.caCert, settings.caCertFile, 'ETCD_CA_CERT_FILE');
  const certChain = readPem(settings.cert, settings.certFile, 'ETCD_CERT_FILE');
  const privateKey = readPem(settings.key, settings.keyFile, 'ETCD_KEY_FILE');
  if (Boolean(certChain) !== Boolean(privateKey)) {
    throw new ConfigError(
      'an etcd client certificate needs its key and vice versa',
      'set both ETCD_CERT_FILE and ETCD_KEY_FILE',
    );
  }
  if (!secure && (rootCertificate || certChain)) {
    throw new ConfigError(
      `certificates are configured but the etcd endpoints ${settings.endpoints.join(',')} are not https://`,
      'use https:// endpoints for a TLS etcd',
    );
  }
  return new Etcd3({
    hosts: settings.endpoints,
    // Without a CA file grpc-js falls back to the system roots (createSsl with no root certificate).
    credentials:
      secure && (rootCertificate || certChain)
        ? { rootCertificate: rootCertificate as Buffer, certChain, privateKey }
        : undefined,
    auth: settings.username
      ? { username: settings.username, password: settings.password ?? '' }
      : undefined,
    dialTimeout: 10_000,
    defaultCallOptions: () => ({ deadline: Date.now() + ETCD_CALL_TIMEOUT_MS }),
    faultHandling: { global: noop, host: () => noop },
    grpcOptions: { 'grpc.max_receive_message_length': 64 * 1024 * 1024 },
  });
}

function readPem(
  inline: string | undefined,
  file: string | undefined,
  variable: string,
): Buffer | undefined {
  if (inline) return Buffer.from(inline);
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ConfigError(
      `cannot read ${variable} ${file}: ${(error as Error).message}`,
      `check ${variable}`,
    );
  }
}
