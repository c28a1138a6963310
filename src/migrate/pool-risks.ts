/**
 * IP pools used from both sides of a hybrid split. IP pools are shared, so after the split the same
 * pool exists in KDD and in etcd, and Calico in each datastore allocates from it without seeing the
 * other's blocks (Calico claims a block by creating it in its own datastore, libcalico-go/lib/ipam/
 * ipam.go claimAffineBlock). For a pool with blocks on both sides that is two allocators on one
 * range: either can claim a block the other already uses and hand out the same addresses.
 */
import type { Cidr } from '../model/cidr.js';
import { formatCidr, parseCidr } from '../model/cidr.js';
import { cidrWithin, compareCidrs, halveCidr } from './cidr-split.js';
import type { HybridContext, MigrationSide } from './hybrid-context.js';
import type { BlockFact, PoolFact } from './hybrid-facts.js';

/** Block names per side. */
export type BlocksBySide = Record<MigrationSide, string[]>;

/** Block counts per side. */
export type SideCounts = Record<MigrationSide, number>;

/**
 * A proposed division of a pool's CIDR into a Kubernetes half and an OpenStack half. Calico refuses
 * a second pool overlapping an existing one and a change of a pool's CIDR
 * (libcalico-go/lib/clientv3/ippool.go validateAndSetDefaults), so the pool stays as it is in both
 * datastores and each datastore reserves the other side's half with an IPReservation: reservations
 * stop new allocations only, addresses in use keep working (api/pkg/apis/projectcalico/v3/
 * ipreservation.go), and IPAM skips a block that is wholly reserved (libcalico-go/lib/ipam/
 * ipam_block_reader_writer.go findUsableBlock).
 */
export interface PoolSplit {
  kubernetesCidr: string;
  openstackCidr: string;
  /** The existing blocks inside each half, by side. */
  inKubernetesHalf: BlocksBySide;
  inOpenStackHalf: BlocksBySide;
}

/** The CIDRs each datastore should reserve so that it never allocates what the other side owns. */
export interface Reservations {
  kdd: string[];
  etcd: string[];
}

/** A pool with blocks on both sides. */
export interface PoolRisk {
  pool: string;
  cidr: string;
  blocks: SideCounts;
  risk: string;
  /** `undefined` when the pool cannot be divided (one block spans it). */
  split?: PoolSplit;
  reservations: Reservations;
  suggestion: string;
}

/** How each pool is used. */
export interface PoolUsage {
  pool: string;
  cidr: string;
  blocks: SideCounts;
}

/** The pool assessment of a hybrid source. */
export interface PoolAssessment {
  /** Every pool, sorted by name. */
  pools: PoolUsage[];
  /** Pools with Kubernetes-side and OpenStack-side blocks, sorted by name. */
  risks: PoolRisk[];
  /** Blocks inside no pool (left over from a deleted pool), sorted by CIDR. */
  blocksOutsidePools: string[];
}

/** Default `blockSize` per family (api/pkg/apis/projectcalico/v3/ippool.go). */
const DEFAULT_BLOCK_SIZE = { 4: 26, 6: 122 } as const;

interface ParsedBlock {
  fact: BlockFact;
  cidr: Cidr;
  side: MigrationSide;
}

interface ParsedPool {
  fact: PoolFact;
  cidr: Cidr;
  blocks: ParsedBlock[];
}

/** Counts each pool's blocks per side and describes the pools used from both sides. */
export function assessPools(context: HybridContext): PoolAssessment {
  const pools: ParsedPool[] = [];
  for (const fact of context.facts.pools) {
    const cidr = parseCidr(fact.cidr);
    if (cidr) pools.push({ fact, cidr, blocks: [] });
  }
  const outside: { name: string; cidr: Cidr }[] = [];
  for (const fact of context.facts.blocks) {
    const cidr = parseCidr(fact.cidr);
    if (!cidr) continue;
    const side = context.blockSides.get(fact.cidr)?.side ?? 'shared';
    const pool = pools
      .filter((candidate) => cidrWithin(cidr, candidate.cidr))
      .sort((a, b) => b.cidr.prefixLength - a.cidr.prefixLength)[0];
    if (pool) pool.blocks.push({ fact, cidr, side });
    else outside.push({ name: fact.name, cidr });
  }
  pools.sort((a, b) => a.fact.name.localeCompare(b.fact.name));
  for (const pool of pools) pool.blocks.sort((a, b) => compareCidrs(a.cidr, b.cidr));
  const usage = pools.map((pool) => ({
    pool: pool.fact.name,
    cidr: formatCidr(pool.cidr),
    blocks: countSides(pool.blocks.map((block) => block.side)),
  }));
  const risks = pools
    .filter((pool) => pool.blocks.some((b) => b.side === 'kubernetes'))
    .filter((pool) => pool.blocks.some((b) => b.side === 'openstack'))
    .map(describeRisk);
  outside.sort((a, b) => compareCidrs(a.cidr, b.cidr));
  return { pools: usage, risks, blocksOutsidePools: outside.map((block) => block.name) };
}

function countSides(sides: MigrationSide[]): SideCounts {
  const counts: SideCounts = { kubernetes: 0, openstack: 0, shared: 0 };
  for (const side of sides) counts[side]++;
  return counts;
}

