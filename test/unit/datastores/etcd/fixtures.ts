/**
 * etcd entries as libcalico-go writes them at given Calico versions: the key, the exact value bytes
 * (Go json.Marshal: struct fields in declaration order, maps sorted, `&` as \u0026), and the kind
 * and name of the canonical object. Policy names follow the version (libcalico-go/lib/names,
 * clientv3, etcdv3 defaultPolicyName); block attributes are `{"handle_id":…,"secondary":…}` with
 * nulls up to v3.31 and omitempty from v3.32 (libcalico-go/lib/backend/model/block.go).
 */
export interface Fixture {
  version: string;
  key: string;
  value: string;
  kind: string;
  name: string;
  namespace?: string;
}

const R = '/calico/resources/v3/projectcalico.org/';
const I = '/calico/ipam/v2/';
const TS = '"creationTimestamp":"2024-05-01T10:00:00Z"';
const uid = (n: number) =>
  `"uid":"5f0c4b1e-8a0f-4f1e-9c6b-0d2a1b3c4d${String(n).padStart(2, '0')}"`;
const ANNOTATED = (name: string) =>
  String.raw`"annotations":{"projectcalico.org/metadata":"{\"name\":\"${name}\"}"}`;
const DNS_EGRESS = String.raw`"egress":[{"action":"Allow","protocol":"UDP","source":{},"destination":{"selector":"k8s-app == 'kube-dns'","ports":[53]}}]`;
const WEB_SELECTOR = String.raw`"selector":"projectcalico.org/namespace == 'default' \u0026\u0026 app == 'web'"`;

const v3_28: Fixture[] = [
  {
    key: `${R}globalnetworkpolicies/default.allow-dns`,
    value: `{"kind":"GlobalNetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"default.allow-dns",${uid(1)},${TS}},"spec":{"order":100,${DNS_EGRESS},${WEB_SELECTOR},"types":["Egress"]}}`,
    kind: 'GlobalNetworkPolicy',
    name: 'allow-dns',
  },
  {
    key: `${R}networkpolicies/prod/default.deny-all`,
    value: `{"kind":"NetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"default.deny-all","namespace":"prod",${uid(2)},${TS}},"spec":{"selector":"all()","types":["Ingress","Egress"]}}`,
    kind: 'NetworkPolicy',
    name: 'deny-all',
    namespace: 'prod',
  },
  {
    key: `${R}networkpolicies/prod/knp.default.allow-web`,
    value: String.raw`{"kind":"NetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"knp.default.allow-web","namespace":"prod",${uid(3)},${TS}},"spec":{"order":1000,"ingress":[{"action":"Allow","source":{"selector":"projectcalico.org/orchestrator == 'k8s' \u0026\u0026 app == 'client'"},"destination":{"ports":[80]}}],"selector":"projectcalico.org/orchestrator == 'k8s' \u0026\u0026 app == 'web'","types":["Ingress"]}}`,
    kind: 'NetworkPolicy',
    name: 'knp.default.allow-web',
    namespace: 'prod',
  },
  {
    key: `${R}profiles/kns.prod`,
    value: `{"kind":"Profile","apiVersion":"projectcalico.org/v3","metadata":{"name":"kns.prod",${uid(4)},${TS}},"spec":{"ingress":[{"action":"Allow","source":{},"destination":{}}],"egress":[{"action":"Allow","source":{},"destination":{}}],"labelsToApply":{"pcns.kubernetes.io/metadata.name":"prod","pcns.projectcalico.org/name":"prod"}}}`,
    kind: 'Profile',
    name: 'kns.prod',
  },
  {
    key: `${R}nodes/worker-1`,
    value: String.raw`{"kind":"Node","apiVersion":"projectcalico.org/v3","metadata":{"name":"worker-1",${uid(5)},${TS},"labels":{"beta.kubernetes.io/arch":"amd64","kubernetes.io/hostname":"worker-1"},"annotations":{"projectcalico.org/kube-labels":"{\"beta.kubernetes.io/arch\":\"amd64\",\"kubernetes.io/hostname\":\"worker-1\"}"}},"spec":{"bgp":{"ipv4Address":"192.168.1.10/24","ipv4IPIPTunnelAddr":"10.244.1.0"},"orchRefs":[{"nodeName":"worker-1","orchestrator":"k8s"}],"addresses":[{"address":"192.168.1.10/24","type":"CalicoNodeIP"}]},"status":{}}`,
    kind: 'Node',
    name: 'worker-1',
  },
  {
    key: `${R}workloadendpoints/prod/worker--1-k8s-web--0-eth0`,
    value: `{"kind":"WorkloadEndpoint","apiVersion":"projectcalico.org/v3","metadata":{"name":"worker--1-k8s-web--0-eth0","generateName":"web-","namespace":"prod",${uid(6)},${TS},"labels":{"app":"web","projectcalico.org/namespace":"prod","projectcalico.org/orchestrator":"k8s","projectcalico.org/serviceaccount":"default"}},"spec":{"orchestrator":"k8s","workload":"","node":"worker-1","containerID":"4f2cd1","pod":"web-0","endpoint":"eth0","serviceAccountName":"default","ipNetworks":["10.244.1.2/32"],"profiles":["kns.prod","ksa.prod.default"],"interfaceName":"cali12345678901","mac":"ee:ee:ee:ee:ee:ee"}}`,
    kind: 'WorkloadEndpoint',
    name: 'worker--1-k8s-web--0-eth0',
    namespace: 'prod',
  },
  {
    key: `${I}assignment/ipv4/block/10.244.1.0-30`,
    value: `{"cidr":"10.244.1.0/30","affinity":"host:worker-1","allocations":[0,null,1,2],"unallocated":[1],"attributes":[{"handle_id":"ipip-tunnel-addr-worker-1","secondary":{"node":"worker-1","type":"ipipTunnelAddress"}},{"handle_id":"k8s-pod-network.aa11","secondary":{"namespace":"prod","node":"worker-1","pod":"web-0","timestamp":"2024-05-01 10:00:00.123456789 +0000 UTC"}},{"handle_id":"windows-reserved-ipam-handle","secondary":null}],"sequenceNumber":1714557600000000003,"sequenceNumberForAllocation":{"0":1714557600000000000,"2":1714557600000000001,"3":1714557600000000002},"deleted":false}`,
    kind: 'IPAMBlock',
    name: '10-244-1-0-30',
  },
  {
    key: `${I}host/worker-1/ipv4/block/10.244.1.0-30`,
    value: '{"state":"confirmed","deleted":false}',
    kind: 'BlockAffinity',
    name: 'worker-1-10-244-1-0-30',
  },
  {
    key: `${I}handle/ipip-tunnel-addr-worker-1`,
    value: '{"block":{"10.244.1.0/30":1},"deleted":false}',
    kind: 'IPAMHandle',
    name: 'ipip-tunnel-addr-worker-1',
  },
  {
    key: `${I}config`,
    value: '{"auto_allocate_blocks":true}',
    kind: 'IPAMConfiguration',
    name: 'default',
  },
].map((f) => ({ version: 'v3.28.5', ...f }));

