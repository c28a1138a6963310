import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeEtcdEntry,
  encodeEtcdEntry,
  etcdTargetFor,
} from '../../../../src/datastores/etcd/codec.js';
import { InvalidObjectError } from '../../../../src/model/errors.js';
import type { JsonObject } from '../../../../src/model/json.js';
import type { CalicoResource } from '../../../../src/model/resource.js';

const I = '/calico/ipam/v2/';
const HEAD = etcdTargetFor(undefined);
const V3_31 = etcdTargetFor('v3.31.7');

function decode(key: string, value: string, rev = '5'): CalicoResource {
  const item = decodeEtcdEntry(key, Buffer.from(value), rev);
  assert.equal(item.type, 'resource', item.type === 'raw' ? `raw: ${item.raw.reason}` : '');
  return (item as { resource: CalicoResource }).resource;
}

function rawReason(key: string, value: string): string {
  const item = decodeEtcdEntry(key, Buffer.from(value), '5');
  assert.equal(item.type, 'raw');
  return item.type === 'raw' ? item.raw.reason : '';
}

const ipam = (kind: string, name: string, spec: JsonObject): CalicoResource => ({
  apiVersion: 'projectcalico.org/v3',
  kind,
  metadata: { name },
  spec,
});

/** A canonical object as decode() returns it (read from etcd: name and resourceVersion only). */
const read = (kind: string, name: string, spec: JsonObject): CalicoResource => ({
  ...ipam(kind, name, spec),
  metadata: { name, resourceVersion: '5' },
});

describe('worked example etcd -> canonical (calico-datastore-model.md §2.5)', () => {
  it('block', () => {
    const value =
      '{"cidr":"10.0.0.0/30","affinity":"host:worker-1","affinity_claim_time":"2025-01-02T03:04:05Z","allocations":[0,1,null,null],"unallocated":[2,3],"attributes":[{"handle_id":"vxlan-tunnel-addr-worker-1","secondary":{"node":"worker-1","type":"vxlanTunnelAddress"}},{"handle_id":"k8s-pod-network.4f2cd1","secondary":{"namespace":"default","node":"worker-1","pod":"web-0"}}],"sequenceNumber":7,"sequenceNumberForAllocation":{"0":2,"1":6},"deleted":false}';
    const key = `${I}assignment/ipv4/block/10.0.0.0-30`;
    const resource = decode(key, value);
    assert.deepEqual(
      resource,
      read('IPAMBlock', '10-0-0-0-30', {
        cidr: '10.0.0.0/30',
        affinity: 'host:worker-1',
        affinityClaimTime: '2025-01-02T03:04:05Z',
        allocations: [0, 1, null, null],
        unallocated: [2, 3],
        attributes: [
          {
            handle_id: 'vxlan-tunnel-addr-worker-1',
            secondary: { node: 'worker-1', type: 'vxlanTunnelAddress' },
          },
          {
            handle_id: 'k8s-pod-network.4f2cd1',
            secondary: { namespace: 'default', node: 'worker-1', pod: 'web-0' },
          },
        ],
        sequenceNumber: 7,
        sequenceNumberForAllocation: { '0': 2, '1': 6 },
        deleted: false,
        strictAffinity: false,
      }),
    );
    assert.deepEqual(Object.keys(resource.spec!), [
      'cidr',
      'affinity',
      'affinityClaimTime',
      'allocations',
      'unallocated',
      'attributes',
      'sequenceNumber',
      'sequenceNumberForAllocation',
      'deleted',
      'strictAffinity',
    ]);
    assert.deepEqual(encodeEtcdEntry(resource, HEAD), { key, value });
  });

  it('affinity, handle, config', () => {
    const affinity = decode(
      `${I}host/worker-1/ipv4/block/10.0.0.0-30`,
      '{"state":"confirmed","deleted":false}',
    );
    assert.deepEqual(
      affinity,
      read('BlockAffinity', 'worker-1-10-0-0-0-30', {
        state: 'confirmed',
        node: 'worker-1',
        type: 'host',
        cidr: '10.0.0.0/30',
        deleted: false,
      }),
    );
    const handle = decode(
      `${I}handle/k8s-pod-network.4f2cd1`,
      '{"block":{"10.0.0.0/30":1},"deleted":false}',
    );
    assert.deepEqual(
      handle,
      read('IPAMHandle', 'k8s-pod-network.4f2cd1', {
        handleID: 'k8s-pod-network.4f2cd1',
        block: { '10.0.0.0/30': 1 },
        deleted: false,
      }),
    );
    const config = decode(`${I}config`, '{"strict_affinity":true,"auto_allocate_blocks":true}');
    assert.deepEqual(
      config,
      read('IPAMConfiguration', 'default', { strictAffinity: true, autoAllocateBlocks: true }),
    );
  });
});

