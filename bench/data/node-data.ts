/**
 * Everything one node brings: the Node, its FelixConfiguration `node.<name>`, its IPv4 and IPv6
 * blocks (64-entry allocation arrays with churned ordinals and 64-bit sequence numbers), their
 * affinities, the two VXLAN tunnel handles, and its pods with one IPAM handle each.
 * Formats: calico-datastore-model.md §2 (IPAM) and §4 (Node).
 */
import { formatIpv4, formatIpv6 } from './addresses.js';
import {
  IPV4_POOL,
  IPV6_POOL,
  NAME_ALPHABET,
  NODE_NETWORK,
  goTimeString,
  namespaceName,
  nodeName,
  rfc3339,
  serviceAccountNames,
} from './naming.js';
import { Prng, seedFor } from '../lib/prng.js';
import type { ClusterShape } from './shape.js';
import { BLOCK_ADDRESSES, blocksPerNode } from './shape.js';
import type { SeedAttribute, SeedBlock, SeedObject, SeedPod } from './seed-objects.js';

/** An address handed out, and the CIDR of its block. */
interface Allocation {
  address: string;
  cidr: string;
}

/** One address family's blocks of a node, filled as the generator hands out addresses. */
class FamilyBlocks {
  readonly blocks: SeedBlock[];
  private readonly free: number[][];
  private readonly order: number[][];

  constructor(
    readonly family: 4 | 6,
    private readonly first: number,
    count: number,
    host: string,
    private readonly random: Prng,
  ) {
    this.blocks = Array.from({ length: count }, (_, i) => this.emptyBlock(first + i, host));
    // Churn: a block that has seen pods come and go hands out ordinals in no particular order.
    this.order = this.blocks.map(() =>
      random.shuffle(Array.from({ length: BLOCK_ADDRESSES }, (_, i) => i)),
    );
    this.free = this.order.map((ordinals) => [...ordinals]);
  }

  /** Takes the next free address (block 0 first, as Calico fills its affine block first). */
  allocate(attribute: SeedAttribute, preferOrdinalZero = false): Allocation {
    const index = this.free.findIndex((ordinals) => ordinals.length > 0);
    const free = this.free[index]!;
    const at = preferOrdinalZero && free.includes(0) ? free.indexOf(0) : 0;
    const [ordinal] = free.splice(at, 1) as [number];
    const block = this.blocks[index]!;
    block.allocations[ordinal] = block.attributes.length;
    block.attributes.push(attribute);
    block.sequenceNumberForAllocation.push([
      String(ordinal),
      block.sequenceNumber - BigInt(1 + this.random.int(5000)),
    ]);
    return { address: this.address(this.first + index, ordinal), cidr: block.cidr };
  }

  /** The blocks with their remaining free ordinals recorded, in Go's sorted map order. */
  finish(): SeedBlock[] {
    this.blocks.forEach((block, i) => {
      block.unallocated = this.free[i]!;
      block.sequenceNumberForAllocation.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    });
    return this.blocks;
  }

  private address(block: number, ordinal: number): string {
    return this.family === 4
      ? formatIpv4(IPV4_POOL.base + block * BLOCK_ADDRESSES + ordinal)
      : formatIpv6(IPV6_POOL.base + BigInt(block * BLOCK_ADDRESSES + ordinal));
  }

  private emptyBlock(block: number, host: string): SeedBlock {
    const prefix = this.family === 4 ? 26 : 122;
    return {
      type: 'block',
      cidr: `${this.address(block, 0)}/${prefix}`,
      family: this.family,
      host,
      claimTime: rfc3339(this.random.int(86_400 * 30)),
      allocations: Array<number | null>(BLOCK_ADDRESSES).fill(null),
      unallocated: [],
      attributes: [],
      // uint64 sequence numbers beyond 2^53: only a lossless JSON reader keeps them exact.
      sequenceNumber: (1n << 62n) + BigInt(this.random.int(1 << 30)) * 4096n,
      sequenceNumberForAllocation: [],
    };
  }
}

/** A random locally administered unicast MAC address. */
function randomMac(random: Prng): string {
  const bytes = [0x66, ...Array.from({ length: 5 }, () => random.int(256))];
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}

/** A name suffix like Kubernetes generates (`rand.String`). */
function nameSuffix(random: Prng, length: number): string {
  return Array.from({ length }, () => random.pick([...NAME_ALPHABET])).join('');
}

