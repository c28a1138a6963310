import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KddReadResult } from '../../../../src/datastores/kdd/codec-types.js';
import { kddWriteTargetFor } from '../../../../src/datastores/kdd/codec-types.js';
import {
  buildCustomResource,
  readCustomResource,
} from '../../../../src/datastores/kdd/crd-codec.js';
import type { JsonObject } from '../../../../src/model/json.js';
import { parseJson, stringifyJson } from '../../../../src/model/json.js';
import { findKind } from '../../../../src/model/kinds.js';
import type { CalicoResource } from '../../../../src/model/resource.js';
import { checkAgainstSchema, loadCrdSchema } from './crd-schema.js';

const BLOCK = findKind('IPAMBlock')!;
const AFFINITY = findKind('BlockAffinity')!;
const HANDLE = findKind('IPAMHandle')!;
const CONFIG = findKind('IPAMConfiguration')!;
const META = 'projectcalico.org/metadata';
const HASH_WORKER_1 = 'CPU5J3TPSNHFA66J45DG4Z5C3PSJAZ36LD46JZLYEGZSTAWBUCUA';
const THREE_LABELS = {
  'projectcalico.org/affinity-type': 'host',
  'projectcalico.org/hostname-hash': HASH_WORKER_1,
  'projectcalico.org/ip-version': '4',
};
const V331 = kddWriteTargetFor('v1', 'v3.31.0');

const canonical = (kind: string, name: string, spec: JsonObject): CalicoResource => ({
  apiVersion: 'projectcalico.org/v3',
  kind,
  metadata: { name },
  spec,
});

