import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { kddWriteTargetFor } from '../../../../src/datastores/kdd/codec-types.js';
import {
  buildCustomResource,
  readCustomResource,
} from '../../../../src/datastores/kdd/crd-codec.js';
import { crdPathsFor } from '../../../../src/datastores/kdd/crd-paths.js';
import { convertUid } from '../../../../src/datastores/kdd/uid.js';
import type { JsonObject } from '../../../../src/model/json.js';
import { jsonEqual, parseJson, stringifyJson } from '../../../../src/model/json.js';
import { findKind } from '../../../../src/model/kinds.js';
import { stripForComparison } from '../../../../src/model/normalize.js';
import type { CalicoResource } from '../../../../src/model/resource.js';
import { checkAgainstSchema, loadCrdSchema } from './crd-schema.js';

const TIER_UID = '3f1c9a2e-5b7d-4c1e-9a0b-112233445566';

const obj = (
  kind: string,
  metadata: CalicoResource['metadata'],
  spec: JsonObject,
  status?: JsonObject,
): CalicoResource => ({
  apiVersion: 'projectcalico.org/v3',
  kind,
  metadata: { uid: randomUUID(), creationTimestamp: '2024-12-24T18:00:00Z', ...metadata },
  spec,
  ...(status ? { status } : {}),
});

/** Canonical objects as an export would hold them. */
const objects: CalicoResource[] = [
  obj(
    'GlobalNetworkPolicy',
    { name: 'allow-dns', labels: { 'projectcalico.org/tier': 'default', team: 'net' } },
    {
      tier: 'default',
      order: 100,
      selector: 'all()',
      types: ['Egress'],
      egress: [{ action: 'Allow', protocol: 'UDP', destination: { ports: [53] } }],
    },
  ),
  obj(
    'GlobalNetworkPolicy',
    { name: 'security.block', labels: { 'projectcalico.org/tier': 'security' } },
    {
      tier: 'security',
      selector: 'all()',
      types: ['Ingress'],
      ingress: [{ action: 'Deny' }],
    },
  ),
  obj(
    'NetworkPolicy',
    {
      name: 'allow-web',
      namespace: 'prod',
      annotations: { owner: 'alice', 'projectcalico.org/x': 'y' },
      ownerReferences: [
        {
          apiVersion: 'projectcalico.org/v3',
          kind: 'Tier',
          name: 'default',
          uid: TIER_UID,
          controller: true,
        },
      ],
      finalizers: ['example.com/keep'],
    },
    { selector: "app == 'web'", types: ['Ingress'], ingress: [{ action: 'Allow' }] },
  ),
  obj(
    'IPPool',
    { name: 'pool-a' },
    {
      cidr: '10.244.0.0/16',
      blockSize: 26,
      ipipMode: 'Never',
      vxlanMode: 'Always',
      natOutgoing: true,
    },
    { conditions: [] },
  ),
  obj('Tier', { name: 'security' }, { order: 100, defaultAction: 'Deny' }),
  obj('FelixConfiguration', { name: 'node.worker-1' }, { logSeverityScreen: 'Info' }),
  obj(
    'IPAMBlock',
    { name: 'fd00-10-244---122' },
    {
      cidr: 'fd00:10:244::/122',
      affinity: 'host:worker-2',
      allocations: [0, null],
      unallocated: [1],
      attributes: [
        {
          handle_id: 'ipip-tunnel-addr-worker-2',
          secondary: { node: 'worker-2', type: 'ipipTunnelAddress' },
        },
      ],
      sequenceNumber: 1756789012345678901n,
      sequenceNumberForAllocation: { '0': 1756789012345678900n },
      deleted: false,
      strictAffinity: false,
    },
  ),
  obj(
    'BlockAffinity',
    { name: 'worker-2-fd00-10-244---122' },
    {
      state: 'confirmed',
      node: 'worker-2',
      type: 'host',
      cidr: 'fd00:10:244::/122',
      deleted: false,
    },
  ),
  obj(
    'IPAMHandle',
    { name: 'ipip-tunnel-addr-worker-2' },
    { handleID: 'ipip-tunnel-addr-worker-2', block: { 'fd00:10:244::/122': 1 }, deleted: false },
  ),
  obj(
    'IPAMConfiguration',
    { name: 'default' },
    { strictAffinity: false, autoAllocateBlocks: true, maxBlocksPerHost: 4 },
  ),
];