/** Yields every object of node `index`, in the order Calico would have created them. */
export function* generateNode(shape: ClusterShape, index: number): Generator<SeedObject> {
  const random = new Prng(seedFor('node', index));
  const name = nodeName(index);
  const perFamily = blocksPerNode(shape.podsPerNode);
  const v4 = new FamilyBlocks(4, index * perFamily, perFamily, name, random);
  const v6 = new FamilyBlocks(6, index * perFamily, perFamily, name, random);
  const tunnel = (type: string, family: FamilyBlocks) => {
    const handle = `${type === 'vxlanTunnelAddress' ? 'vxlan' : 'vxlan-v6'}-tunnel-addr-${name}`;
    const allocation = family.allocate(
      { handle_id: handle, secondary: { node: name, type } },
      true,
    );
    return { handle, ...allocation };
  };
  const v4Tunnel = tunnel('vxlanTunnelAddress', v4);
  const v6Tunnel = tunnel('vxlanV6TunnelAddress', v6);
  const pods = Array.from({ length: shape.podsPerNode }, (_, k) =>
    generatePod(shape, index * shape.podsPerNode + k, name, random, v4, v6),
  );
  yield {
    type: 'node',
    name,
    labels: {
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': name,
      'kubernetes.io/os': 'linux',
      'topology.kubernetes.io/zone': `zone-${String.fromCharCode(97 + (index % 3))}`,
    },
    ipv4Address: formatIpv4(NODE_NETWORK.base + index),
    ipv4Prefix: NODE_NETWORK.prefix,
    vxlanTunnelAddr: v4Tunnel.address,
    vxlanTunnelMac: randomMac(random),
    vxlanV6TunnelAddr: v6Tunnel.address,
    vxlanV6TunnelMac: randomMac(random),
  };
  // calico-node creates node.<name> with defaultEndpointToHostAction Return in etcd mode
  // (node/pkg/lifecycle/startup/startup.go).
  yield {
    type: 'resource',
    kind: 'FelixConfiguration',
    plural: 'felixconfigurations',
    name: `node.${name}`,
    spec: { defaultEndpointToHostAction: 'Return' },
  };
  for (const block of [...v4.finish(), ...v6.finish()]) {
    yield block;
    yield { type: 'affinity', host: name, cidr: block.cidr, family: block.family };
  }
  yield { type: 'handle', id: v4Tunnel.handle, blocks: { [v4Tunnel.cidr]: 1 } };
  yield { type: 'handle', id: v6Tunnel.handle, blocks: { [v6Tunnel.cidr]: 1 } };
  for (const { pod, handle } of pods) {
    yield pod;
    yield handle;
  }
}

/** One pod with a dual-stack address and its IPAM handle `k8s-pod-network.<containerID>`. */
function generatePod(
  shape: ClusterShape,
  podIndex: number,
  node: string,
  random: Prng,
  v4: FamilyBlocks,
  v6: FamilyBlocks,
): { pod: SeedPod; handle: SeedObject } {
  const namespace = namespaceName(podIndex % shape.namespaces);
  const app = Math.floor(podIndex / shape.namespaces) % 10;
  const accounts = serviceAccountNames(shape.serviceAccountsPerNamespace);
  const templateHash = nameSuffix(new Prng(seedFor(`${namespace}/app-${app}`, 0)), 10);
  const name = `app-${app}-${templateHash}-${nameSuffix(random, 5)}`;
  const containerId = random.hex(64);
  const handleId = `k8s-pod-network.${containerId}`;
  const secondary = {
    namespace,
    node,
    pod: name,
    timestamp: goTimeString(random.int(86_400 * 60), random.int(1e9)),
  };
  const ipv4 = v4.allocate({ handle_id: handleId, secondary });
  const ipv6 = v6.allocate({ handle_id: handleId, secondary });
  return {
    pod: {
      type: 'pod',
      name,
      namespace,
      node,
      serviceAccount: accounts[app % accounts.length]!,
      labels: { app: `app-${app}`, 'pod-template-hash': templateHash },
      containerId,
      ipv4: ipv4.address,
      ipv6: ipv6.address,
    },
    handle: { type: 'handle', id: handleId, blocks: { [ipv4.cidr]: 1, [ipv6.cidr]: 1 } },
  };
}