/** The canonical objects of the worked example in calico-datastore-model.md §2.5. */
const example = {
  block: canonical('IPAMBlock', '10-0-0-0-30', {
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
  affinity: canonical('BlockAffinity', 'worker-1-10-0-0-0-30', {
    state: 'confirmed',
    node: 'worker-1',
    type: 'host',
    cidr: '10.0.0.0/30',
    deleted: false,
  }),
  handle: canonical('IPAMHandle', 'k8s-pod-network.4f2cd1', {
    handleID: 'k8s-pod-network.4f2cd1',
    block: { '10.0.0.0/30': 1 },
    deleted: false,
  }),
  config: canonical('IPAMConfiguration', 'default', {
    strictAffinity: true,
    autoAllocateBlocks: true,
  }),
};

function resourceOf(result: KddReadResult): CalicoResource {
  assert.equal(result.type, 'resource', stringifyJson(result));
  return (result as { resource: CalicoResource }).resource;
}

describe('writing IPAM CRs (calico-datastore-model.md §2.5)', () => {
  it('writes the block with the IPAM metadata annotation and strictAffinity', () => {
    const request = buildCustomResource(BLOCK, example.block, V331);
    assert.deepEqual(request.body, {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'IPAMBlock',
      metadata: { name: '10-0-0-0-30', annotations: { [META]: '{"creationTimestamp":null}' } },
      spec: example.block.spec,
    });
  });

  it('writes the affinity with the three labels, labels in the annotation and deleted as a string', () => {
    const request = buildCustomResource(AFFINITY, example.affinity, V331);
    assert.deepEqual(request.body, {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'BlockAffinity',
      metadata: {
        name: 'worker-1-10-0-0-0-30',
        labels: THREE_LABELS,
        annotations: {
          [META]: `{"creationTimestamp":null,"labels":${JSON.stringify(THREE_LABELS)}}`,
        },
      },
      spec: {
        state: 'confirmed',
        node: 'worker-1',
        type: 'host',
        cidr: '10.0.0.0/30',
        deleted: 'false',
      },
    });
  });

  it('writes the affinity natively in v3 mode, deleted as a boolean', () => {
    const request = buildCustomResource(AFFINITY, example.affinity, kddWriteTargetFor('v3'));
    assert.deepEqual(request.body, {
      apiVersion: 'projectcalico.org/v3',
      kind: 'BlockAffinity',
      metadata: { name: 'worker-1-10-0-0-0-30', labels: THREE_LABELS },
      spec: {
        state: 'confirmed',
        node: 'worker-1',
        type: 'host',
        cidr: '10.0.0.0/30',
        deleted: false,
      },
    });
  });

  it('writes the handle and the config (IPAMConfig in v1 mode, IPAMConfiguration in v3 mode)', () => {
    const handle = buildCustomResource(HANDLE, example.handle, V331);
    assert.equal(handle.name, 'k8s-pod-network.4f2cd1');
    assert.deepEqual(handle.body.spec, example.handle.spec);
    const v1 = buildCustomResource(CONFIG, example.config, V331);
    assert.equal(v1.body.kind, 'IPAMConfig');
    assert.equal(v1.name, 'default');
    assert.deepEqual(v1.body.spec, { strictAffinity: true, autoAllocateBlocks: true });
    const v3 = buildCustomResource(CONFIG, example.config, kddWriteTargetFor('v3'));
    assert.equal(v3.body.kind, 'IPAMConfiguration');
    assert.equal(v3.body.apiVersion, 'projectcalico.org/v3');
  });

  it('fills the booleans Go always writes when the canonical object lacks them', () => {
    const block = canonical('IPAMBlock', '10-0-0-0-30', {
      cidr: '10.0.0.0/30',
      allocations: [],
      unallocated: [],
      attributes: [],
    });
    const spec = buildCustomResource(BLOCK, block, kddWriteTargetFor('v3')).body.spec as JsonObject;
    assert.equal(spec.strictAffinity, false);
    assert.equal(spec.deleted, false);
    const config = buildCustomResource(CONFIG, canonical('IPAMConfiguration', 'default', {}), V331)
      .body.spec;
    assert.deepEqual(config, { strictAffinity: false, autoAllocateBlocks: false });
  });

  it('leaves the creationTimestamp of IPAM objects out of the annotation, and uid out of the CR', () => {
    const block = {
      ...example.block,
      metadata: { name: '10-0-0-0-30', uid: 'x', creationTimestamp: '2025-01-01T00:00:00Z' },
    };
    const metadata = buildCustomResource(BLOCK, block, kddWriteTargetFor('v1')).body
      .metadata as JsonObject;
    assert.deepEqual(metadata, { name: '10-0-0-0-30', annotations: { [META]: '{}' } });
  });

  it('recomputes the labels of an IPv6 virtual affinity and keeps other labels', () => {
    const affinity = canonical('BlockAffinity', 'load-balancer-fd00-10-244---122', {
      state: 'confirmed',
      node: 'load-balancer',
      type: 'virtual',
      cidr: 'fd00:10:244::/122',
      deleted: false,
    });
    affinity.metadata.labels = { mine: 'yes', 'projectcalico.org/ip-version': '4' };
    const labels = (
      buildCustomResource(AFFINITY, affinity, kddWriteTargetFor('v3')).body.metadata as JsonObject
    ).labels as JsonObject;
    assert.equal(labels['projectcalico.org/ip-version'], '6');
    assert.equal(labels['projectcalico.org/affinity-type'], 'virtual');
    assert.equal(labels.mine, 'yes');
  });
});

function cr(
  kind: string,
  name: string,
  spec: JsonObject,
  apiVersion = 'crd.projectcalico.org/v1',
): JsonObject {
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      uid: 'fc385974-dabe-4c78-9ad0-8844cc22aa66',
      resourceVersion: '12',
      creationTimestamp: '2025-05-05T05:05:05Z',
    },
    spec,
  };
}

