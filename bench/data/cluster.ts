/**
 * The whole generated cluster, as a stream: cluster-wide objects first (configuration, tiers,
 * pools, global policies and sets), then namespaces with their service accounts, policies and
 * network sets, then node after node (see node-data.ts). Namespaces come before anything that
 * lives in them. Only bounded state is kept, so millions of objects can stream through.
 */
import { formatIpv4 } from './addresses.js';
import { IPV4_POOL, IPV6_POOL, namespaceName, serviceAccountNames } from './naming.js';
import { generateNode } from './node-data.js';
import { Prng, seedFor } from '../lib/prng.js';
import type { ClusterShape } from './shape.js';
import { BLOCK_ADDRESSES, blocksPerNode } from './shape.js';
import type { SeedObject, SeedResource } from './seed-objects.js';

/** Yields every object of the cluster `shape` describes; the same shape yields the same data. */
export function* generateCluster(shape: ClusterShape): Generator<SeedObject> {
  yield* generateClusterWide(shape);
  for (let i = 0; i < shape.namespaces; i++) {
    yield { type: 'namespace', name: namespaceName(i), labels: { team: `team-${i % 7}` } };
  }
  for (let i = 0; i < shape.namespaces; i++) yield* generateNamespaceContent(shape, i);
  for (let i = 0; i < shape.nodes; i++) yield* generateNode(shape, i);
  yield* generateLeakedHandles(shape);
}

/**
 * Handles left behind by pods whose addresses were released without their handle (the IPAM
 * garbage collector had not run): each names a block of some node but holds no allocation there.
 */
function* generateLeakedHandles(shape: ClusterShape): Generator<SeedObject> {
  const random = new Prng(seedFor('leaked', 0));
  const blocks = shape.nodes * blocksPerNode(shape.podsPerNode);
  for (let i = 0; i < shape.leakedHandles; i++) {
    const block = random.int(blocks);
    const cidr = `${formatIpv4(IPV4_POOL.base + block * BLOCK_ADDRESSES)}/26`;
    yield { type: 'handle', id: `k8s-pod-network.${random.hex(64)}`, blocks: { [cidr]: 1 } };
  }
}

const resource = (
  kind: string,
  plural: string,
  name: string,
  spec: Record<string, unknown>,
  extra: Partial<SeedResource> = {},
): SeedResource => ({ type: 'resource', kind, plural, name, spec, ...extra });

/** Singletons (created if absent), tiers, pools, BGP peers, global policies and sets. */
function* generateClusterWide(shape: ClusterShape): Generator<SeedObject> {
  yield* generateSingletons();
  yield* generateTiersAndPools();
  for (let i = 0; i < shape.globalPolicies; i++) yield globalPolicy(i);
  for (let i = 0; i < shape.globalNetworkSets; i++) yield globalNetworkSet(i);
}

/** Objects every cluster has once; created only if absent (see SeedResource.singleton). */
function* generateSingletons(): Generator<SeedObject> {
  const random = new Prng(seedFor('cluster', 0));
  const once = { singleton: true };
  yield resource(
    'ClusterInformation',
    'clusterinformations',
    'default',
    {
      clusterGUID: random.hex(32),
      clusterType: 'k8s,bgp,kubeadm',
      calicoVersion: 'v3.32.1',
      datastoreReady: true,
    },
    once,
  );
  yield resource(
    'FelixConfiguration',
    'felixconfigurations',
    'default',
    {
      bpfLogLevel: '',
      floatingIPs: 'Disabled',
      healthPort: 9099,
      logSeverityScreen: 'Info',
      reportingInterval: '0s',
      vxlanEnabled: true,
    },
    once,
  );
  yield resource(
    'BGPConfiguration',
    'bgpconfigurations',
    'default',
    {
      asNumber: 64512,
      logSeverityScreen: 'Info',
      nodeToNodeMeshEnabled: false,
      serviceClusterIPs: [{ cidr: '10.96.0.0/12' }],
    },
    once,
  );
  yield resource(
    'KubeControllersConfiguration',
    'kubecontrollersconfigurations',
    'default',
    {
      controllers: {
        namespace: { reconcilerPeriod: '5m0s' },
        node: {
          hostEndpoint: { autoCreate: 'Disabled' },
          reconcilerPeriod: '5m0s',
          syncLabels: 'Enabled',
        },
        policy: { reconcilerPeriod: '5m0s' },
        serviceAccount: { reconcilerPeriod: '5m0s' },
        workloadEndpoint: { reconcilerPeriod: '5m0s' },
      },
      etcdV3CompactionPeriod: '10m0s',
      healthChecks: 'Enabled',
      logSeverityScreen: 'Info',
    },
    { ...once, status: {} },
  );
  yield { type: 'ipam-config', strictAffinity: false, autoAllocateBlocks: true };
}

