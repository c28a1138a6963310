/**
 * Certificates for the test environment, made with the openssl command line at start-up, in the
 * kubeadm layout (https://kubernetes.io/docs/setup/best-practices/certificates/) so the tool sees the
 * same relative paths a kubeadm control-plane host has:
 *
 *   pki/etcd/ca.crt|key                   etcd CA (Calico's etcd)
 *   pki/etcd/server.crt|key               etcd serving cert, SAN DNS:localhost, IP:127.0.0.1
 *   pki/apiserver-etcd-client.crt|key     etcd client cert (what calico-migrate uses)
 *   pki/ca.crt|key                        Kubernetes CA (serving and client certs)
 *   pki/apiserver.crt|key                 kube-apiserver serving cert (all apiservers; loopback SANs)
 *   pki/admin.crt|key                     client cert, O=system:masters
 *   pki/throttled-user.crt|key            client cert of a user outside system:masters
 *   pki/sa.key|pub                        service-account signing key pair
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A certificate and its key, as file paths. */
export interface CertPair {
  readonly cert: string;
  readonly key: string;
}

/** Every file of the test PKI. */
export interface TestPki {
  readonly dir: string;
  readonly etcdCa: CertPair;
  readonly etcdServer: CertPair;
  readonly etcdClient: CertPair;
  readonly kubeCa: CertPair;
  readonly apiserverServing: CertPair;
  readonly admin: CertPair;
  readonly throttledUser: CertPair;
  readonly serviceAccount: { readonly key: string; readonly pub: string };
}

/** The Common Name of the throttled user; it is in no group, so not in system:masters. */
export const THROTTLED_USER = 'calico-migrate-throttled';

const CONFIG = `[req]
distinguished_name = dn
[dn]
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
`;

/**
 * ECDSA P-256 keys: generating the dozen keys takes milliseconds, where RSA-2048 took about 1.5 s
 * on 2 cores. etcd, kube-apiserver (serving, client and service-account keys) and Node accept them.
 */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

const SERVER_EXT = (sans: string): string =>
  `subjectAltName=${sans}\nextendedKeyUsage=serverAuth,clientAuth\n` +
  'keyUsage=critical,digitalSignature\nauthorityKeyIdentifier=keyid\n';
const CLIENT_EXT =
  'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\nauthorityKeyIdentifier=keyid\n';

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') {
      throw new Error(
        'openssl is not installed; run `npm run provision` (apt-get install openssl)',
      );
    }
    throw new Error(`openssl ${args.slice(0, 2).join(' ')} failed: ${err.stderr ?? err.message}`);
  }
}

/** Creates a self-signed CA `<dir>/<base>.crt|key` with Common Name `cn`. */
export async function createCa(dir: string, base: string, cn: string): Promise<CertPair> {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, `${base}.cnf`);
  writeFileSync(config, CONFIG);
  const pair = { cert: join(dir, `${base}.crt`), key: join(dir, `${base}.key`) };
  await openssl([
    'req',
    '-x509',
    ...NEW_KEY,
    '-nodes',
    '-days',
    '3650',
    '-keyout',
    pair.key,
    '-out',
    pair.cert,
    '-subj',
    `/CN=${cn}`,
    '-config',
    config,
    '-extensions',
    'ca_ext',
  ]);
  return pair;
}

/**
 * Issues `<dir>/<base>.crt|key` signed by `ca`. `subject` is an openssl -subj string; `sans` (e.g.
 * `DNS:localhost,IP:127.0.0.1`) makes it a serving cert, otherwise it is a client cert. Serial
 * numbers are random, so certs can be issued in parallel (no shared serial file).
 */
export async function issueCert(
  ca: CertPair,
  dir: string,
  base: string,
  subject: string,
  sans?: string,
): Promise<CertPair> {
  mkdirSync(dir, { recursive: true });
  const pair = { cert: join(dir, `${base}.crt`), key: join(dir, `${base}.key`) };
  const csr = join(dir, `${base}.csr`);
  const ext = join(dir, `${base}.ext`);
  writeFileSync(ext, sans === undefined ? CLIENT_EXT : SERVER_EXT(sans));
  await openssl(['req', ...NEW_KEY, '-nodes', '-keyout', pair.key, '-out', csr, '-subj', subject]);
  await openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-days',
    '3650',
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-extfile',
    ext,
    '-out',
    pair.cert,
  ]);
  return pair;
}

/** Creates the whole test PKI under `<runDir>/pki`. */
export async function createTestPki(runDir: string): Promise<TestPki> {
  const dir = join(runDir, 'pki');
  const etcdDir = join(dir, 'etcd');
  const [etcdCa, kubeCa, serviceAccount] = await Promise.all([
    createCa(etcdDir, 'ca', 'etcd-ca'),
    createCa(dir, 'ca', 'kubernetes'),
    createServiceAccountKeys(dir),
  ]);
  const loopback = 'DNS:localhost,IP:127.0.0.1';
  const [etcdServer, etcdClient, apiserverServing, admin, throttledUser] = await Promise.all([
    issueCert(etcdCa, etcdDir, 'server', '/CN=localhost', loopback),
    issueCert(
      etcdCa,
      dir,
      'apiserver-etcd-client',
      '/O=system:masters/CN=kube-apiserver-etcd-client',
    ),
    issueCert(
      kubeCa,
      dir,
      'apiserver',
      '/CN=kube-apiserver',
      `${loopback},DNS:kubernetes,DNS:kubernetes.default,IP:10.0.0.1`,
    ),
    issueCert(kubeCa, dir, 'admin', '/O=system:masters/CN=calico-migrate-admin'),
    issueCert(kubeCa, dir, 'throttled-user', `/CN=${THROTTLED_USER}`),
  ]);
  return {
    dir,
    etcdCa,
    etcdServer,
    etcdClient,
    kubeCa,
    apiserverServing,
    admin,
    throttledUser,
    serviceAccount,
  };
}

async function createServiceAccountKeys(dir: string): Promise<{ key: string; pub: string }> {
  mkdirSync(dir, { recursive: true });
  const key = join(dir, 'sa.key');
  const pub = join(dir, 'sa.pub');
  await openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
  await openssl(['ec', '-in', key, '-pubout', '-out', pub]);
  return { key, pub };
}
