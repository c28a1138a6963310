import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareBytewise, GoMap, marshalGoJson } from '../../../src/datastores/go-json.js';

describe('marshalGoJson', () => {
  it('escapes <, >, &, U+2028 and U+2029 as Go does', () => {
    assert.equal(
      marshalGoJson("a == 'x' && b < 2 > 1\u2028\u2029"),
      '"a == \'x\' \\u0026\\u0026 b \\u003c 2 \\u003e 1\\u2028\\u2029"',
    );
    assert.equal(marshalGoJson({ '<k>': 'v' }), '{"\\u003ck\\u003e":"v"}');
  });

  it('writes control characters, quotes and backslashes escaped, non-ASCII as is', () => {
    assert.equal(marshalGoJson('a"b\\c\nd\u0001é'), '"a\\"b\\\\c\\nd\\u0001é"');
  });

  it('keeps integers beyond 2^53 exact and prints numbers like Go', () => {
    assert.equal(
      marshalGoJson({ n: 1767225600123456789n, f: 0.5, big: 1e21, small: 1e-7, i: 42 }),
      '{"n":1767225600123456789,"f":0.5,"big":1e+21,"small":1e-7,"i":42}',
    );
  });

  it('writes objects in their own order, skipping undefined members', () => {
    assert.equal(marshalGoJson({ b: 1, a: undefined, c: [null, true] }), '{"b":1,"c":[null,true]}');
  });

  it('sorts map keys bytewise, including integer-like keys a JS object would reorder', () => {
    assert.equal(
      marshalGoJson(GoMap.of({ '2': 1, '10': 2, '1': 3, b: 4, B: 5 })),
      '{"1":3,"10":2,"2":1,"B":5,"b":4}',
    );
    assert.equal(
      marshalGoJson(
        new GoMap([
          ['é', 1],
          ['z', 2],
        ]),
      ),
      '{"z":2,"é":1}',
    );
  });

  it('compares strings by UTF-8 bytes', () => {
    assert.ok(compareBytewise('\uffff', '\u{1F600}') < 0);
    assert.ok(compareBytewise('Z', 'a') < 0);
    assert.equal(compareBytewise('x', 'x'), 0);
  });
});
