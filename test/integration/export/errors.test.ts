/**
 * `calico-migrate export` failures against real servers: an unreachable endpoint, TLS problems,
 * wrong credentials, missing Calico CRDs, and an etcd revision compacted in the middle of an
 * export. Each must end with exit code 2, exactly one line on stderr that names the endpoint and
 * the likely fix, and nothing in the output directory (no archive, no temporary file).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Etcd3 } from 'etcd3';
import { findFreePorts } from '../../harness/ports.js';
import { readState } from '../../harness/state.js';
import type { SavedEtcd } from '../../helpers/clean-datastores.js';
import {
  acquireDatastoreLock,
  restoreEtcdCalico,
  saveEtcdCalico,
  wipeEtcdCalico,
} from '../../helpers/clean-datastores.js';
import type { CliResult } from '../../helpers/run-cli.js';
import { runCli } from '../../helpers/run-cli.js';
import { openTestEtcd, putKeys, seedEtcdDataset } from '../../helpers/seed-etcd.js';
import type { TestEnv } from '../../helpers/testenv.js';
import { loadTestEnv } from '../../helpers/testenv.js';
import type { AuthEtcd } from './auth-etcd.js';
import { startAuthEtcd } from './auth-etcd.js';
import { etcdFlags } from './support.js';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('export errors: one clear line, exit code 2, no archive', () => {
  let env: TestEnv;
  let work: string;
  let release: (() => void) | undefined;
  let etcd: Etcd3;
  let saved: SavedEtcd | undefined;
  let authEtcd: AuthEtcd | undefined;
  let caseNumber = 0;

  before(async () => {
    env = loadTestEnv();
    work = mkdtempSync(join(tmpdir(), 'calico-migrate-export-errors-'));
    release = await acquireDatastoreLock();
    etcd = openTestEtcd(env);
    saved = await saveEtcdCalico(etcd);
    await wipeEtcdCalico(etcd);
    await seedEtcdDataset(etcd);
  });

  after(async () => {
    try {
      await authEtcd?.stop();
      if (saved) await restoreEtcdCalico(etcd, saved);
    } finally {
      etcd?.close();
      release?.();
      rmSync(work, { recursive: true, force: true });
    }
  });

  /** Runs an export into a fresh empty directory; returns the result and that directory. */
  async function exportInto(
    args: string[],
    options: { env?: Record<string, string> } = {},
  ): Promise<{ result: CliResult; out: string }> {
    const dir = mkdtempSync(join(work, `out-${++caseNumber}-`));
    const result = await runCli(['export', ...args, '-o', join(dir, 'backup.tar.gz')], options);
    return { result, out: dir };
  }

  /** The failure contract: exit 2, one `calico-migrate: error:` line naming `where` and `fix`. */
  function assertCleanFailure(
    { result, out }: { result: CliResult; out: string },
    where: string,
    fix: RegExp,
  ): void {
    assert.equal(result.code, 2, `exit code (stderr: ${result.stderr})`);
    const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
    assert.equal(lines.length, 1, `exactly one line on stderr:\n${result.stderr}`);
    assert.match(lines[0]!, /^calico-migrate: error: /);
    assert.match(lines[0]!, new RegExp(escape(where)), 'names the endpoint');
    assert.match(lines[0]!, fix, 'says how to fix it');
    assert.equal(result.stdout.length, 0, 'nothing on stdout');
    assert.deepEqual(readdirSync(out), [], 'no archive and no temporary file');
  }

  /** A kubeconfig for the v1 apiserver with one part replaced. */
  function writeKubeconfig(
    name: string,
    options: { server?: string; ca?: string; token?: string },
  ) {
    const state = env.apiservers.v1!;
    const pki = join(state.adminKubeconfig, '..', 'pki');
    const user = options.token
      ? `      token: ${options.token}`
      : `      client-certificate: ${join(pki, 'admin.crt')}\n      client-key: ${join(pki, 'admin.key')}`;
    const text = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '  - name: test',
      '    cluster:',
      `      server: ${options.server ?? state.url}`,
      `      certificate-authority: ${options.ca ?? join(pki, 'ca.crt')}`,
      'users:',
      '  - name: test',
      '    user:',
      user,
      'contexts:',
      '  - name: test',
      '    context: {cluster: test, user: test}',
      'current-context: test',
      '',
    ].join('\n');
    const path = join(work, `${name}.kubeconfig`);
    writeFileSync(path, text);
    return path;
  }

  describe('unreachable endpoint', () => {
    it('etcd: nothing listens at the endpoint', async () => {
      const [port] = await findFreePorts(1);
      const endpoint = `https://localhost:${port}`;
      const flags = etcdFlags(env).map((flag, i, all) =>
        all[i - 1] === '--etcd-endpoints' ? endpoint : flag,
      );
      assertCleanFailure(await exportInto(flags), endpoint, /check ETCD_ENDPOINTS/);
    });

    it('Kubernetes: nothing listens at the kubeconfig server', async () => {
      const [port] = await findFreePorts(1);
      const server = `https://127.0.0.1:${port}`;
      const kubeconfig = writeKubeconfig('unreachable', { server });
      assertCleanFailure(
        await exportInto(['--from', 'kdd', '--kubeconfig', kubeconfig]),
        server,
        /server address in the kubeconfig/,
      );
    });
  });

  describe('TLS or certificate problem', () => {
    const endpoint = () => env.etcd.endpoints[0]!;
    const without = (flags: string[], name: string) => {
      const at = flags.indexOf(name);
      return [...flags.slice(0, at), ...flags.slice(at + 2)];
    };

    it('etcd: no client certificate (the server requires one)', async () => {
      const flags = without(without(etcdFlags(env), '--etcd-cert-file'), '--etcd-key-file');
      assertCleanFailure(await exportInto(flags), endpoint(), /ETCD_CERT_FILE/);
    });

    it('etcd: a CA that did not sign the server certificate', async () => {
      const flags = etcdFlags(env).map((flag, i, all) =>
        all[i - 1] === '--etcd-ca-cert-file'
          ? join(env.apiservers.v1!.adminKubeconfig, '..', 'pki', 'ca.crt')
          : flag,
      );
      const result = await exportInto(flags);
      assertCleanFailure(result, endpoint(), /ETCD_CA_CERT_FILE/);
      assert.match(result.result.stderr, /TLS/);
    });

    it('Kubernetes: a certificate-authority that did not sign the API server certificate', async () => {
      const kubeconfig = writeKubeconfig('wrong-ca', { ca: env.etcd.caCertFile });
      const result = await exportInto(['--from', 'kdd', '--kubeconfig', kubeconfig]);
      assertCleanFailure(result, env.apiservers.v1!.url, /certificate-authority/);
      assert.match(result.result.stderr, /TLS/);
    });
  });

  describe('wrong credentials', () => {
    it('Kubernetes: a bogus bearer token (HTTP 401)', async () => {
      const kubeconfig = writeKubeconfig('bogus-token', { token: 'not-a-valid-token' });
      const result = await exportInto(['--from', 'kdd', '--kubeconfig', kubeconfig]);
      assertCleanFailure(result, env.apiservers.v1!.url, /token/);
      assert.match(result.result.stderr, /rejected the credentials/);
    });

    describe('etcd with user authentication (a private etcd: the shared one uses certificates only)', () => {
      before(async () => {
        // The same etcd binary the test environment runs Calico's etcd with.
        const binary = readState()?.calicoEtcd?.binary ?? '/usr/bin/etcd';
        authEtcd = await startAuthEtcd(binary);
      });

      it('accepts the right password (so the failures below are about credentials)', async () => {
        const { endpoint, username, password } = authEtcd!;
        const out = mkdtempSync(join(work, 'auth-ok-'));
        const result = await runCli(
          [
            'export',
            '--from',
            'etcd',
            '--etcd-endpoints',
            endpoint,
            '--etcd-username',
            username,
            '-o',
            join(out, 'ok.tar.gz'),
          ],
          { env: { ETCD_PASSWORD: password } },
        );
        assert.equal(result.code, 0, result.stderr);
      });

      it('a wrong password', async () => {
        const { endpoint, username } = authEtcd!;
        const result = await exportInto(
          ['--from', 'etcd', '--etcd-endpoints', endpoint, '--etcd-username', username],
          { env: { ETCD_PASSWORD: 'wrong-password' } },
        );
        assertCleanFailure(result, endpoint, /ETCD_USERNAME and ETCD_PASSWORD/);
        assert.match(result.result.stderr, /rejected the credentials/);
      });

      it('no credentials at all', async () => {
        const { endpoint } = authEtcd!;
        const result = await exportInto(['--from', 'etcd', '--etcd-endpoints', endpoint]);
        assertCleanFailure(result, endpoint, /ETCD_USERNAME and ETCD_PASSWORD/);
        assert.match(result.result.stderr, /requires authentication/);
      });
    });
  });

  describe('missing Calico CRDs', () => {
    it('--crd-mode v3 against an API server that serves only the v1 CRDs', async () => {
      const state = env.apiservers.v1!;
      const result = await exportInto([
        '--from',
        'kdd',
        '--kubeconfig',
        state.adminKubeconfig,
        '--crd-mode',
        'v3',
      ]);
      assertCleanFailure(result, state.url, /install the Calico v3 CRDs/);
      assert.match(result.result.stderr, /projectcalico\.org\/v3 is not served/);
    });

    it('--crd-mode v1 against an API server that serves only the v3 CRDs', async () => {
      const state = env.apiservers.v3!;
      const result = await exportInto([
        '--from',
        'kdd',
        '--kubeconfig',
        state.adminKubeconfig,
        '--crd-mode',
        'v1',
      ]);
      assertCleanFailure(result, state.url, /install the Calico CRDs \(crd\.projectcalico\.org/);
    });
  });

  describe('etcd revision compacted in the middle of an export', () => {
    it('fails instead of mixing revisions, and leaves no archive', async () => {
      // 3000 extra keys read one per request (CALICO_MIGRATE_ETCD_PAGE_SIZE=1) keep the export
      // reading at its pinned revision for far longer than one round of the compaction loop below.
      const bulk = Array.from({ length: 3000 }, (_, i) => ({
        key: `/calico/felix/v2/no-region/host/bulk-${String(i).padStart(4, '0')}/status`,
        value: Buffer.from('{"time":"2025-03-04T05:10:00Z","uptime":1,"first_update":false}'),
      }));
      await putKeys(etcd, bulk);
      let running = true;
      let compactions = 0;
      const compactor = (async () => {
        // Every 20 ms: a new revision, then compact everything before it. Whatever revision the
        // export pinned, the next round makes it unreadable while pages are still to be read.
        while (running) {
          const put = await etcd.put('/calico/scratch/compaction-bump').value(String(compactions));
          try {
            await etcd.kv.compact({ revision: put.header.revision });
            compactions++;
          } catch {
            // compacted already by an earlier round
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      let outcome: { result: CliResult; out: string };
      try {
        outcome = await exportInto(etcdFlags(env), { env: { CALICO_MIGRATE_ETCD_PAGE_SIZE: '1' } });
      } finally {
        running = false;
        await compactor;
      }
      assert.ok(compactions > 0, 'the test compacted etcd while the export ran');
      assertCleanFailure(outcome, env.etcd.endpoints[0]!, /run the export again/);
      assert.match(outcome.result.stderr, /compacted/);
    });

    it('a page size that is not a positive integer is a configuration error', async () => {
      const result = await exportInto(etcdFlags(env), {
        env: { CALICO_MIGRATE_ETCD_PAGE_SIZE: '0' },
      });
      assert.equal(result.result.code, 2);
      assert.match(
        result.result.stderr,
        /CALICO_MIGRATE_ETCD_PAGE_SIZE must be a positive integer/,
      );
      assert.deepEqual(readdirSync(result.out), []);
    });
  });
});
