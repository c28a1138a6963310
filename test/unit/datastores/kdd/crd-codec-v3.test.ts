import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KddReadResult } from '../../../../src/datastores/kdd/codec-types.js';
import { kddWriteTargetFor } from '../../../../src/datastores/kdd/codec-types.js';
import {
  buildCustomResource,
  readCustomResource,
} from '../../../../src/datastores/kdd/crd-codec.js';
import type { JsonObject } from '../../../../src/model/json.js';
import { stringifyJson } from '../../../../src/model/json.js';
import { findKind } from '../../../../src/model/kinds.js';
import type { CalicoResource } from '../../../../src/model/resource.js';

const GNP = findKind('GlobalNetworkPolicy')!;
const NP = findKind('NetworkPolicy')!;
const META = 'projectcalico.org/metadata';
const UID = '3f1c9a2e-5b7d-4c1e-9a0b-112233445566';

function resourceOf(result: KddReadResult): CalicoResource {
  assert.equal(result.type, 'resource', stringifyJson(result));
  return (result as { resource: CalicoResource }).resource;
}

function v3Cr(name: string, annotations: Record<string, string> = {}): JsonObject {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: {
      name,
      namespace: 'prod',
      uid: UID,
      resourceVersion: '812',
      generation: 2,
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { 'projectcalico.org/tier': 'default', app: 'web' },
      annotations,
      ownerReferences: [
        { apiVersion: 'projectcalico.org/v3', kind: 'Tier', name: 'default', uid: UID },
      ],
      finalizers: ['example.com/keep'],
      managedFields: [{ manager: 'kubectl', operation: 'Update' }],
    },
    spec: { tier: 'default', selector: "app == 'web'", types: ['Ingress'] },
  };
}

describe('reading v3 CRs', () => {
  it('keeps native metadata as it is: uid, owner references, finalizers, resourceVersion', () => {
    const resource = resourceOf(readCustomResource(NP, 'v3', v3Cr('allow-web', { note: 'n' })));
    assert.deepEqual(resource, {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { ...(v3Cr('allow-web').metadata as JsonObject), annotations: { note: 'n' } },
      spec: { tier: 'default', selector: "app == 'web'", types: ['Ingress'] },
    } as unknown as CalicoResource);
  });

  it('strips a leftover metadata annotation and keeps the CR name, which Calico addresses it by', () => {
    const result = readCustomResource(
      NP,
      'v3',
      v3Cr('default.legacy', { [META]: '{"name":"legacy"}' }),
    );
    const resource = resourceOf(result);
    assert.equal(resource.metadata.name, 'default.legacy');
    assert.equal(resource.metadata.annotations, undefined);
    assert.equal(result.type === 'resource' && result.storedName, 'default.legacy');
  });

  it('does not parse the leftover annotation, so bad JSON in it is no error', () => {
    assert.equal(readCustomResource(NP, 'v3', v3Cr('x', { [META]: '{oops' })).type, 'resource');
  });

  it('keys raw entries by the v3 API path', () => {
    const result = readCustomResource(NP, 'v3', { metadata: { namespace: 'prod' } });
    assert.equal(
      result.type === 'raw' && result.raw.key,
      '/apis/projectcalico.org/v3/namespaces/prod/networkpolicies',
    );
  });
});

describe('writing v3 CRs', () => {
  const canonical = (): CalicoResource => ({
    apiVersion: 'projectcalico.org/v3',
    kind: 'GlobalNetworkPolicy',
    metadata: {
      name: 'allow-dns',
      uid: UID,
      resourceVersion: '9',
      generation: 4,
      creationTimestamp: '2025-03-01T10:00:00Z',
      labels: { 'projectcalico.org/tier': 'default', team: 'net' },
      annotations: { owner: 'alice' },
      ownerReferences: [
        { apiVersion: 'projectcalico.org/v3', kind: 'Tier', name: 'default', uid: UID },
      ],
      finalizers: ['example.com/keep'],
    },
    spec: { selector: 'all()' },
  });

  it('sends the native object without server-assigned metadata', () => {
    const request = buildCustomResource(GNP, canonical(), kddWriteTargetFor('v3'));
    assert.equal(request.name, 'allow-dns');
    assert.deepEqual(request.body, {
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: {
        name: 'allow-dns',
        labels: { 'projectcalico.org/tier': 'default', team: 'net' },
        annotations: { owner: 'alice' },
        ownerReferences: [
          { apiVersion: 'projectcalico.org/v3', kind: 'Tier', name: 'default', uid: UID },
        ],
        finalizers: ['example.com/keep'],
      },
      spec: { selector: 'all()' },
    });
  });

  it('passes the live resourceVersion for an update and never a metadata annotation', () => {
    const resource = canonical();
    resource.metadata.annotations = { [META]: '{"name":"x"}' };
    const metadata = buildCustomResource(GNP, resource, kddWriteTargetFor('v3'), {
      resourceVersion: '1234',
    }).body.metadata as JsonObject;
    assert.equal(metadata.resourceVersion, '1234');
    assert.equal(metadata.annotations, undefined);
  });

  it('writes the v3 name whatever the policy-name convention says', () => {
    const target = {
      ...kddWriteTargetFor('v3'),
      convention: { prefixDefaultTier: true, nameAnnotation: true },
    };
    assert.equal(buildCustomResource(GNP, canonical(), target).name, 'allow-dns');
  });

  it('refuses an object of another kind', () => {
    assert.throws(() => buildCustomResource(NP, canonical(), kddWriteTargetFor('v3')), {
      name: 'InternalError',
    });
  });
});