/** The built-in and two custom tiers, the IPv4 and IPv6 pools, and route-reflector peers. */
function* generateTiersAndPools(): Generator<SeedObject> {
  // Built-in tiers exist in every cluster (libcalico-go/lib/clientv3/client.go EnsureInitialized).
  const tiers: [string, number, string, boolean][] = [
    ['default', 1_000_000, 'Deny', true],
    ['kube-admin', 1_000, 'Pass', true],
    ['kube-baseline', 10_000_000, 'Pass', true],
    ['bench-security', 100, 'Deny', false],
    ['bench-platform', 200, 'Pass', false],
  ];
  for (const [name, order, defaultAction, singleton] of tiers) {
    yield resource('Tier', 'tiers', name, { defaultAction, order }, { singleton, status: {} });
  }
  yield resource(
    'IPPool',
    'ippools',
    'bench-ipv4-pool',
    {
      allowedUses: ['Workload', 'Tunnel'],
      assignmentMode: 'Automatic',
      blockSize: 26,
      cidr: IPV4_POOL.cidr,
      ipipMode: 'Never',
      natOutgoing: true,
      nodeSelector: 'all()',
      vxlanMode: 'Always',
    },
    { status: {} },
  );
  yield resource(
    'IPPool',
    'ippools',
    'bench-ipv6-pool',
    {
      allowedUses: ['Workload', 'Tunnel'],
      assignmentMode: 'Automatic',
      blockSize: 122,
      cidr: IPV6_POOL.cidr,
      ipipMode: 'Never',
      nodeSelector: 'all()',
      vxlanMode: 'Always',
    },
    { status: {} },
  );
  for (const zone of ['a', 'b']) {
    yield resource('BGPPeer', 'bgppeers', `bench-rr-zone-${zone}`, {
      nodeSelector: `topology.kubernetes.io/zone == 'zone-${zone}'`,
      peerSelector: "route-reflector == 'true'",
    });
  }
}

/** A global network set of eight /28s from the documentation range. */
function globalNetworkSet(index: number): SeedResource {
  const nets = Array.from(
    { length: 8 },
    (_, j) => `${formatIpv4(0xcb007100 + index * 256 + j * 16)}/28`,
  );
  return resource(
    'GlobalNetworkSet',
    'globalnetworksets',
    `bench-external-${index}`,
    { nets },
    {
      labels: { role: `external-${index % 5}` },
    },
  );
}

/** A tiered global policy: egress to DNS and ingress on a port from a role. */
function globalPolicy(index: number): SeedResource {
  const tier = ['default', 'bench-security', 'bench-platform'][index % 3]!;
  return resource(
    'GlobalNetworkPolicy',
    'globalnetworkpolicies',
    `bench-gnp-${index}`,
    {
      tier,
      order: 100 + index,
      selector: `team == 'team-${index % 7}'`,
      types: ['Ingress', 'Egress'],
      ingress: [
        {
          action: 'Allow',
          protocol: 'TCP',
          source: { selector: `role == 'external-${index % 5}'` },
          destination: { ports: [443, 8443] },
        },
      ],
      egress: [
        {
          action: 'Allow',
          protocol: 'UDP',
          destination: { selector: "k8s-app == 'kube-dns'", ports: [53] },
        },
      ],
    },
    { labels: { 'projectcalico.org/tier': tier } },
  );
}

/** A namespace's service accounts, policies (Calico and, in etcd, converted Kubernetes ones) and sets. */
function* generateNamespaceContent(shape: ClusterShape, index: number): Generator<SeedObject> {
  const namespace = namespaceName(index);
  for (const name of serviceAccountNames(shape.serviceAccountsPerNamespace)) {
    yield { type: 'service-account', namespace, name, labels: {} };
  }
  const tierLabel = { 'projectcalico.org/tier': 'default' };
  for (let j = 0; j < shape.policiesPerNamespace; j++) {
    yield resource(
      'NetworkPolicy',
      'networkpolicies',
      `allow-app-${j}`,
      {
        tier: 'default',
        order: 100 + j,
        selector: `app == 'app-${j}'`,
        types: ['Ingress'],
        ingress: [
          {
            action: 'Allow',
            protocol: 'TCP',
            source: { selector: `app == 'app-${(j + 1) % 10}'` },
            destination: { ports: [8080, '9000:9100'] },
          },
        ],
      },
      { namespace, labels: tierLabel },
    );
  }
  if (shape.backend === 'etcd') {
    // kube-controllers' copy of a Kubernetes NetworkPolicy (kube-controllers/pkg/converter/networkpolicy_converter.go).
    for (let j = 0; j < shape.kubernetesPoliciesPerNamespace; j++) {
      yield resource(
        'NetworkPolicy',
        'networkpolicies',
        `knp.default.deny-all-${j}`,
        {
          tier: 'default',
          order: 1000,
          selector: "projectcalico.org/orchestrator == 'k8s'",
          types: ['Ingress'],
        },
        { namespace, labels: tierLabel },
      );
    }
  }
  for (let j = 0; j < shape.networkSetsPerNamespace; j++) {
    const nets = Array.from(
      { length: 4 },
      (_, k) => `${formatIpv4(0xc6336400 + index * 64 + k * 16)}/28`,
    );
    yield resource(
      'NetworkSet',
      'networksets',
      `partners-${j}`,
      { nets },
      {
        namespace,
        labels: { role: 'partners' },
      },
    );
  }
}
