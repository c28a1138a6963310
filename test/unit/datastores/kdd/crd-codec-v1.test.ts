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

const GNP = findKind('GlobalNetworkPolicy')!;
const NP = findKind('NetworkPolicy')!;
const POOL = findKind('IPPool')!;
const META = 'projectcalico.org/metadata';
const V3_UID = '3f1c9a2e-5b7d-4c1e-9a0b-112233445566';
const CR_UID = 'fc385974-dabe-4c78-9ad0-8844cc22aa66';

function resourceOf(result: KddReadResult): CalicoResource {
  assert.equal(result.type, 'resource', stringifyJson(result));
  return (result as { resource: CalicoResource }).resource;
}

function gnpCr(
  name: string,
  annotation: JsonObject | undefined,
  spec: JsonObject = {},
): JsonObject {
  const annotations: Record<string, string> = { 'projectcalico.org/extra': 'x' };
  if (annotation) annotations[META] = JSON.stringify(annotation);
  return {
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'GlobalNetworkPolicy',
    metadata: {
      name,
      uid: CR_UID,
      resourceVersion: '4711',
      creationTimestamp: '2025-04-01T00:00:00Z',
      generation: 3,
      labels: { 'projectcalico.org/tier': 'default' },
      annotations,
    },
    spec: { selector: 'all()', ...spec },
  };
}