/** What the API server adds on create: its own uid, resourceVersion and creationTimestamp. */
function serverStore(body: JsonObject): { stored: JsonObject; uid: string } {
  const uid = randomUUID();
  const stored = parseJson(stringifyJson(body)) as JsonObject;
  Object.assign(stored.metadata as JsonObject, {
    uid,
    resourceVersion: '555',
    creationTimestamp: '2026-02-02T02:02:02Z',
  });
  return { stored, uid };
}

const targets = [
  kddWriteTargetFor('v1', 'v3.28.0'),
  kddWriteTargetFor('v1', 'v3.29.2'),
  kddWriteTargetFor('v1', 'v3.31.0'),
  kddWriteTargetFor('v1', 'v3.32.1'),
  kddWriteTargetFor('v3', 'v3.32.1'),
];

describe('canonical -> CR -> canonical', () => {
  for (const resource of objects) {
    for (const target of targets) {
      // Calico before v3.29 has no tiers: a policy of another tier cannot be stored there.
      if (
        target.convention.prefixEveryName &&
        resource.spec?.tier &&
        resource.spec.tier !== 'default'
      )
        continue;
      const label = `${resource.kind} ${resource.metadata.name}, ${target.mode} mode, ${target.convention.prefixDefaultTier ? 'prefixed' : 'plain'} names, zero time ${target.zeroCreationTimestamp}`;
      it(label, () => {
        const info = findKind(resource.kind)!;
        const request = buildCustomResource(info, resource, target);
        const { stored, uid } = serverStore(request.body);
        const result = readCustomResource(info, target.mode, stored);
        assert.equal(result.type, 'resource', stringifyJson(result));
        if (result.type !== 'resource') return;
        const back = result.resource;
        assert.equal(result.storedName, request.name);
        assert.ok(
          jsonEqual(stripForComparison(back), stripForComparison(resource)),
          `${stringifyJson(back)}\n!=\n${stringifyJson(resource)}`,
        );
        assert.equal(back.metadata.resourceVersion, '555');
        assert.equal(back.metadata.uid, target.mode === 'v1' ? convertUid(uid) : uid);
        const keepsTime =
          target.mode === 'v1' &&
          !['IPAMBlock', 'BlockAffinity', 'IPAMHandle', 'IPAMConfiguration'].includes(
            resource.kind,
          );
        assert.equal(
          back.metadata.creationTimestamp,
          keepsTime ? resource.metadata.creationTimestamp : '2026-02-02T02:02:02Z',
        );
      });
    }
  }

  it('reads a pre-3.32 default-tier policy back under its v3 name from the default. CR', () => {
    const gnp = objects[0]!;
    const request = buildCustomResource(
      findKind(gnp.kind)!,
      gnp,
      kddWriteTargetFor('v1', 'v3.30.0'),
    );
    assert.equal(request.name, 'default.allow-dns');
  });
});

describe('CRs written for the archive objects conform to the Calico CRD schemas', () => {
  for (const resource of objects) {
    for (const mode of ['v1', 'v3'] as const) {
      it(`${resource.kind} ${resource.metadata.name} (${mode})`, () => {
        const info = findKind(resource.kind)!;
        const paths = crdPathsFor(info, mode);
        const schema = loadCrdSchema(`${paths.group}_${paths.plural}.yaml`);
        const body = buildCustomResource(info, resource, kddWriteTargetFor(mode)).body;
        assert.deepEqual(checkAgainstSchema(body, schema), []);
      });
    }
  }
});
