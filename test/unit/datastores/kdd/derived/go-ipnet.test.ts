import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GoIpNet } from '../../../../../src/datastores/kdd/derived/go-ipnet.js';
import {
  parseGoCidr,
  parseGoCidrOrIp,
} from '../../../../../src/datastores/kdd/derived/go-ipnet.js';

// Expected values were produced with Go 1.26's net package, the way cnet.ParseCIDROrIP uses it
// (net.ParseCIDR, else net.ParseIP + To4 + a /32 or /128 mask); `undefined` = parse error.
const net = (text: string, address: string, isIpv4: boolean, maskOnes: number): GoIpNet => ({
  text,
  address,
  isIpv4,
  maskOnes,
});
const CASES: [string, GoIpNet | undefined][] = [
  ['10.0.0.5', net('10.0.0.5/32', '10.0.0.5', true, 32)],
  ['10.0.0.5/32', net('10.0.0.5/32', '10.0.0.5', true, 32)],
  ['10.0.0.5/24', net('10.0.0.0/24', '10.0.0.0', true, 24)],
  ['fd5f:8067::1', net('fd5f:8067::1/128', 'fd5f:8067::1', false, 128)],
  ['fd5f:8067::1/64', net('fd5f:8067::/64', 'fd5f:8067::', false, 64)],
  ['FD5F:8067:0:0:0:0:0:1', net('fd5f:8067::1/128', 'fd5f:8067::1', false, 128)],
  ['::ffff:10.0.0.5', net('10.0.0.5/32', '10.0.0.5', true, 32)],
  ['::ffff:10.0.0.5/128', net('10.0.0.5/32', '10.0.0.5', true, 128)],
  ['::ffff:10.0.0.5/120', net('10.0.0.0/24', '10.0.0.0', true, 120)],
  ['::ffff:10.0.0.5/64', net('::/64', '::', false, 64)],
  ['::1.2.3.4', net('::102:304/128', '::102:304', false, 128)],
  ['1:2:3:4:5:6:7::', net('1:2:3:4:5:6:7:0/128', '1:2:3:4:5:6:7:0', false, 128)],
  ['2001:db8:0:0:1:0:0:1', net('2001:db8::1:0:0:1/128', '2001:db8::1:0:0:1', false, 128)],
  ['10.0.0.1/032', net('10.0.0.1/32', '10.0.0.1', true, 32)],
  ['', net('<nil>', '<nil>', false, 128)],
  ['010.0.0.1', undefined],
  ['10.0.0.256', undefined],
  ['10.0.0.1/33', undefined],
  ['10.0.0.1/', undefined],
  ['10.0.0.1/+24', undefined],
  ['fe80::1%eth0', undefined],
  [' 10.0.0.1', undefined],
  ['foobar', undefined],
];

describe('parseGoCidrOrIp', () => {
  for (const [text, expected] of CASES) {
    it(`${JSON.stringify(text)} -> ${expected?.text ?? 'error'}`, () => {
      assert.deepEqual(parseGoCidrOrIp(text), expected);
    });
  }
});

describe('parseGoCidr', () => {
  it('needs a prefix length', () => {
    assert.equal(parseGoCidr('10.0.0.5'), undefined);
    assert.equal(parseGoCidr(''), undefined);
    assert.deepEqual(parseGoCidr('1.1.1.1/16'), net('1.1.0.0/16', '1.1.0.0', true, 16));
  });
});
