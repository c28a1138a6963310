/**
 * Finds benchmark data in etcd without knowing the shape that was seeded: everything the generator
 * writes has `bench-` in its name or an address in the benchmark's pools, except pod handles, which
 * are recognised by the blocks they point into. Used after the precise, shape-based delete, for
 * data that came back another way (a test that saved `/calico/` while a benchmark ran restores it
 * later) or whose shape file was lost.
 */
import type { Etcd3 } from 'etcd3';
import { IPV4_POOL, IPV6_POOL } from '../data/naming.js';
import { formatIpv6 } from '../data/addresses.js';

const V3 = '/calico/resources/v3/projectcalico.org/';
const IPAM = '/calico/ipam/v2/';

/** Key prefixes that only the benchmark's data uses. */
function benchPrefixes(): string[] {
  const named = [
    'nodes',
    'ippools',
    'bgppeers',
    'globalnetworkpolicies',
    'globalnetworksets',
    'tiers',
  ];
  const namespaced = ['networkpolicies', 'networksets', 'workloadendpoints'];
  const [first, second] = [IPV4_POOL.base >>> 24, (IPV4_POOL.base >>> 16) & 0xff];
  const v4Blocks = Array.from(
    { length: 2 ** (16 - IPV4_POOL.prefix) }, // second octets the pool spans
    (_, i) => `${IPAM}assignment/ipv4/block/${first}.${second + i}.`,
  );
  const v6Head = formatIpv6(IPV6_POOL.base).replace(/::$/, ':');
  return [
    ...named.map((plural) => `${V3}${plural}/bench-`),
    ...namespaced.map((plural) => `${V3}${plural}/bench-ns-`),
    `${V3}felixconfigurations/node.bench-node-`,
    `${V3}profiles/kns.bench-ns-`,
    `${V3}profiles/ksa.bench-ns-`,
    `${IPAM}host/bench-node-`,
    `${IPAM}handle/vxlan-tunnel-addr-bench-node-`,
    `${IPAM}handle/vxlan-v6-tunnel-addr-bench-node-`,
    ...v4Blocks,
    `${IPAM}assignment/ipv6/block/${v6Head}`,
  ];
}

/** The exclusive end of the range of keys starting with `prefix`. */
function rangeEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  end[end.length - 1]!++;
  return end;
}

/** Deletes every benchmark key still in etcd; returns how many there were. */
export async function sweepEtcd(client: Etcd3): Promise<number> {
  let deleted = 0;
  for (const prefix of benchPrefixes()) {
    const result = await client.kv.deleteRange({
      key: Buffer.from(prefix),
      range_end: rangeEnd(prefix),
    });
    deleted += Number(result.deleted);
  }
  // Pod handles (`k8s-pod-network.<container ID>`) that name a block of the benchmark's IPv4 pool.
  const handles = `${IPAM}handle/k8s-pod-network.`;
  const [first, second] = [IPV4_POOL.base >>> 24, (IPV4_POOL.base >>> 16) & 0xff];
  const last = second + 2 ** (16 - IPV4_POOL.prefix) - 1;
  const pool = new RegExp(`"${first}\\.(\\d+)\\.\\d+\\.\\d+/26"`);
  let start = Buffer.from(handles);
  for (;;) {
    const page = await client.kv.range({ key: start, range_end: rangeEnd(handles), limit: 2000 });
    const ours = page.kvs.filter((kv) => {
      const octet = Number(pool.exec(kv.value.toString())?.[1] ?? -1);
      return octet >= second && octet <= last;
    });
    for (const kv of ours)
      deleted += Number((await client.kv.deleteRange({ key: kv.key })).deleted);
    if (!page.more || page.kvs.length === 0) return deleted;
    start = Buffer.concat([page.kvs.at(-1)!.key, Buffer.from([0])]);
  }
}