const v3_29: Fixture[] = [
  {
    key: `${R}globalnetworkpolicies/security.block-egress`,
    value: `{"kind":"GlobalNetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"security.block-egress",${uid(7)},${TS},"labels":{"projectcalico.org/tier":"security"}},"spec":{"tier":"security","order":10,"egress":[{"action":"Deny","source":{},"destination":{"nets":["203.0.113.0/24"]}}],"selector":"all()","types":["Egress"]}}`,
    kind: 'GlobalNetworkPolicy',
    name: 'security.block-egress',
  },
  {
    key: `${R}globalnetworkpolicies/default.allow-all`,
    value: `{"kind":"GlobalNetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"default.allow-all",${uid(8)},${TS}},"spec":{"tier":"default","order":2000,"ingress":[{"action":"Allow","source":{},"destination":{}}],"selector":"all()","types":["Ingress"]}}`,
    kind: 'GlobalNetworkPolicy',
    name: 'allow-all',
  },
  {
    key: `${R}tiers/security`,
    value: `{"kind":"Tier","apiVersion":"projectcalico.org/v3","metadata":{"name":"security",${uid(9)},${TS}},"spec":{"order":100}}`,
    kind: 'Tier',
    name: 'security',
  },
].map((f) => ({ version: 'v3.29.7', ...f }));