describe('worked example canonical -> etcd (calico-datastore-model.md §2.6)', () => {
  const allocations = Array.from({ length: 64 }, (_, i) => (i === 0 ? 0 : null));
  const unallocated = Array.from({ length: 63 }, (_, i) => i + 1);
  const block = ipam('IPAMBlock', 'fd00-10-244---122', {
    cidr: 'fd00:10:244::/122',
    affinity: 'host:worker-2',
    allocations,
    unallocated,
    attributes: [
      {
        handle_id: 'ipip-tunnel-addr-worker-2',
        secondary: { type: 'ipipTunnelAddress', node: 'worker-2' },
      },
    ],
    sequenceNumber: 1767225600123456789n,
    sequenceNumberForAllocation: { '0': 1767225600123456788n },
    deleted: false,
    strictAffinity: false,
  });

  it('block: key from the CIDR, affinity_claim_time omitted, strictAffinity dropped', () => {
    const written = encodeEtcdEntry(block, HEAD);
    assert.equal(written.key, `${I}assignment/ipv6/block/fd00:10:244::-122`);
    assert.equal(
      written.value,
      `{"cidr":"fd00:10:244::/122","affinity":"host:worker-2","allocations":${JSON.stringify(allocations)},"unallocated":${JSON.stringify(unallocated)},"attributes":[{"handle_id":"ipip-tunnel-addr-worker-2","secondary":{"node":"worker-2","type":"ipipTunnelAddress"}}],"sequenceNumber":1767225600123456789,"sequenceNumberForAllocation":{"0":1767225600123456788},"deleted":false}`,
    );
  });

  it('block without affinity writes "affinity":null', () => {
    const spec = { ...block.spec! };
    delete spec.affinity;
    const written = encodeEtcdEntry(ipam('IPAMBlock', 'x', spec), HEAD);
    assert.match(written.value, /^\{"cidr":"fd00:10:244::\/122","affinity":null,"allocations":/);
  });

  it('affinity with empty type is a host affinity', () => {
    const affinity = ipam('BlockAffinity', 'worker-2-fd00-10-244---122', {
      state: 'pending',
      node: 'worker-2',
      type: '',
      cidr: 'fd00:10:244::/122',
      deleted: false,
    });
    assert.deepEqual(encodeEtcdEntry(affinity, HEAD), {
      key: `${I}host/worker-2/ipv6/block/fd00:10:244::-122`,
      value: '{"state":"pending","deleted":false}',
    });
  });

  it('handle key from spec.handleID, not the lower-cased name', () => {
    const written = encodeEtcdEntry(
      ipam('IPAMHandle', 'k8s-pod-network.abc', {
        handleID: 'k8s-pod-network.ABC',
        block: { 'fd00:10:244::/122': 1, '10.0.0.0/30': 2 },
        deleted: false,
      }),
      HEAD,
    );
    assert.deepEqual(written, {
      key: `${I}handle/k8s-pod-network.ABC`,
      value: '{"block":{"10.0.0.0/30":2,"fd00:10:244::/122":1},"deleted":false}',
    });
  });

  it('config: false and zero fields are omitted', () => {
    const written = encodeEtcdEntry(
      ipam('IPAMConfiguration', 'default', {
        strictAffinity: false,
        autoAllocateBlocks: true,
        maxBlocksPerHost: 0,
      }),
      HEAD,
    );
    assert.deepEqual(written, { key: `${I}config`, value: '{"auto_allocate_blocks":true}' });
    const all = encodeEtcdEntry(
      ipam('IPAMConfiguration', 'default', {
        strictAffinity: true,
        maxBlocksPerHost: 3,
        autoAllocateBlocks: false,
        kubeVirtVMAddressPersistence: 'Enabled',
        ipCooldownSeconds: 60,
      }),
      HEAD,
    );
    assert.equal(
      all.value,
      '{"strict_affinity":true,"maxBlocksPerHost":3,"kubeVirtVMAddressPersistence":"Enabled","ipCooldownSeconds":60}',
    );
  });
});

describe('IPAM blocks', () => {
  const key = `${I}assignment/ipv4/block/10.0.0.0-30`;
  const base =
    '"cidr":"10.0.0.0/30","affinity":"host:w","allocations":[0,null,null,null],"unallocated":[1,2,3]';

  it('keeps a sequenceNumber above 2^53 exact', () => {
    const value = `{${base},"attributes":[{"handle_id":"h","secondary":{"node":"w"}}],"sequenceNumber":1767225600123456789,"sequenceNumberForAllocation":{"0":18446744073709551615},"deleted":false}`;
    const resource = decode(key, value);
    assert.equal(resource.spec!.sequenceNumber, 1767225600123456789n);
    assert.equal(
      (resource.spec!.sequenceNumberForAllocation as JsonObject)['0'],
      18446744073709551615n,
    );
    assert.equal(encodeEtcdEntry(resource, HEAD).value, value);
  });

  it('reads null attribute members as unset and writes them per target version', () => {
    const legacy = `{${base},"attributes":[{"handle_id":"h","secondary":null},{"handle_id":null,"secondary":{}}],"sequenceNumber":1,"sequenceNumberForAllocation":null,"deleted":false}`;
    const resource = decode(key, legacy);
    assert.deepEqual(resource.spec!.attributes, [{ handle_id: 'h' }, { secondary: {} }]);
    assert.equal(encodeEtcdEntry(resource, V3_31).value, legacy);
    assert.equal(
      encodeEtcdEntry(resource, HEAD).value,
      `{${base},"attributes":[{"handle_id":"h"},{}],"sequenceNumber":1,"sequenceNumberForAllocation":null,"deleted":false}`,
    );
  });

  it('writes v3.32 attribute fields after the legacy ones for an older target', () => {
    const resource = ipam('IPAMBlock', '10-0-0-0-30', {
      cidr: '10.0.0.0/30',
      allocations: [0, null, null, null],
      unallocated: [1, 2, 3],
      attributes: [
        { handle_id: 'h', releasedAt: '2026-01-01T00:00:00Z', alternateOwnerAttrs: { pod: 'p' } },
      ],
      sequenceNumber: 2,
      sequenceNumberForAllocation: {},
      deleted: false,
      strictAffinity: false,
    });
    assert.match(
      encodeEtcdEntry(resource, V3_31).value,
      /"attributes":\[\{"handle_id":"h","secondary":null,"alternateOwnerAttrs":\{"pod":"p"\},"releasedAt":"2026-01-01T00:00:00Z"\}\]/,
    );
    assert.match(
      encodeEtcdEntry(resource, HEAD).value,
      /"sequenceNumberForAllocation":\{\},"deleted":false\}$/,
    );
  });

  it('fills Go zero values for missing fields and drops hostAffinity', () => {
    const resource = decode(key, '{"cidr":"10.0.0.0/30","hostAffinity":"w"}');
    assert.deepEqual(resource.spec, {
      cidr: '10.0.0.0/30',
      allocations: null,
      unallocated: null,
      attributes: null,
      sequenceNumber: 0,
      sequenceNumberForAllocation: null,
      deleted: false,
      strictAffinity: false,
    });
    assert.equal(
      encodeEtcdEntry(resource, HEAD).value,
      '{"cidr":"10.0.0.0/30","affinity":null,"allocations":null,"unallocated":null,"attributes":null,"sequenceNumber":0,"sequenceNumberForAllocation":null,"deleted":false}',
    );
  });

  it('takes the CIDR from the key; an unmasked value CIDR of the same network is accepted', () => {
    const resource = decode(
      key,
      `{"cidr":"10.0.0.2/30","allocations":[],"unallocated":[],"attributes":[],"sequenceNumber":0,"sequenceNumberForAllocation":{},"deleted":true}`,
    );
    assert.equal(resource.spec!.cidr, '10.0.0.0/30');
    assert.equal(resource.spec!.deleted, true, 'deleted kept as stored');
  });

  it('keeps fields Calico does not know, after the known ones', () => {
    const value = `{${base},"attributes":[],"sequenceNumber":1,"sequenceNumberForAllocation":null,"deleted":false,"futureField":{"x":1}}`;
    const resource = decode(key, value);
    assert.deepEqual(resource.spec!.futureField, { x: 1 });
    assert.equal(encodeEtcdEntry(resource, HEAD).value, value);
  });

  const rawCases: [string, RegExp][] = [
    ['{"cidr":"10.0.1.0/30"}', /does not match the key/],
    ['{"cidr":"nonsense"}', /does not match the key/],
    ['{"affinity":"host:w"}', /field cidr/],
    ['{"cidr":"10.0.0.0/30","sequenceNumber":-1}', /field sequenceNumber/],
    ['{"cidr":"10.0.0.0/30","sequenceNumber":18446744073709551616}', /field sequenceNumber/],
    ['{"cidr":"10.0.0.0/30","deleted":"false"}', /field deleted/],
    ['{"cidr":"10.0.0.0/30","allocations":[0.5]}', /field allocations/],
    ['{"cidr":"10.0.0.0/30","attributes":[{"secondary":{"node":1}}]}', /field attributes/],
    ['{"cidr":"10.0.0.0/30","affinity_claim_time":"yesterday"}', /field affinity_claim_time/],
    ['{"cidr":"10.0.0.0/30","strictAffinity":true}', /unexpected field strictAffinity/],
    ['[]', /not a JSON object/],
  ];
  for (const [value, reason] of rawCases) {
    it(`keeps ${value} raw`, () => assert.match(rawReason(key, value), reason));
  }

  it('refuses to encode a block without a valid CIDR', () => {
    assert.throws(
      () => encodeEtcdEntry(ipam('IPAMBlock', 'x', { cidr: '10.0.0.0' }), HEAD),
      InvalidObjectError,
    );
    assert.throws(() => encodeEtcdEntry(ipam('IPAMBlock', 'x', {}), HEAD), InvalidObjectError);
    assert.throws(
      () =>
        encodeEtcdEntry(
          { apiVersion: 'projectcalico.org/v3', kind: 'IPAMBlock', metadata: { name: 'x' } },
          HEAD,
        ),
      InvalidObjectError,
    );
    assert.throws(
      () =>
        encodeEtcdEntry(ipam('IPAMBlock', 'x', { cidr: '10.0.0.0/30', deleted: 'false' }), HEAD),
      InvalidObjectError,
    );
  });
});

