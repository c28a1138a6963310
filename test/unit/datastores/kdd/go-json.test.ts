import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { marshalGoJson } from '../../../../src/datastores/go-json.js';
import {
  decodeGoTime,
  marshalGoStringMap,
  parseGoBool,
} from '../../../../src/datastores/kdd/go-json.js';

describe('Go-compatible JSON', () => {
  it('escapes what Go escapes and keeps the key order given', () => {
    assert.equal(
      marshalGoJson({ b: 'x<y>&z', a: '\u2028' }),
      '{"b":"x\\u003cy\\u003e\\u0026z","a":"\\u2028"}',
    );
    assert.equal(marshalGoJson({ n: 12345678901234567890n }), '{"n":12345678901234567890}');
  });

  it('marshals string maps sorted, and a nil map as null', () => {
    assert.equal(marshalGoStringMap({ zone: 'a', app: 'web' }), '{"app":"web","zone":"a"}');
    assert.equal(marshalGoStringMap({}), '{}');
    assert.equal(marshalGoStringMap(undefined), 'null');
  });
});

describe('decodeGoTime', () => {
  const cases: [unknown, string | undefined | 'error'][] = [
    [null, undefined],
    ['0001-01-01T00:00:00Z', undefined],
    ['2025-01-02T03:04:05Z', '2025-01-02T03:04:05Z'],
    ['2025-01-02T03:04:05.999999999Z', '2025-01-02T03:04:05Z'],
    ['2025-01-02T01:04:05-02:00', '2025-01-02T03:04:05Z'],
    ['2025-01-01T00:30:00+01:00', '2024-12-31T23:30:00Z'],
    ['2025-02-30T00:00:00Z', 'error'],
    ['2025-01-02 03:04:05Z', 'error'],
    ['2025-01-02T03:04:05', 'error'],
    ['', 'error'],
    [1700000000, 'error'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${expected}`, () => {
      const result = decodeGoTime(input);
      if (expected === 'error') assert.equal(result.ok, false);
      else assert.deepEqual(result, { ok: true, time: expected });
    });
  }
});

describe('parseGoBool', () => {
  it('accepts what strconv.ParseBool accepts', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parseGoBool(t), true, t);
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False'])
      assert.equal(parseGoBool(f), false, f);
    for (const bad of ['', 'yes', 'tRUE', ' true']) assert.equal(parseGoBool(bad), undefined, bad);
  });
});
