import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalCidr, parseCidr } from '../../../src/model/cidr.js';
import {
  blockAffinityLabels,
  blockAffinityName,
  cidrToName,
  hashHostnameForLabel,
  ipamHandleName,
} from '../../../src/model/ipam-names.js';

const cidr = (text: string) => parseCidr(text)!;

describe('canonicalCidr', () => {
  const cases: [string, string | undefined][] = [
    ['10.0.0.0/30', '10.0.0.0/30'],
    ['10.0.0.7/30', '10.0.0.4/30'],
    ['FD00:10:244:0:0:0:0:0/122', 'fd00:10:244::/122'],
    ['fd00:0:0:1:0:0:0:0/64', 'fd00:0:0:1::/64'],
    ['2001:db8:0:0:1:0:0:1/128', '2001:db8::1:0:0:1/128'],
    ['2001:0db8:0000:0001:0000:0000:0000:0000/64', '2001:db8:0:1::/64'],
    ['2001:db8:1:2:3:4:0:5/128', '2001:db8:1:2:3:4:0:5/128'],
    ['::/0', '::/0'],
    ['::1/128', '::1/128'],
    ['10.0.0.0', undefined],
    ['10.0.0.0/33', undefined],
    ['10.0.0.256/24', undefined],
    ['fd00::1::/64', undefined],
  ];
  for (const [input, expected] of cases) {
    it(`${input} -> ${expected}`, () => assert.equal(canonicalCidr(input), expected));
  }
});

describe('IPAM names', () => {
  it('names blocks as CIDRToName does', () => {
    assert.equal(cidrToName(cidr('10.0.0.0/30')), '10-0-0-0-30');
    assert.equal(cidrToName(cidr('fd00:10:244::/122')), 'fd00-10-244---122');
  });

  it('names block affinities <host>-<cidrname>', () => {
    assert.equal(blockAffinityName('worker-1', cidr('10.0.0.0/30')), 'worker-1-10-0-0-0-30');
  });

  it('shortens block affinity names that reach 253 characters, with a hash', () => {
    const host = 'h'.repeat(250);
    const name = blockAffinityName(host, cidr('10.0.0.0/30'));
    assert.equal(name.length, 252);
    assert.match(name, /^h+-10-0-0-0-30-[0-9a-f]{11}$/);
    assert.notEqual(blockAffinityName('x' + host.slice(1), cidr('10.0.0.0/30')), name);
  });

  it('hashes host names as the worked example in calico-datastore-model.md §2.3', () => {
    assert.equal(
      hashHostnameForLabel('worker-1'),
      'CPU5J3TPSNHFA66J45DG4Z5C3PSJAZ36LD46JZLYEGZSTAWBUCUA',
    );
  });

  it('labels affinities with type, hash and IP version', () => {
    assert.deepEqual(blockAffinityLabels({ node: 'worker-1', type: 'host', cidr: 'fd00::/122' }), {
      'projectcalico.org/affinity-type': 'host',
      'projectcalico.org/hostname-hash': 'CPU5J3TPSNHFA66J45DG4Z5C3PSJAZ36LD46JZLYEGZSTAWBUCUA',
      'projectcalico.org/ip-version': '6',
    });
  });

  it('lower-cases handle names', () => {
    assert.equal(ipamHandleName('k8s-pod-network.ABC'), 'k8s-pod-network.abc');
  });
});
