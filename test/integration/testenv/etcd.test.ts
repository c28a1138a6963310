/**
 * Proves the test environment's Calico etcd is real and set up like a kubeadm cluster's: over mutual
 * TLS with the etcd3 client, one object of EVERY etcd-stored kind of the kinds table round-trips
 * byte for byte, and connections without the right certificates are refused.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Etcd3 } from 'etcd3';
import type { IOptions } from 'etcd3';
import { KINDS } from '../../../src/model/kinds.js';
import { parseJson } from '../../../src/model/json.js';
import { buildEtcdEntries } from '../../fixtures/etcd/index.js';
import type { EtcdEntry } from '../../fixtures/etcd/index.js';
import { BLOCK_SEQUENCE_NUMBER } from '../../fixtures/etcd/ipam-values.js';
import { createCa, issueCert } from '../../harness/pki.js';
import { etcd3Options, loadTestEnv } from '../../helpers/testenv.js';
import type { TestEnv } from '../../helpers/testenv.js';

const suffix = randomBytes(3).toString('hex');
const etcdKinds = KINDS.filter((row) => row.etcd.type !== 'none');

describe('Calico etcd datastore (etcd 3.4, mutual TLS)', () => {
  let env: TestEnv;
  let client: Etcd3;
  /** Keys written, with the value each had before (null: absent), to restore afterwards. */
  const written = new Map<string, Buffer | null>();

  before(() => {
    env = loadTestEnv();
    client = new Etcd3(etcd3Options(env));
  });

  after(async () => {
    if (client === undefined) return;
    for (const [key, previous] of written) {
      if (previous === null) await client.delete().key(key);
      else await client.put(key).value(previous);
    }
    client.close();
  });

  /** Puts an entry (remembering what was there) and returns what reading it back gives. */
  async function putAndReadBack(entry: EtcdEntry): Promise<string | null> {
    if (!written.has(entry.key)) written.set(entry.key, await client.get(entry.key).buffer());
    await client.put(entry.key).value(entry.value);
    return client.get(entry.key).string();
  }

  it('is the etcd the state file describes', async () => {
    const status = await client.maintenance.status();
    assert.equal(status.version, env.etcd.version);
    assert.match(status.version, /^3\.4\./);
  });

  it('covers every etcd-stored kind of the kinds table', () => {
    assert.ok(etcdKinds.length >= 20, `only ${etcdKinds.length} etcd-stored kinds in the table`);
    for (const row of etcdKinds) {
      const entries = buildEtcdEntries(row, suffix);
      const expected = row.etcd.type === 'ipam' ? row.etcd.keys.length : 1;
      assert.equal(entries.length, expected, `${row.kind}: one entry per key pattern`);
    }
  });

  for (const row of etcdKinds) {
    it(`${row.kind}: puts and reads back ${row.etcd.type === 'ipam' ? 'its IPAM keys' : 'a v3 object'}`, async () => {
      for (const entry of buildEtcdEntries(row, suffix)) {
        assert.match(entry.key, /^\/calico\/(resources\/v3\/projectcalico\.org|ipam\/v2)\//);
        assert.doesNotMatch(entry.key, /[<>]/, 'every placeholder filled');
        const readBack = await putAndReadBack(entry);
        assert.equal(readBack, entry.value, `${entry.key} reads back byte for byte`);
        if (row.etcd.type === 'resource') {
          const object = parseJson(readBack) as { kind: string; metadata: { name: string } };
          assert.equal(object.kind, row.kind);
          assert.ok(
            entry.key.endsWith(`/${object.metadata.name}`),
            'key ends with the object name',
          );
        }
      }
    });
  }

  it('keeps an IPAM block sequence number above 2^53 exact', async () => {
    const row = KINDS.find((r) => r.kind === 'IPAMBlock');
    assert.ok(row !== undefined);
    const [entry] = buildEtcdEntries(row, suffix);
    assert.ok(entry !== undefined);
    const block = parseJson((await putAndReadBack(entry)) ?? 'null') as { sequenceNumber: unknown };
    assert.equal(block.sequenceNumber, BLOCK_SEQUENCE_NUMBER);
  });
});

describe('Calico etcd refuses clients without the right certificates', () => {
  let env: TestEnv;
  let scratch: string;

  before(() => {
    env = loadTestEnv();
    scratch = mkdtempSync(join(tmpdir(), 'calico-migrate-wrong-ca-'));
  });

  after(() => {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  /** Reads a key with `options`; resolves to the error, or fails if it succeeds or hangs. */
  async function expectRefused(options: IOptions): Promise<Error> {
    const client = new Etcd3({ ...options, dialTimeout: 3_000 });
    try {
      const outcome = await Promise.race([
        client
          .get('/calico/resources/v3/projectcalico.org/ippools/x')
          .string()
          .then(
            () => 'succeeded',
            (error: unknown) => error,
          ),
        new Promise((resolve) => setTimeout(() => resolve('timed out'), 10_000).unref()),
      ]);
      assert.ok(
        outcome instanceof Error,
        `expected a refused connection, but the read ${String(outcome)}`,
      );
      return outcome;
    } finally {
      client.close();
    }
  }

  it('refuses a connection without a client certificate', async () => {
    const error = await expectRefused({
      hosts: env.etcd.endpoints,
      credentials: { rootCertificate: readFileSync(env.etcd.caCertFile) },
    });
    assert.match(error.message, /UNAVAILABLE/);
    assert.match(error.message, /bad certificate/i, 'the server rejects the handshake');
  });

  it('refuses a server whose certificate does not chain to the CA the client trusts', async () => {
    const wrongCa = await createCa(scratch, 'other-ca', 'some-other-etcd-ca');
    const error = await expectRefused({
      ...etcd3Options(env),
      credentials: {
        ...etcd3Options(env).credentials!,
        rootCertificate: readFileSync(wrongCa.cert),
      },
    });
    assert.match(error.message, /UNAVAILABLE/);
    assert.match(error.message, /unable to verify/i, 'the client rejects the server certificate');
  });

  it('refuses a client certificate signed by another CA', async () => {
    const otherCa = await createCa(scratch, 'rogue-ca', 'rogue-ca');
    const rogue = await issueCert(otherCa, scratch, 'rogue-client', '/CN=rogue-client');
    const error = await expectRefused({
      hosts: env.etcd.endpoints,
      credentials: {
        rootCertificate: readFileSync(env.etcd.caCertFile),
        certChain: readFileSync(rogue.cert),
        privateKey: readFileSync(rogue.key),
      },
    });
    assert.match(error.message, /UNAVAILABLE/);
    assert.match(error.message, /bad certificate|unknown ca/i, 'the server rejects the handshake');
  });
});
