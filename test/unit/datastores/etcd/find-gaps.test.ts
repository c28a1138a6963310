import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findGaps } from '../../../../src/datastores/etcd/etcd-snapshot.js';

const text = (gaps: ReturnType<typeof findGaps>) =>
  gaps.map((gap) => [gap.start.toString('latin1'), gap.end.toString('latin1')]);

describe('findGaps', () => {
  it('returns the key space of a prefix that no claimed range covers', () => {
    const gaps = findGaps('/c/', [
      { key: '/c/b/', prefix: true },
      { key: '/c/a/x', prefix: false },
      { key: '/c/b/inner/', prefix: true },
    ]);
    assert.deepEqual(text(gaps), [
      ['/c/', '/c/a/x'],
      ['/c/a/x\u0000', '/c/b/'],
      ['/c/b0', '/c0'],
    ]);
  });

  it('returns the whole prefix when nothing is claimed, and nothing when everything is', () => {
    assert.deepEqual(text(findGaps('/c/', [])), [['/c/', '/c0']]);
    assert.deepEqual(text(findGaps('/c/', [{ key: '/c/', prefix: true }])), []);
  });
});