describe('reading IPAM CRs (calico-datastore-model.md §2.6)', () => {
  it('reads an IPv6 block: canonical CIDR, name from the CIDR, no affinityClaimTime, strictAffinity kept', () => {
    const block = cr('IPAMBlock', 'fd00-10-244---122', {
      cidr: 'FD00:10:244:0:0:0:0:0/122',
      affinity: 'host:worker-2',
      allocations: [null],
      unallocated: [0],
      attributes: [],
      sequenceNumber: 0,
      sequenceNumberForAllocation: null,
      deleted: false,
      strictAffinity: false,
    });
    const resource = resourceOf(readCustomResource(BLOCK, 'v1', block));
    assert.equal(resource.metadata.name, 'fd00-10-244---122');
    assert.equal(resource.metadata.uid, '3f1c9a2e-5b7d-4c1e-9a0b-112233445566');
    assert.equal(resource.metadata.creationTimestamp, '2025-05-05T05:05:05Z');
    assert.equal(resource.spec!.cidr, 'fd00:10:244::/122');
    assert.equal('affinityClaimTime' in resource.spec!, false);
    assert.equal(resource.spec!.strictAffinity, false);
    assert.equal(resource.spec!.sequenceNumberForAllocation, null);
  });

  it('adds strictAffinity false and drops a null affinity', () => {
    const block = cr('IPAMBlock', '10-0-0-0-30', {
      cidr: '10.0.0.0/30',
      affinity: null,
      allocations: [],
      unallocated: [],
      attributes: [],
    });
    const spec = resourceOf(readCustomResource(BLOCK, 'v3', block)).spec!;
    assert.equal(spec.strictAffinity, false);
    assert.equal('affinity' in spec, false);
  });

  it('reads an affinity: empty type is host, deleted string becomes a boolean, computed labels removed', () => {
    const affinity = cr('BlockAffinity', 'worker-2-fd00-10-244---122', {
      state: 'pending',
      node: 'worker-2',
      type: '',
      cidr: 'fd00:10:244::/122',
      deleted: 'false',
    });
    (affinity.metadata as JsonObject).labels = { ...THREE_LABELS, extra: 'kept' };
    const resource = resourceOf(readCustomResource(AFFINITY, 'v1', affinity));
    assert.equal(resource.metadata.name, 'worker-2-fd00-10-244---122');
    assert.deepEqual(resource.metadata.labels, { extra: 'kept' });
    assert.deepEqual(resource.spec, {
      state: 'pending',
      node: 'worker-2',
      type: 'host',
      cidr: 'fd00:10:244::/122',
      deleted: false,
    });
  });

  it('names handles by the lower-cased handle ID and keeps the ID', () => {
    const handle = cr('IPAMHandle', 'k8s-pod-network.abc', {
      handleID: 'k8s-pod-network.ABC',
      block: { '10.0.0.0/30': 1 },
      deleted: false,
    });
    const resource = resourceOf(readCustomResource(HANDLE, 'v1', handle));
    assert.equal(resource.metadata.name, 'k8s-pod-network.abc');
    assert.equal(resource.spec!.handleID, 'k8s-pod-network.ABC');
  });

  it('reads IPAMConfig as IPAMConfiguration with zero fields omitted', () => {
    const config = cr('IPAMConfig', 'default', {
      strictAffinity: false,
      autoAllocateBlocks: true,
      maxBlocksPerHost: 0,
      kubeVirtVMAddressPersistence: 'Disabled',
    });
    const resource = resourceOf(readCustomResource(CONFIG, 'v1', config));
    assert.equal(resource.kind, 'IPAMConfiguration');
    assert.equal(resource.apiVersion, 'projectcalico.org/v3');
    assert.deepEqual(resource.spec, {
      strictAffinity: false,
      autoAllocateBlocks: true,
      kubeVirtVMAddressPersistence: 'Disabled',
    });
    const empty = resourceOf(
      readCustomResource(
        CONFIG,
        'v3',
        cr('IPAMConfiguration', 'default', {}, 'projectcalico.org/v3'),
      ),
    );
    assert.deepEqual(empty.spec, { strictAffinity: false, autoAllocateBlocks: false });
  });

  const skipped: [string, typeof BLOCK, JsonObject, 'v1' | 'v3'][] = [
    ['block deleted true', BLOCK, { cidr: '10.0.0.0/30', deleted: true }, 'v1'],
    ['handle deleted true', HANDLE, { handleID: 'h', block: {}, deleted: true }, 'v3'],
    [
      'v1 affinity deleted "true"',
      AFFINITY,
      { state: 'confirmed', node: 'n', cidr: '10.0.0.0/30', deleted: 'true' },
      'v1',
    ],
    [
      'v1 affinity deleted "True"',
      AFFINITY,
      { state: 'confirmed', node: 'n', cidr: '10.0.0.0/30', deleted: 'True' },
      'v1',
    ],
    [
      'v3 affinity deleted true',
      AFFINITY,
      { state: 'confirmed', node: 'n', cidr: '10.0.0.0/30', deleted: true },
      'v3',
    ],
  ];
  for (const [title, info, spec, mode] of skipped) {
    it(`skips soft-deleted objects: ${title}`, () => {
      const result = readCustomResource(info, mode, cr(info.kind, 'obj', spec));
      assert.equal(result.type, 'skip');
      if (result.type === 'skip') {
        assert.equal(result.kind, info.kind);
        assert.match(result.key, /\/obj$/);
        assert.match(result.reason, /soft-deleted/);
      }
    });
  }

  const invalid: [string, typeof BLOCK, JsonObject][] = [
    ['block with a bad CIDR', BLOCK, { cidr: '10.0.0.0/33' }],
    [
      'affinity with a bad deleted string',
      AFFINITY,
      { state: 'confirmed', node: 'n', cidr: '10.0.0.0/30', deleted: 'maybe' },
    ],
    [
      'affinity without node',
      AFFINITY,
      { state: 'confirmed', cidr: '10.0.0.0/30', deleted: 'false' },
    ],
    ['handle without handleID', HANDLE, { block: {} }],
    ['config with a string boolean', CONFIG, { strictAffinity: 'yes', autoAllocateBlocks: true }],
    ['block without spec', BLOCK, {}],
  ];
  for (const [title, info, spec] of invalid) {
    it(`keeps unconvertible IPAM objects raw: ${title}`, () => {
      const object = cr(info.kind, 'obj', spec);
      if (title.includes('without spec')) delete object.spec;
      assert.equal(readCustomResource(info, 'v1', object).type, 'raw');
    });
  }

  it('keeps a sequenceNumber above 2^53 exact from JSON text to JSON text', () => {
    const text =
      '{"apiVersion":"crd.projectcalico.org/v1","kind":"IPAMBlock","metadata":{"name":"10-0-0-0-30"},' +
      '"spec":{"cidr":"10.0.0.0/30","allocations":[0,null,null,null],"unallocated":[1,2,3],"attributes":[{}],' +
      '"sequenceNumber":1756789012345678901,"sequenceNumberForAllocation":{"0":1756789012345678899},"deleted":false,"strictAffinity":false}}';
    const resource = resourceOf(readCustomResource(BLOCK, 'v1', parseJson(text)));
    assert.equal(resource.spec!.sequenceNumber, 1756789012345678901n);
    for (const mode of ['v1', 'v3'] as const) {
      const out = stringifyJson(buildCustomResource(BLOCK, resource, kddWriteTargetFor(mode)).body);
      assert.match(out, /"sequenceNumber":1756789012345678901,/);
      assert.match(out, /"0":1756789012345678899/);
    }
  });
});