const v3_31: Fixture[] = [
  {
    key: `${R}globalnetworkpolicies/default.allow-dns`,
    value: `{"kind":"GlobalNetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"default.allow-dns",${uid(10)},${TS},${ANNOTATED('allow-dns')}},"spec":{"tier":"default","order":100,${DNS_EGRESS},${WEB_SELECTOR},"types":["Egress"]}}`,
    kind: 'GlobalNetworkPolicy',
    name: 'allow-dns',
  },
  {
    key: `${R}globalnetworkpolicies/default.noted`,
    value: String.raw`{"kind":"GlobalNetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"default.noted",${uid(11)},${TS},"labels":{"team":"net"},"annotations":{"a-note":"x \u003c y","projectcalico.org/metadata":"{\"name\":\"noted\"}","zeta":"z"}},"spec":{"tier":"default","selector":"all()","types":["Ingress"]}}`,
    kind: 'GlobalNetworkPolicy',
    name: 'noted',
  },
  {
    key: `${R}networkpolicies/prod/security.np-1`,
    value: `{"kind":"NetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"security.np-1","namespace":"prod",${uid(12)},${TS},"labels":{"projectcalico.org/tier":"security"},${ANNOTATED('security.np-1')}},"spec":{"tier":"security","order":5,"selector":"app == 'db'","types":["Ingress"]}}`,
    kind: 'NetworkPolicy',
    name: 'security.np-1',
    namespace: 'prod',
  },
  {
    key: `${R}stagednetworkpolicies/dev/default.stage-1`,
    value: `{"kind":"StagedNetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"default.stage-1","namespace":"dev",${uid(13)},${TS},${ANNOTATED('stage-1')}},"spec":{"stagedAction":"Set","tier":"default","selector":"all()","types":["Ingress"]}}`,
    kind: 'StagedNetworkPolicy',
    name: 'stage-1',
    namespace: 'dev',
  },
  {
    key: `${R}stagedglobalnetworkpolicies/default.sg-1`,
    value: `{"kind":"StagedGlobalNetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"default.sg-1",${uid(14)},${TS},${ANNOTATED('sg-1')}},"spec":{"stagedAction":"Set","tier":"default","selector":"all()","types":["Egress"]}}`,
    kind: 'StagedGlobalNetworkPolicy',
    name: 'sg-1',
  },
  {
    key: `${R}stagedkubernetesnetworkpolicies/dev/default.sknp-1`,
    value: `{"kind":"StagedKubernetesNetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"default.sknp-1","namespace":"dev",${uid(15)},${TS}},"spec":{"stagedAction":"Set","podSelector":{},"policyTypes":["Ingress"]}}`,
    kind: 'StagedKubernetesNetworkPolicy',
    name: 'default.sknp-1',
    namespace: 'dev',
  },
  {
    key: `${I}virtual/load-balancer/ipv4/block/10.1.0.0-30`,
    value: '{"state":"confirmed","deleted":false}',
    kind: 'BlockAffinity',
    name: 'load-balancer-10-1-0-0-30',
  },
  {
    key: `${I}assignment/ipv4/block/10.1.0.0-30`,
    value:
      '{"cidr":"10.1.0.0/30","affinity":"virtual:load-balancer","allocations":[0,null,null,null],"unallocated":[1,2,3],"attributes":[{"handle_id":"lb-5d41402abc4b2a76","secondary":{"service":"prod/web"}}],"sequenceNumber":1746093600000000001,"sequenceNumberForAllocation":{"0":1746093600000000000},"deleted":false}',
    kind: 'IPAMBlock',
    name: '10-1-0-0-30',
  },
  {
    key: `${I}assignment/ipv6/block/fd00:10:244::-126`,
    value:
      '{"cidr":"fd00:10:244::/126","affinity":"host:worker-2","allocations":[0,1,null,null],"unallocated":[2,3],"attributes":[{"handle_id":"vxlan-v6-tunnel-addr-worker-2","secondary":{"node":"worker-2","type":"vxlanV6TunnelAddress"}},{"handle_id":"wireguard-v6-tunnel-addr-worker-2","secondary":{"node":"worker-2","type":"wireguardV6TunnelAddress"}}],"sequenceNumber":1746093600000000009,"sequenceNumberForAllocation":{"0":1746093600000000007,"1":1746093600000000008},"deleted":false}',
    kind: 'IPAMBlock',
    name: 'fd00-10-244---126',
  },
  {
    key: `${I}handle/vxlan-v6-tunnel-addr-worker-2`,
    value: '{"block":{"fd00:10:244::/126":1},"deleted":false}',
    kind: 'IPAMHandle',
    name: 'vxlan-v6-tunnel-addr-worker-2',
  },
  {
    key: `${I}handle/wireguard-v6-tunnel-addr-worker-2`,
    value: '{"block":{"fd00:10:244::/126":1},"deleted":false}',
    kind: 'IPAMHandle',
    name: 'wireguard-v6-tunnel-addr-worker-2',
  },
  {
    key: `${I}config`,
    value: '{"strict_affinity":true,"auto_allocate_blocks":true,"maxBlocksPerHost":4}',
    kind: 'IPAMConfiguration',
    name: 'default',
  },
].map((f) => ({ version: 'v3.31.7', ...f }));

