import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CalicoResource } from '../../../src/model/resource.js';
import { describeInvalidFields, findInvalidFields } from '../../../src/model/validate-resource.js';

const object = (kind: string, spec: unknown, metadata: object = {}): CalicoResource =>
  ({
    apiVersion: 'projectcalico.org/v3',
    kind,
    metadata: { name: 'x', ...metadata },
    spec,
  }) as CalicoResource;
const paths = (resource: CalicoResource) => findInvalidFields(resource).map((p) => p.path);

describe('findInvalidFields', () => {
  it('accepts valid objects of the checked kinds, IPv4 and IPv6', () => {
    const valid = [
      object('IPPool', { cidr: '10.0.0.0/16', blockSize: 26 }),
      object('IPPool', { cidr: 'fd00:10::/48', blockSize: 122 }),
      object('IPPool', { cidr: '10.1.2.3' }),
      object('IPReservation', { reservedCIDRs: ['10.0.0.1', '10.0.1.0/24', 'fd00::1/128'] }),
      object('GlobalNetworkSet', { nets: ['198.51.100.0/28'] }),
      object('NetworkSet', { nets: [] }),
      object('HostEndpoint', { node: 'n1', expectedIPs: ['10.0.0.5', 'fd00::5'] }),
      object('IPAMBlock', {
        cidr: '10.0.0.0/26',
        allocations: [0, null, 1],
        unallocated: [3, 4],
        attributes: [],
      }),
      object('BlockAffinity', { cidr: 'fd00::/122', node: 'n1', state: 'confirmed' }),
      object('IPAMHandle', { handleID: 'h', block: { '10.0.0.0/26': 2 } }),
      object('Node', { bgp: { ipv4Address: '10.0.0.5/24', ipv6Address: '' } }),
      object('GlobalNetworkPolicy', { selector: 'all()' }, { labels: { a: 'b' } }),
      object('Profile', undefined),
    ];
    for (const resource of valid) assert.deepEqual(findInvalidFields(resource), [], resource.kind);
  });

  it('refuses a pool CIDR that is missing, unparsable or not strictly masked', () => {
    assert.deepEqual(paths(object('IPPool', {})), ['spec.cidr']);
    assert.deepEqual(paths(object('IPPool', { cidr: 'garbage' })), ['spec.cidr']);
    assert.deepEqual(paths(object('IPPool', { cidr: '10.0.0.1/16' })), ['spec.cidr']);
    assert.match(
      describeInvalidFields(findInvalidFields(object('IPPool', { cidr: '10.0.0.1/16' }))),
      /spec\.cidr "10\.0\.0\.1\/16" has host bits set/,
    );
  });

  it('refuses a block size that is not an integer from 0 to 128', () => {
    for (const blockSize of ['26', 26.5, -1, 129])
      assert.deepEqual(paths(object('IPPool', { cidr: '10.0.0.0/16', blockSize })), [
        'spec.blockSize',
      ]);
  });

  it('names the bad entry of a CIDR list', () => {
    assert.deepEqual(paths(object('NetworkSet', { nets: ['10.0.0.0/8', '10.0.0.300'] })), [
      'spec.nets[1]',
    ]);
    assert.deepEqual(paths(object('IPReservation', { reservedCIDRs: '10.0.0.0/8' })), [
      'spec.reservedCIDRs',
    ]);
    assert.deepEqual(paths(object('HostEndpoint', { expectedIPs: [7] })), ['spec.expectedIPs[0]']);
  });

  it('refuses IPAM objects whose CIDR, allocations or counts would break Calico IPAM', () => {
    assert.deepEqual(
      paths(object('IPAMBlock', { cidr: '10.0.0.0/26', allocations: ['a'], unallocated: [null] })),
      ['spec.allocations[0]', 'spec.unallocated[0]'],
    );
    assert.deepEqual(paths(object('IPAMBlock', { allocations: [] })), ['spec.cidr']);
    assert.deepEqual(paths(object('BlockAffinity', { cidr: '10.0.0.0/26' })), ['spec.node']);
    assert.deepEqual(paths(object('IPAMHandle', { block: { '10.0.0.0/26': -1 } })), [
      'spec.block[10.0.0.0/26]',
    ]);
    assert.deepEqual(paths(object('IPAMHandle', { block: [] })), ['spec.block']);
  });

  it('refuses a node BGP address that is not an IP network', () => {
    assert.deepEqual(paths(object('Node', { bgp: { ipv4Address: 'nope' } })), [
      'spec.bgp.ipv4Address',
    ]);
  });

  it('refuses a spec that is not an object and labels or annotations that are not strings', () => {
    assert.deepEqual(paths(object('IPPool', ['10.0.0.0/8'])), ['spec']);
    assert.deepEqual(paths(object('Tier', { order: 1 }, { labels: { a: 1 }, annotations: 'x' })), [
      'metadata.labels[a]',
      'metadata.annotations',
    ]);
  });
});
