import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeSegment, encodeSegment } from '../../../src/archive/path-encoding.js';

const SAFE_SEGMENT = /^[A-Za-z0-9._%-]+$/;

function assertSafe(segment: string): void {
  assert.match(segment, SAFE_SEGMENT);
  assert.ok(!segment.startsWith('.'), `${segment} starts with a dot`);
  assert.ok(!segment.includes('/'), `${segment} holds a separator`);
}

describe('path segment encoding', () => {
  const samples = [
    'default',
    'kube-system',
    'allow.dns_1',
    '10-0-0-0-26',
    '.',
    '..',
    '.hidden',
    'a..b',
    '%',
    '%41',
    'a/b',
    '/calico/resources/v3/projectcalico.org/tiers/default',
    'back\\slash',
    'nul\0byte',
    'sp ace\ttab\nnewline',
    'ñandú-日本語-😀',
    '\uFEFFbom-first',
    'x.json',
    'A'.repeat(1000),
  ];

  for (const text of samples) {
    it(`round-trips ${JSON.stringify(text.slice(0, 40))} through a safe segment`, () => {
      const segment = encodeSegment(text);
      assertSafe(segment);
      assert.equal(decodeSegment(segment), text);
    });
  }

  it('keeps plain names unchanged and encodes the rest as upper-case UTF-8 bytes', () => {
    assert.equal(encodeSegment('tier-1.policy_x'), 'tier-1.policy_x');
    assert.equal(encodeSegment('.x'), '%2Ex');
    assert.equal(encodeSegment('a.'), 'a.');
    assert.equal(encodeSegment('a b/é'), 'a%20b%2F%C3%A9');
  });

  it('round-trips random strings, bytes decoded as latin1 and as UTF-8', () => {
    for (let i = 0; i < 500; i++) {
      const bytes = randomBytes(1 + (i % 40));
      for (const text of [bytes.toString('latin1'), bytes.toString('utf8')]) {
        const segment = encodeSegment(text);
        assertSafe(segment);
        assert.equal(decodeSegment(segment), text);
      }
    }
  });

  it('refuses the empty string and lone surrogates', () => {
    assert.throws(() => encodeSegment(''), TypeError);
    assert.throws(() => encodeSegment('a\uD800b'), TypeError);
    assert.throws(() => encodeSegment('\uDC00'), TypeError);
  });

  it('decodes only the canonical encoding, so each string has exactly one segment', () => {
    for (const bad of [
      '',
      '%41',
      '%2e',
      '%2Fa%2f',
      'a%2',
      'a%',
      '%C3',
      '%FF',
      '.x',
      '..',
      '.',
      'a b',
      'a/b',
      'ü',
      '%00%',
    ]) {
      assert.equal(decodeSegment(bad), undefined, bad);
    }
    assert.equal(decodeSegment('%00'), '\0');
  });
});
