import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildKddWrite,
  buildNodeUpdate,
  kddWriteTargetFor,
  readKddObject,
  toListedItem,
} from '../../../../src/datastores/kdd/codec.js';
import type { JsonObject } from '../../../../src/model/json.js';
import { findKind } from '../../../../src/model/kinds.js';
import { policyConventionFor } from '../../../../src/model/policy-names.js';

const node: JsonObject = {
  metadata: { name: 'worker-1', labels: { a: 'b' } },
  spec: {},
  status: {},
};

describe('KDD codec entry points', () => {
  it('reads Calico CRs and Kubernetes Nodes, and refuses kinds stored otherwise', () => {
    const pool = readKddObject(findKind('IPPool')!, 'v3', {
      metadata: { name: 'p' },
      spec: { cidr: '10.0.0.0/16' },
    });
    assert.equal(pool.type === 'resource' && pool.resource.kind, 'IPPool');
    const calicoNode = readKddObject(findKind('Node')!, 'v1', node);
    assert.equal(calicoNode.type === 'resource' && calicoNode.resource.kind, 'Node');
    assert.throws(() => readKddObject(findKind('Profile')!, 'v1', node), { name: 'InternalError' });
  });

  it('turns reads into listed items, skips into nothing', () => {
    const skip = readKddObject(findKind('IPAMHandle')!, 'v3', {
      metadata: { name: 'h' },
      spec: { handleID: 'h', block: {}, deleted: true },
    });
    assert.equal(skip.type, 'skip');
    assert.equal(toListedItem(skip), undefined);
    const raw = readKddObject(findKind('IPPool')!, 'v1', { metadata: {} });
    assert.equal(toListedItem(raw)?.type, 'raw');
    const resource = readKddObject(findKind('IPPool')!, 'v1', { metadata: { name: 'p' } });
    assert.deepEqual(Object.keys(toListedItem(resource)!), ['type', 'resource']);
  });

  it('derives write targets from the Calico version', () => {
    assert.deepEqual(kddWriteTargetFor('v1', 'v3.31.2'), {
      mode: 'v1',
      convention: policyConventionFor('v3.31.2'),
      zeroCreationTimestamp: 'null',
    });
    assert.deepEqual(kddWriteTargetFor('v3'), {
      mode: 'v3',
      convention: policyConventionFor(undefined),
      zeroCreationTimestamp: 'omit',
    });
    assert.equal(kddWriteTargetFor('v1', 'v3.32.0').zeroCreationTimestamp, 'omit');
    assert.equal(kddWriteTargetFor('v1', 'v2.6.12').zeroCreationTimestamp, 'null');
    assert.equal(kddWriteTargetFor('v1', 'v4.0.0').zeroCreationTimestamp, 'omit');
  });

  it('writes CRs and Node updates', () => {
    const pool = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'IPPool',
      metadata: { name: 'p' },
      spec: {},
    };
    assert.equal(
      buildKddWrite(findKind('IPPool')!, pool, kddWriteTargetFor('v3')).body.kind,
      'IPPool',
    );
    const calicoNode = readKddObject(findKind('Node')!, 'v1', node);
    assert.equal(calicoNode.type, 'resource');
    if (calicoNode.type === 'resource') {
      assert.deepEqual(buildNodeUpdate(calicoNode.resource, node), node);
    }
  });
});
