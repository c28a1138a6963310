import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuantityValue } from '../../../../../src/datastores/kdd/derived/quantity.js';

// Expected values were produced by k8s.io/apimachinery v0.36.3 itself
// (resource.ParseQuantity(s).Value(), run with Go 1.26); `undefined` = ParseQuantity error.
const CASES: [string, bigint | undefined][] = [
  ['1M', 1000000n],
  ['0', 0n],
  ['7', 7n],
  ['1.5', 2n],
  ['-1.5', -2n],
  ['1500m', 2n],
  ['1u', 1n],
  ['0.1n', 1n],
  ['-0.0000000001', 1n],
  ['1e-12', 1n],
  ['123e-2', 2n],
  ['1e3', 1000n],
  ['1E3', 1000n],
  ['1e+3', 1000n],
  ['1.5e3', 1500n],
  ['1E', 1000000000000000000n],
  ['1.01k', 1010n],
  ['1.01P', 1010000000000000n],
  ['20P', 20000000000000000n],
  ['1Ki', 1024n],
  ['1Mi', 1048576n],
  ['8Gi', 8589934592n],
  ['1.5Gi', 1610612736n],
  ['.5Gi', 536870912n],
  ['0.5Ei', 576460752303423488n],
  ['7Ei', 8070450532247928832n],
  ['8Ei', 9223372036854775807n],
  ['16Ei', 9223372036854775807n],
  ['1000Pi', 1125899906842624000n],
  ['00012', 12n],
  ['+5', 5n],
  ['-000', 0n],
  ['M', 0n],
  ['.', 0n],
  ['5.', 5n],
  // Overflow quirks of the int64 fast path.
  ['9E', 9000000000000000000n],
  ['10E', 0n],
  ['1e20', 0n],
  ['9.3e18', 0n],
  ['99999999999999999G', -2537764291115403776n],
  ['12345678901234567890', -6101065172474983726n],
  ['9223372036854775808', -9223372036854775808n],
  ['18446744073709551616', 0n],
  // Errors.
  ['', undefined],
  ['1e', undefined],
  ['1K', undefined],
  ['1mi', undefined],
  ['1Mx', undefined],
  ['1e1.5', undefined],
  ['1.5.5', undefined],
  ['0x10', undefined],
  ['1e9223372036854775808', undefined],
];

describe('parseQuantityValue', () => {
  for (const [text, expected] of CASES) {
    it(`${JSON.stringify(text)} -> ${expected}`, () => {
      assert.equal(parseQuantityValue(text), expected);
    });
  }
});
