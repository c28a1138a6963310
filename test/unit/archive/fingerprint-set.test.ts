import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FingerprintSet } from '../../../src/archive/fingerprint-set.js';

describe('FingerprintSet', () => {
  it('reports each string as new once, and as a duplicate afterwards, across growth', () => {
    const set = new FingerprintSet();
    const paths = Array.from({ length: 20000 }, (_, i) => `resources/tiers/cluster/t-${i}.json`);
    for (const path of paths) assert.equal(set.add(path), true, path);
    assert.equal(set.size, paths.length);
    for (const path of paths) assert.equal(set.add(path), false, path);
    assert.equal(set.add('resources/tiers/cluster/t-20000.json'), true);
    assert.equal(set.size, paths.length + 1);
  });

  it('tells apart strings that differ only slightly', () => {
    const set = new FingerprintSet();
    assert.equal(set.add(''), true);
    assert.equal(set.add('a'), true);
    assert.equal(set.add('A'), true);
    assert.equal(set.add('a '), true);
    assert.equal(set.add('a'), false);
  });
});
