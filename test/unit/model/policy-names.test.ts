import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PolicyNameConvention } from '../../../src/model/policy-names.js';
import {
  calicoMinorVersion,
  isFormattedPolicyName,
  policyConventionFor,
  policyNameProblem,
  readPolicyName,
  storagePolicyName,
} from '../../../src/model/policy-names.js';

const PRE_TIERS: PolicyNameConvention = {
  prefixDefaultTier: true,
  prefixEveryName: true,
  nameAnnotation: false,
};
const V3_29: PolicyNameConvention = {
  prefixDefaultTier: true,
  prefixEveryName: false,
  nameAnnotation: false,
};
const V3_30: PolicyNameConvention = {
  prefixDefaultTier: true,
  prefixEveryName: false,
  nameAnnotation: true,
};
const V3_32: PolicyNameConvention = {
  prefixDefaultTier: false,
  prefixEveryName: false,
  nameAnnotation: true,
};

describe('policyConventionFor', () => {
  const cases: [string | undefined, PolicyNameConvention][] = [
    ['v3.25.0', PRE_TIERS],
    ['v3.28.5', PRE_TIERS],
    ['3.28.0', PRE_TIERS],
    ['v3.29.0', V3_29],
    ['v3.29.7', V3_29],
    ['v3.30.0', V3_30],
    ['v3.31.7', V3_30],
    ['v3.32.0', V3_32],
    ['v3.32.0-0.dev', V3_32],
    ['v3.34.0-0.dev-67-g87c15906f2', V3_32],
    ['v4.0.0', V3_32],
    ['master', V3_32],
    ['', V3_32],
    [undefined, V3_32],
  ];
  for (const [version, expected] of cases) {
    it(`${String(version)}`, () => assert.deepEqual(policyConventionFor(version), expected));
  }

  it('reads the minor version', () => {
    assert.equal(calicoMinorVersion('v3.31.7'), 31);
    assert.equal(calicoMinorVersion('v4.1.0'), Infinity);
    assert.equal(calicoMinorVersion('v2.6.12'), -Infinity);
    assert.equal(calicoMinorVersion('nonsense'), Infinity);
  });
});

describe('storagePolicyName', () => {
  type Case = [
    kind: string,
    name: string,
    tier: string | undefined,
    pre: string,
    v29: string,
    v32: string,
  ];
  // v3.28 convertPolicyNameForStorage; v3.29-v3.31 names.TieredPolicyName; v3.32+ unchanged.
  const cases: Case[] = [
    ['GlobalNetworkPolicy', 'foo', undefined, 'default.foo', 'default.foo', 'foo'],
    ['GlobalNetworkPolicy', 'foo', 'default', 'default.foo', 'default.foo', 'foo'],
    ['NetworkPolicy', 'foo', '', 'default.foo', 'default.foo', 'foo'],
    [
      'NetworkPolicy',
      'default.foo',
      'default',
      'default.default.foo',
      'default.foo',
      'default.foo',
    ],
    ['GlobalNetworkPolicy', 'a.b', 'default', 'default.a.b', 'a.b', 'a.b'],
    ['GlobalNetworkPolicy', 't1.foo', 't1', 'default.t1.foo', 't1.foo', 't1.foo'],
    ['StagedNetworkPolicy', 'foo', 'default', 'default.foo', 'default.foo', 'foo'],
    ['StagedGlobalNetworkPolicy', 't1.foo', 't1', 'default.t1.foo', 't1.foo', 't1.foo'],
    // Generated names keep their form.
    [
      'NetworkPolicy',
      'knp.default.allow-web',
      'default',
      'knp.default.allow-web',
      'knp.default.allow-web',
      'knp.default.allow-web',
    ],
    [
      'NetworkPolicy',
      'ossg.default.sg-1',
      'default',
      'ossg.default.sg-1',
      'ossg.default.sg-1',
      'ossg.default.sg-1',
    ],
    ['NetworkPolicy', 'knp.legacy', 'default', 'knp.legacy', 'knp.legacy', 'knp.legacy'],
    // A 3.32+ name in a non-default tier without the tier prefix: TieredPolicyName ignores the tier.
    ['GlobalNetworkPolicy', 'bar', 't1', 'default.bar', 'default.bar', 'bar'],
    // Not tiered: never renamed.
    ['StagedKubernetesNetworkPolicy', 'foo', undefined, 'foo', 'foo', 'foo'],
    ['GlobalNetworkSet', 'foo', undefined, 'foo', 'foo', 'foo'],
  ];
  for (const [kind, name, tier, pre, v29, v32] of cases) {
    it(`${kind} ${name} (tier ${String(tier)})`, () => {
      const policy = { kind, name, tier };
      assert.equal(storagePolicyName(policy, PRE_TIERS), pre);
      assert.equal(storagePolicyName(policy, V3_29), v29);
      assert.equal(storagePolicyName(policy, V3_30), v29);
      assert.equal(storagePolicyName(policy, V3_32), v32);
    });
  }
});

