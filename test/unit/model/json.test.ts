import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonEqual, parseJson, stringifyJson, stringifySorted } from '../../../src/model/json.js';

describe('lossless JSON', () => {
  it('keeps integers beyond 2^53 exact through parse and stringify', () => {
    const text = '{"sequenceNumber":1767225600123456789,"small":7,"neg":-9223372036854775807}';
    const value = parseJson(text) as Record<string, unknown>;
    assert.equal(value.sequenceNumber, 1767225600123456789n);
    assert.equal(value.small, 7);
    assert.equal(stringifyJson(value), text);
  });

  it('uses the native parser when no long digit run is present', () => {
    assert.deepEqual(parseJson('{"a":[1,2.5,"x",null,true]}'), { a: [1, 2.5, 'x', null, true] });
  });

  it('parses strings, escapes and nesting in the lossless path', () => {
    const text =
      '{"s":"a\\"b\\\\c\\u00e9","n":12345678901234567890,"arr":[{"x":-1.5e3},[]],"o":{}}';
    assert.deepEqual(parseJson(text), {
      s: 'a"b\\cé',
      n: 12345678901234567890n,
      arr: [{ x: -1500 }, []],
      o: {},
    });
  });

  it('keeps a "__proto__" key as a member, not a prototype', () => {
    const value = parseJson('{"__proto__":{"polluted":1},"n":12345678901234567890}') as object;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ['__proto__', 'n']);
  });

  it('rejects malformed documents', () => {
    for (const bad of [
      '{"n":12345678901234567890',
      '{"n":12345678901234567890}x',
      '[12345678901234567890,]',
    ]) {
      assert.throws(() => parseJson(bad), SyntaxError, bad);
    }
  });

  it('compares and sorts independent of key order', () => {
    assert.ok(jsonEqual({ a: 1, b: { c: 2n, d: [1] } }, { b: { d: [1], c: 2n }, a: 1 }));
    assert.ok(!jsonEqual({ a: 1 }, { a: 2 }));
    assert.equal(stringifySorted({ b: 1, a: { d: 1, c: 2 } }), '{"a":{"c":2,"d":1},"b":1}');
  });

  it('does not mistake a string holding the bigint marker for a number', () => {
    const tricky = { s: 'bigint:123', n: 99999999999999999n };
    assert.deepEqual(parseJson(stringifyJson(tricky)), tricky);
  });
});

describe('lossless JSON edge cases', () => {
  it('leaves long digit runs inside strings (and keys) alone, escaped quotes included', () => {
    const text =
      '{"s":"12345678901234567890","q":"say \\"12345678901234567890\\"","12345678901234567890":1,"n":12345678901234567890,"d":12345678901234567890.5}';
    assert.deepEqual(parseJson(text), {
      s: '12345678901234567890',
      q: 'say "12345678901234567890"',
      '12345678901234567890': 1,
      n: 12345678901234567890n,
      d: Number('12345678901234567890.5'),
    });
  });

  it('keeps 16-digit integers that are safe as numbers', () => {
    assert.deepEqual(parseJson('[1234567890123456,-9007199254740993]'), [
      1234567890123456,
      -9007199254740993n,
    ]);
  });
});