const v3_32: Fixture[] = [
  {
    key: `${R}globalnetworkpolicies/allow-dns`,
    value: `{"kind":"GlobalNetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"allow-dns",${uid(16)},${TS},"labels":{"projectcalico.org/tier":"default"},${ANNOTATED('allow-dns')}},"spec":{"tier":"default","order":100,${DNS_EGRESS},${WEB_SELECTOR},"types":["Egress"]}}`,
    kind: 'GlobalNetworkPolicy',
    name: 'allow-dns',
  },
  {
    key: `${R}globalnetworkpolicies/block-egress`,
    value: `{"kind":"GlobalNetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"block-egress",${uid(17)},${TS},"labels":{"projectcalico.org/tier":"security"},${ANNOTATED('block-egress')}},"spec":{"tier":"security","order":10,"selector":"all()","types":["Egress"]}}`,
    kind: 'GlobalNetworkPolicy',
    name: 'block-egress',
  },
  {
    key: `${R}networkpolicies/prod/deny-all`,
    value: `{"kind":"NetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"deny-all","namespace":"prod",${uid(18)},${TS},"labels":{"projectcalico.org/tier":"default"},${ANNOTATED('deny-all')}},"spec":{"tier":"default","selector":"all()","types":["Ingress","Egress"]}}`,
    kind: 'NetworkPolicy',
    name: 'deny-all',
    namespace: 'prod',
  },
  {
    key: `${R}ippools/default-ipv4-ippool`,
    value: `{"kind":"IPPool","apiVersion":"projectcalico.org/v3","metadata":{"name":"default-ipv4-ippool",${uid(19)},${TS}},"spec":{"cidr":"10.244.0.0/16","vxlanMode":"Never","ipipMode":"Always","natOutgoing":true,"blockSize":26,"nodeSelector":"all()","allowedUses":["Workload","Tunnel"],"assignmentMode":"Automatic"}}`,
    kind: 'IPPool',
    name: 'default-ipv4-ippool',
  },
  {
    key: `${I}assignment/ipv4/block/10.244.2.0-30`,
    value:
      '{"cidr":"10.244.2.0/30","affinity":"host:worker-3","affinity_claim_time":"2026-01-01T00:00:00Z","allocations":[0,1,2,null],"unallocated":[3],"attributes":[{"handle_id":"wireguard-tunnel-addr-worker-3","secondary":{"node":"worker-3","type":"wireguardTunnelAddress"}},{"handle_id":"k8s-pod-network.bb22","secondary":{"namespace":"vms","node":"worker-3","pod":"virt-launcher-vm1-abcde","vmi-name":"vm1","vmi-uid":"u1"},"alternateOwnerAttrs":{"namespace":"vms","node":"worker-4","pod":"virt-launcher-vm1-fghij"}},{"handle_id":"k8s-pod-network.cc33","secondary":{"namespace":"prod","node":"worker-3","pod":"old-0"},"releasedAt":"2026-01-01T00:05:00Z"}],"sequenceNumber":1767225600123456789,"sequenceNumberForAllocation":{"0":1767225600123456700,"1":1767225600123456701,"2":1767225600123456702},"deleted":false}',
    kind: 'IPAMBlock',
    name: '10-244-2-0-30',
  },
  {
    key: `${I}assignment/ipv4/block/10.244.3.0-30`,
    value:
      '{"cidr":"10.244.3.0/30","affinity":null,"allocations":[null,null,null,null],"unallocated":[0,1,2,3],"attributes":[],"sequenceNumber":0,"sequenceNumberForAllocation":null,"deleted":false}',
    kind: 'IPAMBlock',
    name: '10-244-3-0-30',
  },
  {
    key: `${I}handle/vxlan-tunnel-addr-worker-3`,
    value: '{"block":{"10.244.2.0/30":1},"deleted":false}',
    kind: 'IPAMHandle',
    name: 'vxlan-tunnel-addr-worker-3',
  },
  {
    key: `${I}handle/wireguard-tunnel-addr-worker-3`,
    value: '{"block":{"10.244.2.0/30":1},"deleted":false}',
    kind: 'IPAMHandle',
    name: 'wireguard-tunnel-addr-worker-3',
  },
  {
    key: `${I}host/worker-3/ipv4/block/10.244.2.0-30`,
    value: '{"state":"pending","deleted":false}',
    kind: 'BlockAffinity',
    name: 'worker-3-10-244-2-0-30',
  },
  {
    key: `${I}config`,
    value: '{"strict_affinity":true,"kubeVirtVMAddressPersistence":"Disabled"}',
    kind: 'IPAMConfiguration',
    name: 'default',
  },
].map((f) => ({ version: 'v3.32.1', ...f }));

const head: Fixture[] = [
  {
    key: `${I}config`,
    value: '{"auto_allocate_blocks":true,"maxBlocksPerHost":2,"ipCooldownSeconds":300}',
    kind: 'IPAMConfiguration',
    name: 'default',
  },
].map((f) => ({ version: 'v3.34.0-0.dev-67-g87c15906f2', ...f }));

/** Every fixture, oldest version first. */
export const FIXTURES: readonly Fixture[] = [...v3_28, ...v3_29, ...v3_31, ...v3_32, ...head];
