/**
 * Seeds Calico's test etcd with the etcd form of the dataset (test/fixtures/dataset), or with any
 * list of keys, and opens etcd3 clients on it with the test environment's client certificate.
 */
import { Etcd3 } from 'etcd3';
import type { EtcdExtraKey } from '../fixtures/dataset/index.js';
import { buildEtcdSeed } from '../fixtures/dataset/index.js';
import type { TestEnv } from './testenv.js';
import { etcd3Options } from './testenv.js';

/** A client of the test environment's Calico etcd (mutual TLS). */
export function openTestEtcd(env: TestEnv): Etcd3 {
  // Large receive limit: saving other users' data (e.g. benchmark objects) reads big pages.
  return new Etcd3({
    ...etcd3Options(env),
    grpcOptions: { 'grpc.max_receive_message_length': 256 * 1024 * 1024 },
  });
}

/** Puts every key, a batch of puts at a time; returns the store revision afterwards. */
export async function putKeys(client: Etcd3, keys: readonly EtcdExtraKey[]): Promise<string> {
  for (let i = 0; i < keys.length; i += 64) {
    await Promise.all(keys.slice(i, i + 64).map(({ key, value }) => client.put(key).value(value)));
  }
  const response = await client.kv.range({
    key: Buffer.from('/calico/'),
    limit: 1,
    keys_only: true,
  });
  return String(response.header.revision);
}

/** Seeds the whole etcd form of the dataset (portable part, etcd-only part, raw and runtime keys). */
export async function seedEtcdDataset(client: Etcd3): Promise<EtcdExtraKey[]> {
  const keys = buildEtcdSeed();
  await putKeys(client, keys);
  return keys;
}
