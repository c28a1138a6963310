/**
 * A private, real etcd with user authentication enabled, for the "wrong credentials" case: the
 * shared test etcd authenticates clients by certificate only and has no users, and enabling auth
 * on it would break every other test. Same etcd binary as the test environment's Calico etcd,
 * plain http on loopback, its own temporary data directory; stopped by the caller.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { findFreePorts } from '../../harness/ports.js';

/** A running etcd with auth; `stop()` kills it and removes its data. */
export interface AuthEtcd {
  readonly endpoint: string;
  readonly username: string;
  readonly password: string;
  stop(): Promise<void>;
}

/** Starts etcd, creates user root (role root) with a password and enables authentication. */
export async function startAuthEtcd(binary: string): Promise<AuthEtcd> {
  const dir = mkdtempSync(join(tmpdir(), 'calico-migrate-auth-etcd-'));
  const [clientPort, peerPort] = await findFreePorts(2);
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const log = openSync(join(dir, 'etcd.log'), 'a');
  const child: ChildProcess = spawn(
    binary,
    [
      '--name=auth-etcd',
      `--data-dir=${join(dir, 'data')}`,
      `--listen-client-urls=${endpoint}`,
      `--advertise-client-urls=${endpoint}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=auth-etcd=${peer}`,
      '--log-level=warn',
      '--logger=zap',
    ],
    { stdio: ['ignore', log, log] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const password = 'correct-horse-battery-staple';
  const admin = new Etcd3({ hosts: endpoint });
  try {
    await waitUntilUp(admin, endpoint);
    await admin.role('root').create();
    await admin.user('root').create(password);
    await admin.user('root').addRole('root');
    await admin.auth.authEnable();
    return { endpoint, username: 'root', password, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    admin.close();
  }
}

async function waitUntilUp(client: Etcd3, endpoint: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await client.maintenance.status();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`etcd at ${endpoint} did not start: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