describe('IPAM CRs against the Calico CRD schemas', () => {
  const files: Record<string, [string, string]> = {
    IPAMBlock: ['crd.projectcalico.org_ipamblocks.yaml', 'projectcalico.org_ipamblocks.yaml'],
    BlockAffinity: [
      'crd.projectcalico.org_blockaffinities.yaml',
      'projectcalico.org_blockaffinities.yaml',
    ],
    IPAMHandle: ['crd.projectcalico.org_ipamhandles.yaml', 'projectcalico.org_ipamhandles.yaml'],
    IPAMConfiguration: [
      'crd.projectcalico.org_ipamconfigs.yaml',
      'projectcalico.org_ipamconfigurations.yaml',
    ],
  };
  for (const resource of Object.values(example)) {
    for (const mode of ['v1', 'v3'] as const) {
      it(`${resource.kind} written in ${mode} mode conforms`, () => {
        const [v1File, v3File] = files[resource.kind]!;
        const schema = loadCrdSchema(mode === 'v1' ? v1File : v3File);
        const body = buildCustomResource(
          findKind(resource.kind)!,
          resource,
          kddWriteTargetFor(mode),
        ).body;
        assert.deepEqual(checkAgainstSchema(body, schema), []);
      });
    }
  }

  it('the checker catches a boolean deleted in a v1 affinity (it can fail)', () => {
    const body = buildCustomResource(AFFINITY, example.affinity, kddWriteTargetFor('v3')).body;
    const problems = checkAgainstSchema(
      body,
      loadCrdSchema('crd.projectcalico.org_blockaffinities.yaml'),
    );
    assert.deepEqual(problems, ['spec.deleted: not a string (boolean)']);
  });
});
