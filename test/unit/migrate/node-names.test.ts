import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  explainInvalidNodeName,
  findPerNodeConfigNode,
  findTunnelHandleNode,
  renameEndpointName,
  renameTunnelHandle,
  splitEndpointNode,
} from '../../../src/migrate/node-names.js';

const lookup = (node: string) => ({ 'node-a.lan': 'node-a', 'v6-x': 'y' })[node];

describe('tunnel handles', () => {
  const cases: [string, string | undefined, string | undefined][] = [
    ['ipip-tunnel-addr-node-a.lan', 'node-a.lan', 'ipip-tunnel-addr-node-a'],
    ['vxlan-tunnel-addr-node-a.lan', 'node-a.lan', 'vxlan-tunnel-addr-node-a'],
    ['vxlan-v6-tunnel-addr-node-a.lan', 'node-a.lan', 'vxlan-v6-tunnel-addr-node-a'],
    ['wireguard-tunnel-addr-node-a.lan', 'node-a.lan', 'wireguard-tunnel-addr-node-a'],
    ['wireguard-v6-tunnel-addr-node-a.lan', 'node-a.lan', 'wireguard-v6-tunnel-addr-node-a'],
    // The node "v6-x" behind the IPv4 VXLAN prefix is not the IPv6 prefix.
    ['vxlan-tunnel-addr-v6-x', 'v6-x', 'vxlan-tunnel-addr-y'],
    ['ipip-tunnel-addr-other', 'other', undefined],
    ['k8s-pod-network.0123abcd', undefined, undefined],
    ['windows-reserved-ipam-handle', undefined, undefined],
    ['IPIP-tunnel-addr-node-a.lan', undefined, undefined],
  ];
  for (const [id, owner, renamed] of cases) {
    it(`${id} -> ${renamed ?? 'unchanged'}`, () => {
      assert.equal(findTunnelHandleNode(id), owner);
      assert.equal(renameTunnelHandle(id, lookup), renamed);
    });
  }
});

describe('per-node configuration names', () => {
  it('finds the node of node.<name> only', () => {
    assert.equal(findPerNodeConfigNode('node.worker-1.example.com'), 'worker-1.example.com');
    assert.equal(findPerNodeConfigNode('default'), undefined);
    assert.equal(findPerNodeConfigNode('node.'), undefined);
    assert.equal(findPerNodeConfigNode('nodes.x'), undefined);
  });
});

describe('WorkloadEndpoint names', () => {
  const cases: [string, { node: string; rest: string } | undefined][] = [
    ['node--a.lan-k8s-web--0-eth0', { node: 'node-a.lan', rest: '-k8s-web--0-eth0' }],
    ['a-k8s-p-eth0', { node: 'a', rest: '-k8s-p-eth0' }],
    ['compute--1-openstack-vm-port', { node: 'compute-1', rest: '-openstack-vm-port' }],
    ['nodash', undefined],
  ];
  for (const [name, expected] of cases) {
    it(`splits ${name}`, () => assert.deepEqual(splitEndpointNode(name), expected));
  }

  it('renames only the node segment, and only for the same node', () => {
    assert.equal(
      renameEndpointName('node--a.lan-k8s-web--0-eth0', 'node-a.lan', 'worker-1'),
      'worker--1-k8s-web--0-eth0',
    );
    // Node "node" is a prefix of the escaped "node--a.lan" but not its first segment.
    assert.equal(renameEndpointName('node--a.lan-k8s-web--0-eth0', 'node', 'x'), undefined);
  });
});

describe('explainInvalidNodeName', () => {
  const cases: [string, RegExp | undefined][] = [
    ['worker-1.example.com', undefined],
    ['a', undefined],
    ['', /empty/],
    ['Worker-1', /DNS-1123/],
    ['-worker', /DNS-1123/],
    ['worker_1', /DNS-1123/],
    ['worker..1', /DNS-1123/],
    ['a'.repeat(254), /longer than 253/],
  ];
  for (const [name, problem] of cases) {
    it(`${JSON.stringify(name.slice(0, 20))} is ${problem ? 'invalid' : 'valid'}`, () => {
      const result = explainInvalidNodeName(name);
      if (problem) assert.match(result ?? '', problem);
      else assert.equal(result, undefined);
    });
  }
});
