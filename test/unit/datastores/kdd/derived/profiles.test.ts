import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultAllowProfile,
  profileFromNamespace,
  profileFromServiceAccount,
  serviceAccountProfileName,
} from '../../../../../src/datastores/kdd/derived/profiles.js';
import { InvalidObjectError } from '../../../../../src/model/errors.js';
import type { JsonObject } from '../../../../../src/model/json.js';
import { parseJson, stringifyJson } from '../../../../../src/model/json.js';

// Expected converted uids were computed independently (bit-reversal of every byte except 6 and 8,
// conversion.go ConvertUID); the first pair is Calico's own (conversion_test.go "Test UID conversion").
const CALICO_TEST_UID = '30316465-6365-4463-ad63-3564622d3638';
const CALICO_TEST_UID_CONVERTED = '0c8c26a6-c6a6-44c6-adc6-ac2646b46c1c';
const SHOP_UID = '6a1f3e2c-8b4d-4f7a-9c1e-2d3b4a5c6d7e';
const SHOP_UID_CONVERTED = '56f87c34-d1b2-4f5e-9c78-b4dc523ab67e';
const SA_UID = 'b7e4c2a1-5d3f-4e6b-8a9c-0f1e2d3c4b5a';
const SA_UID_CONVERTED = 'ed274385-bafc-4ed6-8a39-f078b43cd25a';

/** A Namespace as the API server returns it (parsed from JSON text, as the adapter does). */
function namespace(name: string, uid: string, labels?: Record<string, string>): JsonObject {
  const text = stringifyJson({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid,
      resourceVersion: '4711',
      creationTimestamp: '2025-03-04T05:06:07Z',
      ...(labels ? { labels } : {}),
      annotations: { 'scheduler.alpha.kubernetes.io/node-selector': 'pool=shop' },
      managedFields: [{ manager: 'kubectl', operation: 'Update' }],
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  return parseJson(text) as JsonObject;
}

function serviceAccount(
  ns: string | undefined,
  name: string,
  labels?: Record<string, string>,
): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name,
      ...(ns === undefined ? {} : { namespace: ns }),
      uid: SA_UID,
      resourceVersion: '982',
      creationTimestamp: '2025-03-04T05:07:00+02:00',
      ...(labels ? { labels } : {}),
    },
  };
}

const ALLOW = [{ action: 'Allow' }];

describe('profileFromNamespace', () => {
  const cases: { title: string; input: JsonObject; expected: JsonObject }[] = [
    {
      title:
        'namespace with labels (Calico conversion_test "should parse a Namespace to a Profile")',
      input: namespace('default', CALICO_TEST_UID, { foo: 'bar', roger: 'rabbit' }),
      expected: {
        apiVersion: 'projectcalico.org/v3',
        kind: 'Profile',
        metadata: {
          name: 'kns.default',
          uid: CALICO_TEST_UID_CONVERTED,
          resourceVersion: '4711/',
          creationTimestamp: '2025-03-04T05:06:07Z',
        },
        spec: {
          ingress: ALLOW,
          egress: ALLOW,
          labelsToApply: {
            'pcns.foo': 'bar',
            'pcns.projectcalico.org/name': 'default',
            'pcns.roger': 'rabbit',
          },
        },
      },
    },
    {
      title: 'namespace with the automatic kubernetes.io/metadata.name label',
      input: namespace('shop', SHOP_UID, {
        'kubernetes.io/metadata.name': 'shop',
        'team.example.com/owner': 'payments',
        tier: '',
      }),
      expected: {
        apiVersion: 'projectcalico.org/v3',
        kind: 'Profile',
        metadata: {
          name: 'kns.shop',
          uid: SHOP_UID_CONVERTED,
          resourceVersion: '4711/',
          creationTimestamp: '2025-03-04T05:06:07Z',
        },
        spec: {
          ingress: ALLOW,
          egress: ALLOW,
          labelsToApply: {
            'pcns.kubernetes.io/metadata.name': 'shop',
            'pcns.projectcalico.org/name': 'shop',
            'pcns.team.example.com/owner': 'payments',
            'pcns.tier': '',
          },
        },
      },
    },
    {
      title: 'namespace without labels: only the name label (Calico "with no labels")',
      input: namespace('default', CALICO_TEST_UID),
      expected: {
        apiVersion: 'projectcalico.org/v3',
        kind: 'Profile',
        metadata: {
          name: 'kns.default',
          uid: CALICO_TEST_UID_CONVERTED,
          resourceVersion: '4711/',
          creationTimestamp: '2025-03-04T05:06:07Z',
        },
        spec: {
          ingress: ALLOW,
          egress: ALLOW,
          labelsToApply: { 'pcns.projectcalico.org/name': 'default' },
        },
      },
    },
  ];
  for (const { title, input, expected } of cases) {
    it(title, () => {
      const before = stringifyJson(input);
      assert.deepEqual(profileFromNamespace(input), expected);
      assert.equal(stringifyJson(input), before, 'input not modified');
    });
  }

  it('writes labelsToApply with sorted keys, as Go marshals a map', () => {
    const profile = profileFromNamespace(namespace('shop', SHOP_UID, { zeta: '1', alpha: '2' }));
    assert.deepEqual(Object.keys(profile.spec!.labelsToApply as JsonObject), [
      'pcns.alpha',
      'pcns.projectcalico.org/name',
      'pcns.zeta',
    ]);
  });

  it('refuses a namespace whose uid is not a UUID, as ConvertUID does', () => {
    assert.throws(() => profileFromNamespace(namespace('x', 'not-a-uid')), InvalidObjectError);
    const noUid = namespace('x', SHOP_UID);
    delete (noUid.metadata as JsonObject).uid;
    assert.throws(() => profileFromNamespace(noUid), InvalidObjectError);
    assert.throws(() => profileFromNamespace({ kind: 'Namespace' }), InvalidObjectError);
  });
});