describe('reading v1 CRs', () => {
  it('overlays the metadata annotation: name, labels, annotations, creationTimestamp, uid', () => {
    const cr = gnpCr('default.allow-dns', {
      name: 'allow-dns',
      creationTimestamp: '2025-03-01T10:00:00Z',
      labels: { team: 'net', 'projectcalico.org/tier': 'default' },
      annotations: { owner: 'alice' },
    });
    const result = readCustomResource(GNP, 'v1', cr);
    assert.equal(result.type === 'resource' && result.storedName, 'default.allow-dns');
    assert.deepEqual(resourceOf(result), {
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: {
        name: 'allow-dns',
        uid: V3_UID,
        resourceVersion: '4711',
        creationTimestamp: '2025-03-01T10:00:00Z',
        labels: { 'projectcalico.org/tier': 'default', team: 'net' },
        annotations: { 'projectcalico.org/extra': 'x', owner: 'alice' },
      },
      spec: { selector: 'all()' },
    });
  });

  const names: [string, string, JsonObject | undefined, string | undefined, string][] = [
    ['pre-3.30 default tier (annotation without name)', 'default.foo', {}, undefined, 'foo'],
    ['pre-3.30 default tier, explicit tier', 'default.foo', {}, 'default', 'foo'],
    ['tiered policy keeps its prefix', 'security.foo', {}, 'security', 'security.foo'],
    ['3.30 annotation name wins', 'default.foo', { name: 'foo' }, 'default', 'foo'],
    ['3.32 name', 'foo', { name: 'foo' }, undefined, 'foo'],
    ['default.default.x strips one prefix', 'default.default.x', {}, undefined, 'default.x'],
    [
      'no annotation at all: canonical rule strips the prefix',
      'default.foo',
      undefined,
      undefined,
      'foo',
    ],
  ];
  for (const [title, crName, annotation, tier, expected] of names) {
    it(`names policies: ${title}`, () => {
      const cr = gnpCr(crName, annotation, tier ? { tier } : {});
      assert.equal(resourceOf(readCustomResource(GNP, 'v1', cr)).metadata.name, expected);
    });
  }

  it('keeps knp.default. names of NetworkPolicies', () => {
    const cr = { ...gnpCr('knp.default.web', {}), kind: 'NetworkPolicy' } as JsonObject;
    (cr.metadata as JsonObject).namespace = 'prod';
    const resource = resourceOf(readCustomResource(NP, 'v1', cr));
    assert.equal(resource.metadata.name, 'knp.default.web');
    assert.equal(resource.metadata.namespace, 'prod');
  });

  it('takes the namespace and resourceVersion from the CR, not the annotation', () => {
    const cr = gnpCr('default.x', {
      name: 'x',
      namespace: 'other',
      resourceVersion: '1',
      uid: 'nope',
    });
    (cr.metadata as JsonObject).namespace = 'prod';
    const meta = resourceOf(readCustomResource(NP, 'v1', cr)).metadata;
    assert.equal(meta.namespace, 'prod');
    assert.equal(meta.resourceVersion, '4711');
    assert.equal(meta.uid, V3_UID);
  });

  it('uses the CR creationTimestamp when the annotation has none, and normalises annotation times as Go does', () => {
    const withNull = readCustomResource(GNP, 'v1', gnpCr('a', { creationTimestamp: null }));
    assert.equal(resourceOf(withNull).metadata.creationTimestamp, '2025-04-01T00:00:00Z');
    const zero = readCustomResource(
      GNP,
      'v1',
      gnpCr('a', { creationTimestamp: '0001-01-01T00:00:00Z' }),
    );
    assert.equal(resourceOf(zero).metadata.creationTimestamp, '2025-04-01T00:00:00Z');
    const offset = readCustomResource(
      GNP,
      'v1',
      gnpCr('a', { creationTimestamp: '2025-03-01T12:30:45.123+02:00' }),
    );
    assert.equal(resourceOf(offset).metadata.creationTimestamp, '2025-03-01T10:30:45Z');
  });

  it('lets annotation labels win over CR labels with the same key', () => {
    const cr = gnpCr('a', { labels: { 'projectcalico.org/tier': 'other' } });
    assert.equal(
      resourceOf(readCustomResource(GNP, 'v1', cr)).metadata.labels!['projectcalico.org/tier'],
      'other',
    );
  });

  it('takes finalizers and owner references from the annotation, mapping Calico owners to v3', () => {
    const cr = gnpCr('a', {
      finalizers: ['projectcalico.org/x'],
      ownerReferences: [
        {
          apiVersion: 'crd.projectcalico.org/v1',
          kind: 'Tier',
          name: 't',
          uid: CR_UID,
          controller: true,
        },
        { apiVersion: 'projectcalico.org/v3', kind: 'Tier', name: 'old', uid: CR_UID },
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: V3_UID },
      ],
    });
    const meta = resourceOf(readCustomResource(GNP, 'v1', cr)).metadata;
    assert.deepEqual(meta.finalizers, ['projectcalico.org/x']);
    assert.deepEqual(meta.ownerReferences, [
      {
        apiVersion: 'projectcalico.org/v3',
        kind: 'Tier',
        name: 't',
        uid: V3_UID,
        controller: true,
      },
      { apiVersion: 'projectcalico.org/v3', kind: 'Tier', name: 'old', uid: V3_UID },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: V3_UID },
    ]);
    assert.equal(
      meta.generation,
      undefined,
      'CR generation is replaced by the annotation metadata',
    );
  });

  it('keeps the CR metadata when there is no annotation, converting only the uid', () => {
    const cr = gnpCr('pool-a', undefined) as JsonObject & { kind: string };
    cr.kind = 'IPPool';
    const meta = resourceOf(readCustomResource(POOL, 'v1', cr)).metadata;
    assert.equal(meta.name, 'pool-a');
    assert.equal(meta.uid, V3_UID);
    assert.equal(meta.creationTimestamp, '2025-04-01T00:00:00Z');
    assert.equal(meta.generation, 3);
    assert.deepEqual(meta.annotations, { 'projectcalico.org/extra': 'x' });
  });

  it('uses an annotation name for any kind, as Calico does', () => {
    const cr = gnpCr('stored', { name: 'shown' });
    assert.equal(resourceOf(readCustomResource(POOL, 'v1', cr)).metadata.name, 'shown');
  });

  const bad: [string, (cr: JsonObject) => void, RegExp][] = [
    ['invalid annotation JSON', (cr) => setAnnotation(cr, '{"name":'), /not JSON/],
    ['annotation labels not strings', (cr) => setAnnotation(cr, '{"labels":{"a":1}}'), /labels/],
    [
      'annotation with a bad time',
      (cr) => setAnnotation(cr, '{"creationTimestamp":"yesterday"}'),
      /RFC 3339/,
    ],
    [
      'bad owner uid',
      (cr) =>
        setAnnotation(
          cr,
          '{"ownerReferences":[{"apiVersion":"crd.projectcalico.org/v1","kind":"Tier","name":"t","uid":"x"}]}',
        ),
      /UUID/,
    ],
    ['bad CR uid', (cr) => ((cr.metadata as JsonObject).uid = 'not-a-uuid'), /uid/],
    ['spec not an object', (cr) => (cr.spec = 'text'), /spec/],
  ];
  for (const [title, mutate, reason] of bad) {
    it(`returns a raw entry, never throws: ${title}`, () => {
      const cr = gnpCr('default.bad', {});
      mutate(cr);
      const result = readCustomResource(GNP, 'v1', cr);
      assert.equal(result.type, 'raw');
      if (result.type !== 'raw') return;
      assert.equal(result.raw.source, 'kdd');
      assert.equal(
        result.raw.key,
        '/apis/crd.projectcalico.org/v1/globalnetworkpolicies/default.bad',
      );
      assert.match(result.raw.reason, reason);
      assert.deepEqual(parseJson(result.raw.value.toString('utf8')), cr);
    });
  }

  it('keeps the bytes as received in a raw entry, and copes with objects without a name', () => {
    const bytes = Buffer.from('{"metadata":{}}');
    const result = readCustomResource(GNP, 'v1', { metadata: {} }, { bytes });
    assert.equal(result.type, 'raw');
    if (result.type === 'raw') {
      assert.equal(result.raw.value, bytes);
      assert.equal(result.raw.key, '/apis/crd.projectcalico.org/v1/globalnetworkpolicies');
    }
    assert.equal(readCustomResource(GNP, 'v1', 'junk').type, 'raw');
  });
});

