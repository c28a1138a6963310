import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { convertUid } from '../../../../src/datastores/kdd/uid.js';

describe('convertUid', () => {
  it('maps the worked example of calico-datastore-model.md §3.2 both ways', () => {
    assert.equal(
      convertUid('3f1c9a2e-5b7d-4c1e-9a0b-112233445566'),
      'fc385974-dabe-4c78-9ad0-8844cc22aa66',
    );
    assert.equal(
      convertUid('fc385974-dabe-4c78-9ad0-8844cc22aa66'),
      '3f1c9a2e-5b7d-4c1e-9a0b-112233445566',
    );
  });

  it('is its own inverse and keeps the version and variant bytes', () => {
    for (let i = 0; i < 200; i++) {
      const uid = randomUUID();
      const converted = convertUid(uid)!;
      assert.equal(convertUid(converted), uid);
      assert.equal(converted.slice(14, 16), uid.slice(14, 16), 'byte 6 (version) kept');
      assert.equal(converted.slice(19, 21), uid.slice(19, 21), 'byte 8 (variant) kept');
    }
  });

  it('reverses the bits of every other byte', () => {
    assert.equal(
      convertUid('01000000-0000-0000-0000-000000000080'),
      '80000000-0000-0000-0000-000000000001',
    );
    assert.equal(
      convertUid('00000000-0000-0000-0000-000000000000'),
      '00000000-0000-0000-0000-000000000000',
    );
  });

  it('accepts the forms Go uuid.Parse accepts and prints lower case', () => {
    const expected = 'fc385974-dabe-4c78-9ad0-8844cc22aa66';
    for (const form of [
      '3F1C9A2E-5B7D-4C1E-9A0B-112233445566',
      'urn:uuid:3f1c9a2e-5b7d-4c1e-9a0b-112233445566',
      'URN:UUID:3f1c9a2e-5b7d-4c1e-9a0b-112233445566',
      '{3f1c9a2e-5b7d-4c1e-9a0b-112233445566}',
      '3f1c9a2e5b7d4c1e9a0b112233445566',
    ]) {
      assert.equal(convertUid(form), expected, form);
    }
  });

  it('rejects text that is not a UUID', () => {
    for (const bad of [
      '',
      'not-a-uuid',
      '3f1c9a2e-5b7d-4c1e-9a0b-11223344556',
      '3f1c9a2e_5b7d-4c1e-9a0b-112233445566',
      '3f1c9a2e-5b7d-4c1e-9a0b-11223344556g',
      'urx:uuid:3f1c9a2e-5b7d-4c1e-9a0b-112233445566',
    ]) {
      assert.equal(convertUid(bad), undefined, bad);
    }
  });
});