function describeRisk(pool: ParsedPool): PoolRisk {
  const name = pool.fact.name;
  const cidr = formatCidr(pool.cidr);
  const blocks = countSides(pool.blocks.map((block) => block.side));
  const risk =
    `IP pool ${name} (${cidr}) has ${blocks.kubernetes} block(s) on Kubernetes nodes and ` +
    `${blocks.openstack} on OpenStack hosts. After the split, Calico in KDD and Calico in etcd both ` +
    'allocate from this pool independently, each without seeing the blocks of the other, so they ' +
    'can claim the same block and hand out the same addresses.' +
    (blocks.shared > 0
      ? ` ${blocks.shared} block(s) without a single owner are copied to both datastores, and both can allocate their free addresses.`
      : '');
  const split = proposeSplit(pool);
  if (!split) {
    return {
      pool: name,
      cidr,
      blocks,
      risk,
      reservations: {
        kdd: cidrsOf(pool.blocks.filter((b) => b.side === 'openstack')),
        etcd: cidrsOf(pool.blocks.filter((b) => b.side === 'kubernetes')),
      },
      suggestion: describeUndividable(name, cidr),
    };
  }
  const byName = new Map(pool.blocks.map((block) => [block.fact.name, block]));
  const cidrsNamed = (names: string[]) => cidrsOf(names.map((n) => byName.get(n)!));
  const reservations = {
    kdd: [split.openstackCidr, ...cidrsNamed(split.inKubernetesHalf.openstack)],
    etcd: [split.kubernetesCidr, ...cidrsNamed(split.inOpenStackHalf.kubernetes)],
  };
  return { pool: name, cidr, blocks, risk, split, reservations, suggestion: describeSplit(split) };
}

function cidrsOf(blocks: ParsedBlock[]): string[] {
  return blocks.map((block) => formatCidr(block.cidr));
}

/**
 * Halves the pool CIDR and gives each side the half that already holds more of its blocks (fewest
 * blocks in the wrong half; on a tie Kubernetes gets the lower half). Not possible when the pool is
 * not larger than one block, or an existing block covers the whole pool: a block must lie inside
 * one pool.
 */
function proposeSplit(pool: ParsedPool): PoolSplit | undefined {
  const blockSize = pool.fact.blockSize ?? DEFAULT_BLOCK_SIZE[pool.cidr.version];
  const prefix = pool.cidr.prefixLength;
  if (prefix >= blockSize || pool.blocks.some((b) => b.cidr.prefixLength <= prefix))
    return undefined;
  const halves = halveCidr(pool.cidr);
  if (!halves) return undefined;
  const [lower, upper] = halves;
  const inLower = blocksBySide(pool, lower);
  const inUpper = blocksBySide(pool, upper);
  const misplacedIfK8sLower = inUpper.kubernetes.length + inLower.openstack.length;
  const misplacedIfK8sUpper = inLower.kubernetes.length + inUpper.openstack.length;
  const k8sLower = misplacedIfK8sLower <= misplacedIfK8sUpper;
  return {
    kubernetesCidr: formatCidr(k8sLower ? lower : upper),
    openstackCidr: formatCidr(k8sLower ? upper : lower),
    inKubernetesHalf: k8sLower ? inLower : inUpper,
    inOpenStackHalf: k8sLower ? inUpper : inLower,
  };
}

function blocksBySide(pool: ParsedPool, half: Cidr): BlocksBySide {
  const result: BlocksBySide = { kubernetes: [], openstack: [], shared: [] };
  for (const block of pool.blocks) {
    if (cidrWithin(block.cidr, half)) result[block.side].push(block.fact.name);
  }
  return result;
}

const MAX_LISTED = 5;

function listNames(names: string[]): string {
  if (names.length <= MAX_LISTED) return names.join(', ');
  return `${names.slice(0, MAX_LISTED).join(', ')} and ${names.length - MAX_LISTED} more`;
}

function describeSplit(split: PoolSplit): string {
  const parts = [
    `Divide the range: ${split.kubernetesCidr} for Kubernetes, ${split.openstackCidr} for OpenStack. ` +
      `In KDD create an IPReservation for ${split.openstackCidr}; in etcd create one for ` +
      `${split.kubernetesCidr}. The pool stays as it is on both sides (pools cannot overlap and a ` +
      "pool's CIDR cannot change); reservations only stop new allocations, addresses in use keep working.",
  ];
  const strayOpenStack = split.inKubernetesHalf.openstack;
  if (strayOpenStack.length > 0) {
    parts.push(
      `OpenStack block(s) ${listNames(strayOpenStack)} lie in the Kubernetes half: add their CIDRs ` +
        'to the reservation in KDD, so that Calico in KDD never claims them.',
    );
  }
  const strayK8s = split.inOpenStackHalf.kubernetes;
  if (strayK8s.length > 0) {
    parts.push(
      `Kubernetes block(s) ${listNames(strayK8s)} lie in the OpenStack half: add their CIDRs to ` +
        'the reservation in etcd, so that OpenStack hosts never claim them once their etcd copies are released.',
    );
  }
  return parts.join(' ');
}

function describeUndividable(pool: string, cidr: string): string {
  return (
    `${cidr} cannot be divided (one block spans it). Leave it to Kubernetes: in etcd set ` +
    `spec.nodeSelector: "!all()" on ${pool} and give OpenStack hosts a new pool outside ${cidr}; in ` +
    'KDD reserve the OpenStack blocks with an IPReservation (the CIDRs listed), and in etcd the ' +
    'Kubernetes blocks.'
  );
}