function setAnnotation(cr: JsonObject, text: string): void {
  ((cr.metadata as JsonObject).annotations as JsonObject)[META] = text;
}

function canonicalGnp(
  overrides: Partial<CalicoResource['metadata']> = {},
  tier?: string,
): CalicoResource {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'GlobalNetworkPolicy',
    metadata: {
      name: 'allow-dns',
      uid: V3_UID,
      resourceVersion: '99',
      creationTimestamp: '2025-03-01T10:00:00Z',
      labels: {
        'projectcalico.org/tier': tier ?? 'default',
        team: 'net',
        'operator.tigera.io/x': 'y',
      },
      annotations: { owner: 'a<b&c', 'projectcalico.org/note': 'n' },
      ...overrides,
    },
    spec: { ...(tier ? { tier } : {}), selector: 'all()', order: 10 },
  };
}

describe('writing v1 CRs', () => {
  it('writes metadata as ConvertCalicoResourceToK8sResource does (exact annotation bytes)', () => {
    const request = buildCustomResource(GNP, canonicalGnp(), kddWriteTargetFor('v1', 'v3.32.1'));
    assert.equal(request.name, 'allow-dns');
    assert.equal(request.namespace, undefined);
    assert.deepEqual(request.body, {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'GlobalNetworkPolicy',
      metadata: {
        name: 'allow-dns',
        labels: { 'projectcalico.org/tier': 'default', 'operator.tigera.io/x': 'y' },
        annotations: {
          [META]:
            '{"name":"allow-dns","creationTimestamp":"2025-03-01T10:00:00Z",' +
            '"labels":{"operator.tigera.io/x":"y","projectcalico.org/tier":"default","team":"net"},' +
            '"annotations":{"owner":"a\\u003cb\\u0026c","projectcalico.org/note":"n"}}',
          'projectcalico.org/note': 'n',
        },
      },
      spec: { selector: 'all()', order: 10 },
    });
  });

  const conventions: [string, string, string, string | undefined][] = [
    ['v3.29.4', 'default', 'default.allow-dns', undefined],
    ['v3.31.0', 'default', 'default.allow-dns', 'allow-dns'],
    ['v3.32.0', 'default', 'allow-dns', 'allow-dns'],
    ['', 'default', 'allow-dns', 'allow-dns'],
  ];
  for (const [version, tier, crName, annotatedName] of conventions) {
    it(`stores a default-tier policy for Calico ${version || 'newest'} as ${crName}`, () => {
      const request = buildCustomResource(
        GNP,
        canonicalGnp({}, tier),
        kddWriteTargetFor('v1', version),
      );
      assert.equal(request.name, crName);
      assert.equal((request.body.metadata as JsonObject).name, crName);
      const annotation = JSON.parse(
        ((request.body.metadata as JsonObject).annotations as JsonObject)[META] as string,
      );
      assert.equal(annotation.name, annotatedName);
    });
  }

  it('never prefixes policies of other tiers', () => {
    const resource = canonicalGnp({ name: 'security.block' }, 'security');
    assert.equal(
      buildCustomResource(GNP, resource, kddWriteTargetFor('v1', 'v3.30.0')).name,
      'security.block',
    );
  });

  it('clears the name in the annotation for non-policy kinds and sends no uid', () => {
    const pool: CalicoResource = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'IPPool',
      metadata: { name: 'pool-a', uid: V3_UID, resourceVersion: '5' },
      spec: { cidr: '10.0.0.0/16' },
      status: { conditions: [] },
    };
    const request = buildCustomResource(POOL, pool, kddWriteTargetFor('v1'), {
      resourceVersion: '77',
    });
    const metadata = request.body.metadata as JsonObject;
    assert.deepEqual(metadata, {
      name: 'pool-a',
      resourceVersion: '77',
      annotations: { [META]: '{}' },
    });
    assert.deepEqual(request.body.status, { conditions: [] });
  });

  it('writes a zero creationTimestamp as null for Calico < 3.32 and omits it from 3.32', () => {
    const pool: CalicoResource = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'IPPool',
      metadata: { name: 'p' },
      spec: {},
    };
    const annotationFor = (version: string) =>
      (
        (
          buildCustomResource(POOL, pool, kddWriteTargetFor('v1', version)).body
            .metadata as JsonObject
        ).annotations as JsonObject
      )[META];
    assert.equal(annotationFor('v3.31.3'), '{"creationTimestamp":null}');
    assert.equal(annotationFor('v3.32.0'), '{}');
  });

  it('maps v3 owner references to the v1 group with ConvertUID, inside the annotation only', () => {
    const resource = canonicalGnp({
      ownerReferences: [
        {
          apiVersion: 'projectcalico.org/v3',
          kind: 'Tier',
          name: 't',
          uid: V3_UID,
          blockOwnerDeletion: true,
        },
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: V3_UID },
      ],
      finalizers: ['projectcalico.org/x'],
    });
    const metadata = buildCustomResource(GNP, resource, kddWriteTargetFor('v1')).body
      .metadata as JsonObject;
    assert.equal(metadata.ownerReferences, undefined);
    assert.equal(metadata.finalizers, undefined);
    const annotation = JSON.parse((metadata.annotations as JsonObject)[META] as string);
    assert.deepEqual(annotation.ownerReferences, [
      {
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'Tier',
        name: 't',
        uid: CR_UID,
        blockOwnerDeletion: true,
      },
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: V3_UID },
    ]);
    assert.deepEqual(annotation.finalizers, ['projectcalico.org/x']);
  });

  it('refuses metadata Calico cannot encode', () => {
    const badOwner = canonicalGnp({
      ownerReferences: [{ apiVersion: 'projectcalico.org/v3', kind: 'Tier', name: 't', uid: 'x' }],
    });
    assert.throws(() => buildCustomResource(GNP, badOwner, kddWriteTargetFor('v1')), {
      name: 'InvalidObjectError',
    });
    const badTime = canonicalGnp({ creationTimestamp: 'soon' });
    assert.throws(() => buildCustomResource(GNP, badTime, kddWriteTargetFor('v1')), {
      name: 'InvalidObjectError',
    });
  });

  it('writes the namespace of namespaced kinds only', () => {
    const np = { ...canonicalGnp({ namespace: 'prod' }), kind: 'NetworkPolicy' };
    const request = buildCustomResource(NP, np, kddWriteTargetFor('v1'));
    assert.equal(request.namespace, 'prod');
    assert.equal((request.body.metadata as JsonObject).namespace, 'prod');
    const pool: CalicoResource = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'IPPool',
      metadata: { name: 'p', namespace: 'x' },
      spec: {},
    };
    assert.equal(
      (buildCustomResource(POOL, pool, kddWriteTargetFor('v1')).body.metadata as JsonObject)
        .namespace,
      undefined,
    );
  });

  it('serialises large integers exactly', () => {
    const resource = canonicalGnp();
    resource.spec!.order = 18446744073709551615n;
    const body = buildCustomResource(GNP, resource, kddWriteTargetFor('v1')).body;
    assert.match(stringifyJson(body), /"order":18446744073709551615/);
  });
});
