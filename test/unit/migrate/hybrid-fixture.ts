/**
 * A hybrid etcd datastore, in canonical form: Kubernetes nodes whose Calico names (FQDNs) differ
 * from their Kubernetes names, OpenStack compute hosts (two with Calico Nodes, one without), IPv4
 * and IPv6 blocks of each, all five tunnel handle kinds, a virtual (LoadBalancer) affinity, per-node
 * configuration, host endpoints, BGP peers, node status requests, and what networking-calico writes
 * (endpoints, ossg. policies, a live migration, a legacy security-group profile).
 */
import type { JsonObject } from '../../../src/model/json.js';
import type { CalicoResource } from '../../../src/model/resource.js';

export const W1 = 'k8s-worker-1.example.com'; // Kubernetes node worker-1
export const W2 = 'k8s-worker-2.example.com'; // Kubernetes node worker-2
export const MASTER = 'master-0'; // Kubernetes node master-0 (same name)
export const C1 = 'compute-1'; // OpenStack compute host with a Calico Node
export const C2 = 'compute-2'; // OpenStack compute host with a Calico Node
export const C3 = 'compute-3'; // OpenStack compute host without a Calico Node

export function obj(
  kind: string,
  name: string,
  spec: JsonObject,
  meta: Partial<CalicoResource['metadata']> = {},
): CalicoResource {
  return { apiVersion: 'projectcalico.org/v3', kind, metadata: { name, ...meta }, spec };
}

export function node(name: string, k8sName?: string): CalicoResource {
  return obj('Node', name, {
    bgp: { ipv4Address: '192.0.2.10/24' },
    ...(k8sName ? { orchRefs: [{ nodeName: k8sName, orchestrator: 'k8s' }] } : {}),
  });
}

/** An allocation attribute, as calico-node's tunnel allocator or the CNI plugin writes it. */
export function attr(handle: string, secondary: Record<string, string>, extra: JsonObject = {}) {
  return { handle_id: handle, secondary, ...extra };
}

export function block(
  name: string,
  cidr: string,
  affinity: string | null,
  attributes: JsonObject[],
) {
  return obj('IPAMBlock', name, {
    cidr,
    ...(affinity ? { affinity } : {}),
    allocations: attributes.map((_, i) => i),
    unallocated: [],
    attributes,
    sequenceNumber: 1770000000000000000n,
    sequenceNumberForAllocation: {},
    deleted: false,
    strictAffinity: false,
  });
}

export function affinity(name: string, host: string, cidr: string, type = 'host') {
  return obj('BlockAffinity', name, { state: 'confirmed', node: host, type, cidr, deleted: false });
}

export function handle(id: string, blocks: Record<string, number>) {
  return obj('IPAMHandle', id.toLowerCase(), { handleID: id, block: blocks, deleted: false });
}

const podNet = 'k8s-pod-network.4f2cd1e0';
const sg = 'a7c9e2d4-1111-4222-8333-944455556666';