describe('block affinities', () => {
  it('virtual affinities keep their type and key', () => {
    const key = `${I}virtual/load-balancer/ipv6/block/fd00:10:96::-124`;
    const resource = decode(key, '{"state":"confirmed","deleted":false}');
    assert.equal(resource.metadata.name, 'load-balancer-fd00-10-96---124');
    assert.deepEqual(resource.spec, {
      state: 'confirmed',
      node: 'load-balancer',
      type: 'virtual',
      cidr: 'fd00:10:96::/124',
      deleted: false,
    });
    assert.equal(encodeEtcdEntry(resource, HEAD).key, key);
  });

  it('a legacy empty value reads as state "" and writes back as Calico would marshal it', () => {
    const key = `${I}host/old-node/ipv4/block/192.168.0.0-26`;
    const resource = decode(key, '');
    assert.deepEqual(resource.spec, {
      state: '',
      node: 'old-node',
      type: 'host',
      cidr: '192.168.0.0/26',
      deleted: false,
    });
    assert.deepEqual(encodeEtcdEntry(resource, HEAD), {
      key,
      value: '{"state":"","deleted":false}',
    });
  });

  it('keeps deleted as stored', () => {
    const resource = decode(
      `${I}host/n/ipv4/block/10.0.0.0-30`,
      '{"state":"pendingDeletion","deleted":true}',
    );
    assert.equal(resource.spec!.deleted, true);
    assert.equal(resource.spec!.state, 'pendingDeletion');
  });

  it('keeps unreadable values raw', () => {
    assert.match(rawReason(`${I}host/n/ipv4/block/10.0.0.0-30`, '{"state":1}'), /field state/);
    assert.match(
      rawReason(`${I}host/n/ipv4/block/10.0.0.0-30`, '{"node":"n"}'),
      /unexpected field node/,
    );
  });

  it('refuses to encode what has no key', () => {
    const spec = {
      state: 'confirmed',
      node: 'n',
      type: 'host',
      cidr: '10.0.0.0/30',
      deleted: false,
    };
    assert.throws(
      () => encodeEtcdEntry(ipam('BlockAffinity', 'x', { ...spec, type: 'other' }), HEAD),
      InvalidObjectError,
    );
    assert.throws(
      () => encodeEtcdEntry(ipam('BlockAffinity', 'x', { ...spec, node: '' }), HEAD),
      InvalidObjectError,
    );
    assert.throws(
      () => encodeEtcdEntry(ipam('BlockAffinity', 'x', { ...spec, deleted: 'false' }), HEAD),
      InvalidObjectError,
    );
  });
});

