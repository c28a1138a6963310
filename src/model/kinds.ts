/**
 * The kinds table: one row per Calico kind, as listed in calico-datastore-model.md §1.2. Export,
 * import order and verification are all driven from here, so a kind can only be handled if it has
 * a row, and a row says explicitly when a kind is not exported and why.
 *
 * Facts are from projectcalico/calico at 87c15906 unless a row says otherwise; each row names the
 * source files behind it.
 */

/** Whether objects of a kind live in a namespace. */
export const Scope = { Cluster: 'cluster', Namespaced: 'namespaced' } as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

/** Where a kind lives in Calico's etcd v3 datastore. */
export type EtcdStorage =
  /** `/calico/resources/v3/projectcalico.org/<plural>/[<namespace>/]<name>`, value = v3 JSON. */
  | { type: 'resource'; plural: string }
  /** IPAM model JSON under `/calico/ipam/v2/` (not a v3 object; converted by the etcd codec). */
  | { type: 'ipam'; keys: readonly string[] }
  /** Not stored in etcd. */
  | { type: 'none'; why: string };

/** Where a kind lives in the Kubernetes API datastore. */
export type KddStorage =
  /** A Calico CRD: `<v1Plural>.crd.projectcalico.org/v1` in v1 CRD mode, `<plural>.projectcalico.org/v3` in v3 mode. */
  | { type: 'crd'; v1Kind: string; v1Plural: string }
  /** Stored inside a Kubernetes object that is not a Calico CRD. */
  | { type: 'k8s-native'; source: string }
  /** Synthesized on read from Kubernetes objects; never stored as a Calico object. */
  | { type: 'derived'; source: string }
  /** A CRD outside the Calico data groups (operational, or a Kubernetes API Calico reads). */
  | { type: 'other-crd'; group: string; plural: string; kind: string }
  /** Not stored at all. */
  | { type: 'none'; why: string };

/** How much of a kind is derived from other data and can be regenerated. */
export type Derivation = 'never' | 'some' | 'always';

/** One row of the kinds table. */
export interface KindInfo {
  /** The `projectcalico.org/v3` kind (the canonical in-archive kind). */
  readonly kind: string;
  /** Lower-case plural, as in etcd keys and v3 CRD names. */
  readonly plural: string;
  readonly scope: Scope;
  readonly etcd: EtcdStorage;
  readonly kdd: KddStorage;
  /** Whether objects of this kind are derived from other data (see `model/derived.ts`). */
  readonly derived: Derivation;
  /** Whether export writes this kind into archives. */
  readonly exported: boolean;
  /** Import order, lowest first; kinds with equal order have no dependency on each other. `null`: never imported. */
  readonly order: number | null;
  /** Why the kind sits at this order (or why it is not exported), citing the Calico rule. */
  readonly reason: string;
  /** Whether the kind has a `status` that Calico writes through a status subresource or the Node status. */
  readonly hasStatus: boolean;
}

const v3Resource = (plural: string): EtcdStorage => ({ type: 'resource', plural });
const calicoCrd = (v1Kind: string, v1Plural: string): KddStorage => ({
  type: 'crd',
  v1Kind,
  v1Plural,
});

/**
 * Every Calico kind. Order groups: 10 tiers, 20 cluster configuration, 30 nodes, 40 pools and BGP,
 * 50 network sets, 55 policies, 60 endpoints, 70 workload data, 80-82 IPAM, 90 node status,
 * 100 ClusterInformation.
 */