describe('readPolicyName', () => {
  const cases: [
    stored: string,
    tier: string | undefined,
    annotated: string | undefined,
    v3: string,
  ][] = [
    ['default.foo', undefined, undefined, 'foo'],
    ['default.foo', '', undefined, 'foo'],
    ['default.foo', 'default', undefined, 'foo'],
    ['default.default.foo', 'default', undefined, 'default.foo'],
    ['default.foo', 'default', 'default.foo', 'default.foo'],
    ['default.foo', 'default', 'foo', 'foo'],
    ['foo', 'default', 'foo', 'foo'],
    ['t1.foo', 't1', undefined, 't1.foo'],
    ['default.foo', 't1', undefined, 'default.foo'],
    ['bar', 't1', 'bar', 'bar'],
    ['knp.default.allow-web', 'default', undefined, 'knp.default.allow-web'],
    ['ossg.default.sg-1', undefined, undefined, 'ossg.default.sg-1'],
    ['default.foo', 'default', '', 'foo'],
  ];
  for (const [name, tier, annotatedName, expected] of cases) {
    it(`${name} tier=${String(tier)} annotation=${String(annotatedName)} -> ${expected}`, () => {
      assert.equal(readPolicyName({ name, tier, annotatedName }), expected);
    });
  }

  it('recovers every valid v3 name from what each version stores', () => {
    const valid: Record<string, [string, string | undefined][]> = {
      pre: [
        ['foo', 'default'],
        ['a.b', 'default'],
        ['default.foo', 'default'],
        ['knp.default.x', 'default'],
      ],
      tiered: [
        ['foo', 'default'],
        ['t1.foo', 't1'],
        ['knp.default.x', 'default'],
        ['ossg.default.y', 'default'],
      ],
      plain: [
        ['foo', 'default'],
        ['bar', 't1'],
        ['default.foo', 'default'],
        ['a.b', 'default'],
      ],
    };
    const conventions: [PolicyNameConvention, string[]][] = [
      [PRE_TIERS, valid.pre!.map(([n]) => n)],
      [V3_29, valid.tiered!.map(([n]) => n)],
      [V3_30, [...valid.tiered!.map(([n]) => n), 'default.foo']],
      [V3_32, valid.plain!.map(([n]) => n)],
    ];
    const all = [...valid.pre!, ...valid.tiered!, ...valid.plain!];
    for (const [convention, names] of conventions) {
      for (const name of names) {
        const tier = all.find(([n]) => n === name)?.[1];
        const stored = storagePolicyName({ kind: 'NetworkPolicy', name, tier }, convention);
        const annotatedName = convention.nameAnnotation ? name : undefined;
        assert.equal(
          readPolicyName({ name: stored, tier, annotatedName }),
          name,
          `${name} ${JSON.stringify(convention)}`,
        );
      }
    }
  });

  it('stores a read name back under the same storage name (v3.29, no annotation)', () => {
    for (const stored of ['default.foo', 't1.foo', 'knp.default.x']) {
      const tier = stored.startsWith('t1.') ? 't1' : 'default';
      const v3 = readPolicyName({ name: stored, tier });
      assert.equal(
        storagePolicyName({ kind: 'GlobalNetworkPolicy', name: v3, tier }, V3_29),
        stored,
      );
    }
  });
});

describe('policyNameProblem', () => {
  const gnp = (name: string, tier?: string) => ({ kind: 'GlobalNetworkPolicy', name, tier });
  it('accepts names each version can store', () => {
    assert.equal(policyNameProblem(gnp('foo'), PRE_TIERS), undefined);
    assert.equal(policyNameProblem(gnp('a.b'), PRE_TIERS), undefined);
    assert.equal(policyNameProblem(gnp('foo', 'default'), V3_30), undefined);
    assert.equal(policyNameProblem(gnp('default.foo', 'default'), V3_30), undefined);
    assert.equal(policyNameProblem(gnp('t1.foo', 't1'), V3_29), undefined);
    assert.equal(policyNameProblem(gnp('knp.default.x', 'default'), V3_30), undefined);
    assert.equal(policyNameProblem(gnp('bar', 't1'), V3_32), undefined);
    assert.equal(
      policyNameProblem({ kind: 'StagedKubernetesNetworkPolicy', name: 'a.b' }, V3_29),
      undefined,
    );
  });

  it('flags names the target version would reject', () => {
    assert.match(policyNameProblem(gnp('bar', 't1'), V3_30)!, /t1\./);
    assert.match(policyNameProblem(gnp('a.b', 'default'), V3_29)!, /default\./);
    assert.match(policyNameProblem(gnp('t1.foo', 't1'), PRE_TIERS)!, /no policy tiers/);
  });
});

describe('isFormattedPolicyName', () => {
  it('knows the generated prefixes', () => {
    assert.equal(isFormattedPolicyName('knp.default.a'), true);
    assert.equal(isFormattedPolicyName('ossg.default.a'), true);
    assert.equal(isFormattedPolicyName('kanp.adminnetworkpolicy.a'), true);
    assert.equal(isFormattedPolicyName('kbanp.baselineadminnetworkpolicy.a'), true);
    assert.equal(isFormattedPolicyName('default.a'), false);
  });
});