describe('profileFromServiceAccount', () => {
  it('derives ksa.<ns>.<sa> with pcsa. labels and no rules', () => {
    const input = serviceAccount('shop', 'orders-api', { 'app.kubernetes.io/name': 'orders' });
    assert.deepEqual(profileFromServiceAccount(input), {
      apiVersion: 'projectcalico.org/v3',
      kind: 'Profile',
      metadata: {
        name: 'ksa.shop.orders-api',
        uid: SA_UID_CONVERTED,
        resourceVersion: '/982',
        // metav1.Time is re-encoded in UTC.
        creationTimestamp: '2025-03-04T03:07:00Z',
      },
      spec: {
        labelsToApply: {
          'pcsa.app.kubernetes.io/name': 'orders',
          'pcsa.projectcalico.org/name': 'orders-api',
        },
      },
    });
  });

  it('reads an empty namespace as default (Calico "ServiceAccount in default namespace")', () => {
    const profile = profileFromServiceAccount(
      serviceAccount(undefined, 'sa-test', { foo: 'bar', roger: 'rabbit' }),
    );
    assert.equal(profile.metadata.name, 'ksa.default.sa-test');
    assert.deepEqual(profile.spec, {
      labelsToApply: {
        'pcsa.foo': 'bar',
        'pcsa.projectcalico.org/name': 'sa-test',
        'pcsa.roger': 'rabbit',
      },
    });
  });

  it('keeps only the name label when the ServiceAccount has none', () => {
    const profile = profileFromServiceAccount(serviceAccount('test', 'sa-test'));
    assert.equal(profile.metadata.name, 'ksa.test.sa-test');
    assert.deepEqual(profile.spec, { labelsToApply: { 'pcsa.projectcalico.org/name': 'sa-test' } });
  });

  it('gives the profile uid a different, deterministic value than the ServiceAccount uid', () => {
    const sa = serviceAccount('test', 'sa-test');
    const first = profileFromServiceAccount(sa).metadata.uid;
    assert.equal(first, profileFromServiceAccount(sa).metadata.uid);
    assert.notEqual(first, SA_UID);
  });
});

describe('serviceAccountProfileName', () => {
  it('joins namespace and name, keeping dots in the name', () => {
    assert.equal(serviceAccountProfileName('ns', 'my.sa'), 'ksa.ns.my.sa');
    assert.equal(serviceAccountProfileName('', 'sa'), 'ksa.default.sa');
  });
});

describe('defaultAllowProfile', () => {
  it('is the static allow-all profile (resources/static.go)', () => {
    assert.deepEqual(defaultAllowProfile(), {
      apiVersion: 'projectcalico.org/v3',
      kind: 'Profile',
      metadata: { name: 'projectcalico-default-allow', resourceVersion: '1' },
      spec: { ingress: ALLOW, egress: ALLOW },
    });
  });
});