export const KINDS: readonly KindInfo[] = [
  {
    kind: 'Tier',
    plural: 'tiers',
    scope: Scope.Cluster,
    etcd: v3Resource('tiers'),
    kdd: calicoCrd('Tier', 'tiers'),
    derived: 'never',
    exported: true,
    order: 10,
    reason:
      'Policies name their tier, and Calico refuses a tiered policy whose tier does not exist ' +
      '(calicoctl/calicoctl/commands/datastore/migrate/export.go: "Must come before policies"). ' +
      'The built-in tiers default, kube-admin and kube-baseline are created by EnsureInitialized ' +
      '(libcalico-go/lib/clientv3/client.go) and usually exist already.',
    hasStatus: true,
  },
  {
    kind: 'FelixConfiguration',
    plural: 'felixconfigurations',
    scope: Scope.Cluster,
    etcd: v3Resource('felixconfigurations'),
    kdd: calicoCrd('FelixConfiguration', 'felixconfigurations'),
    derived: 'never',
    exported: true,
    order: 20,
    reason:
      'Cluster-wide configuration with no references to other Calico objects; written early so ' +
      'Felix sees its settings before endpoints appear. Per-node objects are named node.<node>.',
    hasStatus: false,
  },
  {
    kind: 'BGPConfiguration',
    plural: 'bgpconfigurations',
    scope: Scope.Cluster,
    etcd: v3Resource('bgpconfigurations'),
    kdd: calicoCrd('BGPConfiguration', 'bgpconfigurations'),
    derived: 'never',
    exported: true,
    order: 20,
    reason: 'Cluster-wide configuration with no dependencies; per-node objects are node.<node>.',
    hasStatus: false,
  },
  {
    kind: 'KubeControllersConfiguration',
    plural: 'kubecontrollersconfigurations',
    scope: Scope.Cluster,
    etcd: v3Resource('kubecontrollersconfigurations'),
    kdd: calicoCrd('KubeControllersConfiguration', 'kubecontrollersconfigurations'),
    derived: 'never',
    exported: true,
    order: 20,
    reason:
      'Configuration with no dependencies. The KDD backend rejects ' +
      'spec.controllers.node.syncLabels=Disabled (libcalico-go/lib/backend/k8s/resources/kubecontrollersconfig.go).',
    hasStatus: true,
  },
  {
    kind: 'IPAMConfiguration',
    plural: 'ipamconfigurations',
    scope: Scope.Cluster,
    etcd: { type: 'ipam', keys: ['/calico/ipam/v2/config'] },
    kdd: calicoCrd('IPAMConfig', 'ipamconfigs'),
    derived: 'never',
    exported: true,
    order: 20,
    reason:
      'IPAM settings must be in place before any block is written. In etcd the IPAM library reads ' +
      '/calico/ipam/v2/config (libcalico-go/lib/backend/model/ipam_config.go); the separate v3 key ' +
      'ipamconfigurations/default is not read by IPAM and is kept as a raw etcd entry.',
    hasStatus: false,
  },
  {
    kind: 'Node',
    plural: 'nodes',
    scope: Scope.Cluster,
    etcd: v3Resource('nodes'),
    kdd: {
      type: 'k8s-native',
      source: 'core/v1 Node (Calico data in projectcalico.org/* annotations)',
    },
    derived: 'never',
    exported: true,
    order: 30,
    reason:
      'Must come before resources that reference node names (calicoctl export.go, "nodes"). In KDD ' +
      'a Calico Node is written onto an existing Kubernetes Node (libcalico-go/lib/backend/k8s/resources/node.go).',
    hasStatus: true,
  },
  {
    kind: 'IPPool',
    plural: 'ippools',
    scope: Scope.Cluster,
    etcd: v3Resource('ippools'),
    kdd: calicoCrd('IPPool', 'ippools'),
    derived: 'never',
    exported: true,
    order: 40,
    reason:
      'IPAM blocks are carved from pools, so pools come before IPAM (libcalico-go/lib/ipam/ipam.go).',
    hasStatus: true,
  },
  {
    kind: 'IPReservation',
    plural: 'ipreservations',
    scope: Scope.Cluster,
    etcd: v3Resource('ipreservations'),
    kdd: calicoCrd('IPReservation', 'ipreservations'),
    derived: 'never',
    exported: true,
    order: 40,
    reason:
      'Restricts IPAM; like pools it must exist before IPAM data (libcalico-go/lib/ipam/ipam.go).',
    hasStatus: false,
  },
  {
    kind: 'BGPFilter',
    plural: 'bgpfilters',
    scope: Scope.Cluster,
    etcd: v3Resource('bgpfilters'),
    kdd: calicoCrd('BGPFilter', 'bgpfilters'),
    derived: 'never',
    exported: true,
    order: 40,
    reason: 'Referenced by name from BGPPeer spec.filters, so filters come before peers.',
    hasStatus: false,
  },
  {
    kind: 'BGPPeer',
    plural: 'bgppeers',
    scope: Scope.Cluster,
    etcd: v3Resource('bgppeers'),
    kdd: calicoCrd('BGPPeer', 'bgppeers'),
    derived: 'never',
    exported: true,
    order: 45,
    reason: 'References BGPFilters (spec.filters) and nodes (spec.node), both written earlier.',
    hasStatus: false,
  },
  {
    kind: 'GlobalNetworkSet',
    plural: 'globalnetworksets',
    scope: Scope.Cluster,
    etcd: v3Resource('globalnetworksets'),
    kdd: calicoCrd('GlobalNetworkSet', 'globalnetworksets'),
    derived: 'never',
    exported: true,
    order: 50,
    reason:
      'Matched by policy selectors; written before policies so rules never match an empty set.',
    hasStatus: false,
  },
  {
    kind: 'NetworkSet',
    plural: 'networksets',
    scope: Scope.Namespaced,
    etcd: v3Resource('networksets'),
    kdd: calicoCrd('NetworkSet', 'networksets'),
    derived: 'never',
    exported: true,
    order: 50,
    reason:
      'Matched by policy selectors; written before policies so rules never match an empty set.',
    hasStatus: false,
  },
  {
    kind: 'GlobalNetworkPolicy',
    plural: 'globalnetworkpolicies',
    scope: Scope.Cluster,
    etcd: v3Resource('globalnetworkpolicies'),
    kdd: calicoCrd('GlobalNetworkPolicy', 'globalnetworkpolicies'),
    derived: 'some',
    exported: true,
    order: 55,
    reason:
      'Needs its tier (clientv3 rejects a policy in a missing tier). Names follow the version rules ' +
      'of libcalico-go/lib/names/policy.go; old kanp./kbanp. policies were derived (v3.30 and earlier).',
    hasStatus: false,
  },
  {
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    scope: Scope.Namespaced,
    etcd: v3Resource('networkpolicies'),
    kdd: calicoCrd('NetworkPolicy', 'networkpolicies'),
    derived: 'some',
    exported: true,
    order: 55,
    reason:
      'Needs its tier. knp.default.* policies are derived from Kubernetes NetworkPolicies by ' +
      'kube-controllers in etcd mode (kube-controllers/pkg/converter/networkpolicy_converter.go).',
    hasStatus: false,
  },
  {
    kind: 'StagedGlobalNetworkPolicy',
    plural: 'stagedglobalnetworkpolicies',
    scope: Scope.Cluster,
    etcd: v3Resource('stagedglobalnetworkpolicies'),
    kdd: calicoCrd('StagedGlobalNetworkPolicy', 'stagedglobalnetworkpolicies'),
    derived: 'never',
    exported: true,
    order: 55,
    reason: 'Tiered like GlobalNetworkPolicy, so it needs its tier.',
    hasStatus: false,
  },
  {
    kind: 'StagedNetworkPolicy',
    plural: 'stagednetworkpolicies',
    scope: Scope.Namespaced,
    etcd: v3Resource('stagednetworkpolicies'),
    kdd: calicoCrd('StagedNetworkPolicy', 'stagednetworkpolicies'),
    derived: 'never',
    exported: true,
    order: 55,
    reason: 'Tiered like NetworkPolicy, so it needs its tier. Exported from every namespace.',
    hasStatus: false,
  },
  {
    kind: 'StagedKubernetesNetworkPolicy',
    plural: 'stagedkubernetesnetworkpolicies',
    scope: Scope.Namespaced,
    etcd: v3Resource('stagedkubernetesnetworkpolicies'),
    kdd: calicoCrd('StagedKubernetesNetworkPolicy', 'stagedkubernetesnetworkpolicies'),
    derived: 'never',
    exported: true,
    order: 55,
    reason:
      'Grouped with the other policies; not tiered and never renamed (calico-datastore-model.md §5.2).',
    hasStatus: false,
  },
  {
    kind: 'HostEndpoint',
    plural: 'hostendpoints',
    scope: Scope.Cluster,
    etcd: v3Resource('hostendpoints'),
    kdd: calicoCrd('HostEndpoint', 'hostendpoints'),
    derived: 'some',
    exported: true,
    order: 60,
    reason:
      'After nodes (spec.node) and after policies: a host endpoint with no policy yet denies all ' +
      'non-failsafe traffic to its interface (felix default-deny for host endpoints). Auto host ' +
      'endpoints (<node>-auto-hep) are derived by kube-controllers (kube-controllers/pkg/controllers/node/hostendpoints.go).',
    hasStatus: false,
  },
  {
    kind: 'Profile',
    plural: 'profiles',
    scope: Scope.Cluster,
    etcd: v3Resource('profiles'),
    kdd: {
      type: 'derived',
      source: 'Namespaces (kns.<ns>) and ServiceAccounts (ksa.<ns>.<sa>); read-only in KDD',
    },
    derived: 'some',
    exported: true,
    order: 65,
    reason:
      'Workload endpoints name their profiles, so profiles come first. kns./ksa. profiles are ' +
      'derived (libcalico-go/lib/backend/k8s/conversion/conversion.go); user profiles exist only in etcd. ' +
      'projectcalico-default-allow is synthesized on read and never stored.',
    hasStatus: false,
  },
  {
    kind: 'WorkloadEndpoint',
    plural: 'workloadendpoints',
    scope: Scope.Namespaced,
    etcd: v3Resource('workloadendpoints'),
    kdd: {
      type: 'derived',
      source: 'core/v1 Pods (libcalico-go/lib/backend/k8s/conversion/workload_endpoint_default.go)',
    },
    derived: 'always',
    exported: true,
    order: 70,
    reason:
      'After nodes and profiles, which it references. Written by the CNI plugin in etcd mode; ' +
      'needed to recover an etcd datastore, never written into KDD.',
    hasStatus: false,
  },
  {
    kind: 'LiveMigration',
    plural: 'livemigrations',
    scope: Scope.Namespaced,
    etcd: v3Resource('livemigrations'),
    kdd: { type: 'derived', source: 'KubeVirt VirtualMachineInstanceMigration objects' },
    derived: 'always',
    exported: true,
    order: 70,
    reason:
      'Workload data like WorkloadEndpoint. Derived from KubeVirt in KDD ' +
      '(libcalico-go/lib/backend/k8s/resources/livemigration.go); in etcd the OpenStack Neutron driver ' +
      'writes them (networking-calico plugins/ml2/drivers/calico/endpoints.py).',
    hasStatus: false,
  },
  {
    kind: 'IPAMHandle',
    plural: 'ipamhandles',
    scope: Scope.Cluster,
    etcd: { type: 'ipam', keys: ['/calico/ipam/v2/handle/<handleID>'] },
    kdd: calicoCrd('IPAMHandle', 'ipamhandles'),
    derived: 'never',
    exported: true,
    order: 80,
    reason:
      'Calico increments the handle before it writes the block allocation (libcalico-go/lib/ipam/ipam.go ' +
      'assignFromExistingBlock), so a handle without its block is the state Calico itself tolerates.',
    hasStatus: false,
  },
  {
    kind: 'BlockAffinity',
    plural: 'blockaffinities',
    scope: Scope.Cluster,
    etcd: {
      type: 'ipam',
      keys: [
        '/calico/ipam/v2/host/<host>/ipv<N>/block/<cidr>',
        '/calico/ipam/v2/virtual/<name>/ipv<N>/block/<cidr>',
      ],
    },
    kdd: calicoCrd('BlockAffinity', 'blockaffinities'),
    derived: 'never',
    exported: true,
    order: 81,
    reason:
      'Calico claims a pending affinity before it creates the block (libcalico-go/lib/ipam/ipam.go ' +
      'getPendingAffinity, claimAffineBlock), so affinities come before blocks.',
    hasStatus: false,
  },
  {
    kind: 'IPAMBlock',
    plural: 'ipamblocks',
    scope: Scope.Cluster,
    etcd: { type: 'ipam', keys: ['/calico/ipam/v2/assignment/ipv<N>/block/<cidr>'] },
    kdd: calicoCrd('IPAMBlock', 'ipamblocks'),
    derived: 'never',
    exported: true,
    order: 82,
    reason:
      'Last of the IPAM data: its affinity and the handles its allocations name are already there ' +
      '(design/ipam/ipam-datastore.md invariants).',
    hasStatus: false,
  },
  {
    kind: 'CalicoNodeStatus',
    plural: 'caliconodestatuses',
    scope: Scope.Cluster,
    etcd: v3Resource('caliconodestatuses'),
    kdd: calicoCrd('CalicoNodeStatus', 'caliconodestatuses'),
    derived: 'never',
    exported: true,
    order: 90,
    reason:
      'A status request for one node (spec.node), so after nodes; the same late position as in ' +
      'the v1-to-v3 migration controller (kube-controllers/pkg/controllers/migration/).',
    hasStatus: true,
  },
  {
    kind: 'ClusterInformation',
    plural: 'clusterinformations',
    scope: Scope.Cluster,
    etcd: v3Resource('clusterinformations'),
    kdd: calicoCrd('ClusterInformation', 'clusterinformations'),
    derived: 'never',
    exported: true,
    order: 100,
    reason:
      'Carries the cluster GUID and the datastoreReady lock (libcalico-go/lib/clientv3/client.go ' +
      'EnsureInitialized). Written last, so a datastoreReady=true from the archive never announces a ' +
      'half-restored datastore.',
    hasStatus: false,
  },
  {
    kind: 'IPAMConfig',
    plural: 'ipamconfigs',
    scope: Scope.Cluster,
    etcd: {
      type: 'none',
      why: 'plural registered (model/resource.go) but nothing writes v3-style keys for it',
    },
    kdd: {
      type: 'none',
      why: 'the v1 ipamconfigs CRD is the IPAMConfiguration row in v1 CRD mode',
    },
    derived: 'never',
    exported: false,
    order: null,
    reason:
      'Internal kind (libcalico-go/lib/apis/internalapi/ipam_config.go); its data is exported as ' +
      'IPAMConfiguration.',
    hasStatus: false,
  },
  {
    kind: 'KubernetesNetworkPolicy',
    plural: 'kubernetesnetworkpolicies',
    scope: Scope.Namespaced,
    etcd: {
      type: 'none',
      why: 'stored as NetworkPolicy knp.default.<name> by kube-controllers in etcd mode',
    },
    kdd: { type: 'derived', source: 'networking.k8s.io/v1 NetworkPolicy' },
    derived: 'always',
    exported: false,
    order: null,
    reason:
      'Pseudo kind synthesized from Kubernetes NetworkPolicies; never copied (model/resource.go).',
    hasStatus: false,
  },
  {
    kind: 'KubernetesClusterNetworkPolicy',
    plural: 'kubernetesclusternetworkpolicies',
    scope: Scope.Cluster,
    etcd: { type: 'none', why: 'Felix watches ClusterNetworkPolicy only in KDD mode' },
    kdd: {
      type: 'other-crd',
      group: 'policy.networking.k8s.io',
      plural: 'clusternetworkpolicies',
      kind: 'ClusterNetworkPolicy',
    },
    derived: 'always',
    exported: false,
    order: null,
    reason:
      'Pseudo kind synthesized from the Kubernetes ClusterNetworkPolicy API (shipped with Calico); ' +
      'the Kubernetes objects are not Calico data.',
    hasStatus: true,
  },
  {
    kind: 'KubernetesService',
    plural: 'kubernetesservice',
    scope: Scope.Namespaced,
    etcd: { type: 'none', why: 'not stored' },
    kdd: { type: 'derived', source: 'core/v1 Service' },
    derived: 'always',
    exported: false,
    order: null,
    reason: 'Pseudo kind read by Felix in KDD only; Kubernetes data, not Calico data.',
    hasStatus: false,
  },
  {
    kind: 'KubernetesEndpointSlice',
    plural: 'kubernetesendpointslices',
    scope: Scope.Namespaced,
    etcd: { type: 'none', why: 'not stored' },
    kdd: { type: 'derived', source: 'discovery.k8s.io/v1 EndpointSlice' },
    derived: 'always',
    exported: false,
    order: null,
    reason: 'Pseudo kind read by Felix in KDD only; Kubernetes data, not Calico data.',
    hasStatus: false,
  },
  {
    kind: 'DatastoreMigration',
    plural: 'datastoremigrations',
    scope: Scope.Cluster,
    etcd: { type: 'none', why: 'KDD only' },
    kdd: {
      type: 'other-crd',
      group: 'migration.projectcalico.org',
      plural: 'datastoremigrations',
      kind: 'DatastoreMigration',
    },
    derived: 'never',
    exported: false,
    order: null,
    reason:
      'Operational object driving the in-cluster v1-to-v3 CRD migration ' +
      '(kube-controllers/pkg/controllers/migration/), not Calico data.',
    hasStatus: true,
  },
];

