import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrWithin, compareCidrs, halveCidr } from '../../../src/migrate/cidr-split.js';
import type { Cidr } from '../../../src/model/cidr.js';
import { formatCidr, parseCidr } from '../../../src/model/cidr.js';

const c = (text: string): Cidr => parseCidr(text)!;

describe('halveCidr', () => {
  const cases: [string, [string, string] | undefined][] = [
    ['10.244.0.0/16', ['10.244.0.0/17', '10.244.128.0/17']],
    ['10.0.0.0/31', ['10.0.0.0/32', '10.0.0.1/32']],
    ['10.0.0.64/26', ['10.0.0.64/27', '10.0.0.96/27']],
    ['0.0.0.0/0', ['0.0.0.0/1', '128.0.0.0/1']],
    ['fd00:10:244::/64', ['fd00:10:244::/65', 'fd00:10:244:0:8000::/65']],
    ['fd00::/121', ['fd00::/122', 'fd00::40/122']],
    ['10.0.0.1/32', undefined],
  ];
  for (const [cidr, halves] of cases) {
    it(cidr, () => assert.deepEqual(halveCidr(c(cidr))?.map(formatCidr), halves));
  }

  it('does not modify its input', () => {
    const cidr = c('10.0.0.0/8');
    halveCidr(cidr);
    assert.equal(formatCidr(cidr), '10.0.0.0/8');
  });
});

describe('cidrWithin', () => {
  const cases: [string, string, boolean][] = [
    ['10.244.0.64/26', '10.244.0.0/16', true],
    ['10.244.0.0/16', '10.244.0.0/16', true],
    ['10.244.0.0/16', '10.244.0.0/17', false],
    ['10.245.0.0/26', '10.244.0.0/16', false],
    ['10.0.0.128/26', '10.0.0.0/25', false],
    ['fd00:10:244::40/122', 'fd00:10:244::/64', true],
    ['10.0.0.0/26', 'fd00::/8', false],
  ];
  for (const [inner, outer, expected] of cases) {
    it(`${inner} in ${outer}: ${expected}`, () =>
      assert.equal(cidrWithin(c(inner), c(outer)), expected));
  }
});

describe('compareCidrs', () => {
  it('orders by family, address, then prefix length', () => {
    const sorted = [
      'fd00::/64',
      '10.0.0.128/26',
      '10.0.0.64/26',
      '10.0.0.0/24',
      '10.0.0.0/26',
      '9.0.0.0/8',
    ]
      .map(c)
      .sort(compareCidrs)
      .map(formatCidr);
    assert.deepEqual(sorted, [
      '9.0.0.0/8',
      '10.0.0.0/24',
      '10.0.0.0/26',
      '10.0.0.64/26',
      '10.0.0.128/26',
      'fd00::/64',
    ]);
  });
});