describe('handles', () => {
  const tunnels = [
    'ipip-tunnel-addr-worker-1',
    'vxlan-tunnel-addr-worker-1',
    'vxlan-v6-tunnel-addr-worker-1',
    'wireguard-tunnel-addr-worker-1',
    'wireguard-v6-tunnel-addr-worker-1',
  ];
  for (const id of tunnels) {
    it(id, () => {
      const key = `${I}handle/${id}`;
      const value = '{"block":{"10.0.0.0/30":1},"deleted":false}';
      const resource = decode(key, value);
      assert.equal(resource.metadata.name, id);
      assert.equal(resource.spec!.handleID, id);
      assert.deepEqual(encodeEtcdEntry(resource, HEAD), { key, value });
    });
  }

  it('lower-cases the name but keeps the ID', () => {
    const resource = decode(
      `${I}handle/vxlan-tunnel-addr-Worker.Example`,
      '{"block":null,"deleted":false}',
    );
    assert.equal(resource.metadata.name, 'vxlan-tunnel-addr-worker.example');
    assert.equal(resource.spec!.handleID, 'vxlan-tunnel-addr-Worker.Example');
    assert.equal(resource.spec!.block, null);
    assert.equal(
      encodeEtcdEntry(resource, HEAD).key,
      `${I}handle/vxlan-tunnel-addr-Worker.Example`,
    );
  });

  it('keeps unreadable values raw and refuses a handle without an ID', () => {
    assert.match(rawReason(`${I}handle/h`, '{"block":{"10.0.0.0/30":"1"}}'), /field block/);
    assert.match(rawReason(`${I}handle/h`, '{"handleID":"h"}'), /unexpected field handleID/);
    assert.throws(
      () => encodeEtcdEntry(ipam('IPAMHandle', 'h', { block: {} }), HEAD),
      InvalidObjectError,
    );
  });
});