/** The whole source, in archive order. */
export function hybridSource(): CalicoResource[] {
  return [
    obj('Tier', 'default', { order: 1000000 }),
    obj('FelixConfiguration', 'default', {
      interfacePrefix: 'cali,tap',
      endpointReportingEnabled: true,
    }),
    obj('FelixConfiguration', `node.${W1}`, { logSeverityScreen: 'Debug' }),
    obj('FelixConfiguration', `node.${C1}`, { logSeverityScreen: 'Info' }),
    obj('BGPConfiguration', 'default', { asNumber: 64512 }),
    obj('BGPConfiguration', `node.${W2}`, { listenPort: 1790 }),
    obj('KubeControllersConfiguration', 'default', { controllers: {} }),
    obj('IPAMConfiguration', 'default', { strictAffinity: false, autoAllocateBlocks: true }),
    node(W1, 'worker-1'),
    node(W2, 'worker-2'),
    node(MASTER, MASTER),
    node(C1),
    node(C2),
    obj('IPPool', 'default-ipv4-ippool', {
      cidr: '10.244.0.0/16',
      blockSize: 26,
      ipipMode: 'Always',
    }),
    obj('IPPool', 'default-ipv6-ippool', { cidr: 'fd00:10:244::/64', blockSize: 122 }),
    obj('IPPool', 'k8s-only', { cidr: '172.16.0.0/24', blockSize: 26 }),
    obj('IPPool', 'lb', { cidr: '192.168.100.0/24', allowedUses: ['LoadBalancer'] }),
    obj('IPReservation', 'reserved', { reservedCIDRs: ['10.244.255.0/24'] }),
    obj('BGPFilter', 'no-default', { exportV4: [] }),
    obj('BGPPeer', 'rr-global', { peerIP: '192.0.2.1', asNumber: 64512 }),
    obj('BGPPeer', 'tor-w1', { node: W1, peerIP: '192.0.2.254', asNumber: 64513 }),
    obj('BGPPeer', 'tor-c1', { node: C1, peerIP: '198.51.100.254', asNumber: 64514 }),
    obj('BGPPeer', 'by-selector', { nodeSelector: "rack == 'a'", peerSelector: 'rr == "true"' }),
    obj('GlobalNetworkSet', 'blocked', { nets: ['203.0.113.0/24'] }),
    obj('NetworkSet', 'office', { nets: ['198.51.100.0/24'] }, { namespace: 'default' }),
    obj('GlobalNetworkPolicy', 'allow-dns', { selector: 'all()' }),
    obj('NetworkPolicy', 'knp.default.web', { selector: 'app == "web"' }, { namespace: 'default' }),
    obj('NetworkPolicy', 'allow-web', { selector: 'app == "web"' }, { namespace: 'default' }),
    obj(
      'NetworkPolicy',
      `ossg.default.${sg}`,
      { selector: `has(sg.projectcalico.org/openstack-${sg})` },
      { namespace: 'openstack' },
    ),
    obj(
      'NetworkPolicy',
      'ops-extra',
      { selector: 'all()' },
      { namespace: 'openstack-region-east' },
    ),
    obj('HostEndpoint', 'w1-eth0', { node: W1, interfaceName: 'eth0' }),
    obj('HostEndpoint', 'c1-eth0', { node: C1, interfaceName: 'eth0' }),
    obj(
      'HostEndpoint',
      `${W2}-auto-hep`,
      { node: W2, interfaceName: '*' },
      { labels: { 'projectcalico.org/created-by': 'calico-kube-controllers' } },
    ),
    obj('Profile', 'kns.default', { ingress: [{ action: 'Allow' }] }),
    obj('Profile', 'ksa.default.default', {}),
    obj('Profile', `openstack-sg-${sg}`, { ingress: [] }),
    obj('Profile', 'legacy-user', { ingress: [] }),
    obj(
      'WorkloadEndpoint',
      'k8s--worker--1.example.com-k8s-web--0-eth0',
      {
        orchestrator: 'k8s',
        node: W1,
        pod: 'web-0',
        endpoint: 'eth0',
        ipNetworks: ['10.244.0.2/32'],
      },
      { namespace: 'default' },
    ),
    obj(
      'WorkloadEndpoint',
      `compute--1-openstack-vm--1-port--1`,
      {
        orchestrator: 'openstack',
        workload: 'vm-1',
        node: C1,
        endpoint: 'port-1',
        ipNetworks: ['10.65.0.5/32'],
      },
      { namespace: 'openstack', labels: { 'projectcalico.org/orchestrator': 'openstack' } },
    ),
    obj(
      'WorkloadEndpoint',
      `compute--3-openstack-vm--2-port--2`,
      {
        orchestrator: 'openstack',
        workload: 'vm-2',
        node: C3,
        endpoint: 'port-2',
        ipNetworks: ['10.65.0.6/32'],
      },
      { namespace: 'openstack-region-east' },
    ),
    obj(
      'LiveMigration',
      'compute--2-openstack-vm--1-port--1',
      {
        source: {
          workloadEndpoint: {
            hostname: C1,
            orchestratorID: 'openstack',
            workloadID: 'openstack/vm-1',
            endpointID: 'port-1',
          },
        },
        target: {
          workloadEndpoint: {
            hostname: C2,
            orchestratorID: 'openstack',
            workloadID: 'openstack/vm-1',
            endpointID: 'port-1',
          },
        },
      },
      { namespace: 'openstack' },
    ),
    // IPAM: IPv4 and IPv6 blocks of Kubernetes nodes and OpenStack hosts.
    handle(`ipip-tunnel-addr-${W1}`, { '10.244.0.0/26': 1 }),
    handle(`vxlan-tunnel-addr-${W1}`, { '10.244.0.0/26': 1 }),
    handle(`wireguard-tunnel-addr-${W1}`, { '10.244.0.0/26': 1 }),
    handle(`vxlan-v6-tunnel-addr-${W1}`, { 'fd00:10:244::/122': 1 }),
    handle(`wireguard-v6-tunnel-addr-${W1}`, { 'fd00:10:244::/122': 1 }),
    handle(podNet, { '10.244.0.0/26': 1 }),
    handle(`ipip-tunnel-addr-${C1}`, { '10.244.128.0/26': 1 }),
    handle(`vxlan-v6-tunnel-addr-${C1}`, { 'fd00:10:244::1:0/122': 1 }),
    handle('vxlan-tunnel-addr-gone-node', {}),
    affinity(`${W1}-10-244-0-0-26`, W1, '10.244.0.0/26'),
    affinity(`${W1}-fd00-10-244---122`, W1, 'fd00:10:244::/122'),
    affinity(`${W2}-10-244-0-64-26`, W2, '10.244.0.64/26'),
    affinity(`${C1}-10-244-128-0-26`, C1, '10.244.128.0/26'),
    affinity(`${C1}-fd00-10-244--1-0-122`, C1, 'fd00:10:244::1:0/122'),
    affinity(`${C2}-10-244-192-0-26`, C2, '10.244.192.0/26'),
    affinity('load-balancer-192-168-100-0-26', 'load-balancer', '192.168.100.0/26', 'virtual'),
    block('10-244-0-0-26', '10.244.0.0/26', `host:${W1}`, [
      attr(`ipip-tunnel-addr-${W1}`, { node: W1, type: 'ipipTunnelAddress' }),
      attr(`vxlan-tunnel-addr-${W1}`, { node: W1, type: 'vxlanTunnelAddress' }),
      attr(`wireguard-tunnel-addr-${W1}`, { node: W1, type: 'wireguardTunnelAddress' }),
      attr(
        podNet,
        { namespace: 'default', node: W1, pod: 'web-0' },
        { alternateOwnerAttrs: { namespace: 'default', node: W2, pod: 'web-0' } },
      ),
    ]),
    block('fd00-10-244---122', 'fd00:10:244::/122', `host:${W1}`, [
      attr(`vxlan-v6-tunnel-addr-${W1}`, { node: W1, type: 'vxlanV6TunnelAddress' }),
      attr(`wireguard-v6-tunnel-addr-${W1}`, { node: W1, type: 'wireguardV6TunnelAddress' }),
    ]),
    block('10-244-0-64-26', '10.244.0.64/26', `host:${W2}`, []),
    block('10-244-1-0-26', '10.244.1.0/26', null, [
      attr('k8s-pod-network.77', { node: W2, pod: 'db-0', namespace: 'default' }),
    ]),
    block('10-244-128-0-26', '10.244.128.0/26', `host:${C1}`, [
      attr(`ipip-tunnel-addr-${C1}`, { node: C1, type: 'ipipTunnelAddress' }),
    ]),
    block('fd00-10-244--1-0-122', 'fd00:10:244::1:0/122', `host:${C1}`, [
      attr(`vxlan-v6-tunnel-addr-${C1}`, { node: C1, type: 'vxlanV6TunnelAddress' }),
    ]),
    block('10-244-192-0-26', '10.244.192.0/26', `host:${C2}`, []),
    block('172-16-0-0-26', '172.16.0.0/26', `host:${MASTER}`, []),
    block('192-168-100-0-26', '192.168.100.0/26', 'virtual:load-balancer', []),
    block('10-99-0-0-26', '10.99.0.0/26', 'host:gone-node', []),
    obj('CalicoNodeStatus', 'w1-status', { node: W1, classes: ['BGP'], updatePeriodSeconds: 10 }),
    obj('CalicoNodeStatus', 'c2-status', { node: C2, classes: ['BGP'], updatePeriodSeconds: 10 }),
    obj('ClusterInformation', 'default', {
      clusterType: 'k8s,bgp,openstack',
      datastoreReady: false,
    }),
  ];
}

/** Finds one object of the fixture by kind and name. */
export function pick(objects: CalicoResource[], kind: string, name: string): CalicoResource {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`fixture has no ${kind} ${name}`);
  return found;
}