const byKind = new Map(KINDS.map((row) => [row.kind, row]));

/** Looks up a kind's row, or `undefined` for a kind Calico does not have. */
export function findKind(kind: string): KindInfo | undefined {
  return byKind.get(kind);
}

/** The kinds export writes, in import order (ties broken by kind name, for a stable archive). */
export function listExportedKinds(): KindInfo[] {
  return KINDS.filter((row) => row.exported).sort(compareImportOrder);
}

/** Orders two kinds as import applies them. */
export function compareImportOrder(a: KindInfo, b: KindInfo): number {
  return (a.order ?? Infinity) - (b.order ?? Infinity) || a.kind.localeCompare(b.kind);
}

/**
 * Whether KDD can hold objects of this kind: Calico CRDs, and Calico Node data on Kubernetes
 * Nodes (libcalico-go/lib/backend/k8s/resources/node.go); the rest KDD derives or cannot hold.
 */
export function isKddStorable(info: KindInfo): boolean {
  return info.kdd.type === 'crd' || info.kind === 'Node';
}

/** Whether objects of this kind carry a namespace. */
export function isNamespaced(info: KindInfo): boolean {
  return info.scope === Scope.Namespaced;
}

/**
 * The CRD names (`<plural>.<group>`) that back a kind, for both CRD modes. Used to check that the
 * table covers every CRD Calico ships.
 */
export function listCrdNames(info: KindInfo): string[] {
  switch (info.kdd.type) {
    case 'crd':
      return [`${info.kdd.v1Plural}.crd.projectcalico.org`, `${info.plural}.projectcalico.org`];
    case 'other-crd':
      return [`${info.kdd.plural}.${info.kdd.group}`];
    default:
      return [];
  }
}