describe('IPAM configuration', () => {
  it('reads missing booleans as false and omits zero optional fields', () => {
    assert.deepEqual(decode(`${I}config`, '{}').spec, {
      strictAffinity: false,
      autoAllocateBlocks: false,
    });
    assert.deepEqual(
      decode(`${I}config`, '{"maxBlocksPerHost":0,"kubeVirtVMAddressPersistence":""}').spec,
      {
        strictAffinity: false,
        autoAllocateBlocks: false,
      },
    );
    assert.deepEqual(
      decode(
        `${I}config`,
        '{"auto_allocate_blocks":true,"ipCooldownSeconds":120,"maxBlocksPerHost":1}',
      ).spec,
      {
        strictAffinity: false,
        maxBlocksPerHost: 1,
        autoAllocateBlocks: true,
        ipCooldownSeconds: 120,
      },
    );
  });

  it('keeps unreadable values raw and refuses another name', () => {
    assert.match(rawReason(`${I}config`, '{"strict_affinity":"yes"}'), /field strict_affinity/);
    assert.match(
      rawReason(`${I}config`, '{"strictAffinity":true}'),
      /unexpected field strictAffinity/,
    );
    assert.throws(
      () =>
        encodeEtcdEntry(
          ipam('IPAMConfiguration', 'other', { strictAffinity: false, autoAllocateBlocks: true }),
          HEAD,
        ),
      InvalidObjectError,
    );
  });
});
