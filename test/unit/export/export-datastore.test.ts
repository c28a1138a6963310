import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createArchiveWriter, validateArchive } from '../../../src/archive/index.js';
import { exportDatastore } from '../../../src/export/export-datastore.js';
import type { CalicoResource } from '../../../src/model/resource.js';
import { MemoryDatastore } from '../../helpers/memory-datastore.js';

const dir = mkdtempSync(join(tmpdir(), 'cm-export-'));
const pool = (name: string, cidr: string): CalicoResource => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'IPPool',
  metadata: { name },
  spec: { cidr },
});

async function exportPools(pools: CalicoResource[]) {
  const path = join(dir, `e-${Math.random()}.tar.gz`);
  const writer = await createArchiveWriter(path, { tool: { name: 't', version: '0' } });
  const result = await exportDatastore({ source: new MemoryDatastore().seed(...pools), writer });
  return { result, summary: await validateArchive(path) };
}

describe('exportDatastore', () => {
  it('keeps an object Calico would refuse and names it in the manifest warnings', async () => {
    const { result, summary } = await exportPools([
      pool('good', '10.0.0.0/16'),
      pool('bad', '10.0.0.1/16'),
    ]);
    assert.deepEqual(result.counts, { IPPool: 2 });
    assert.deepEqual(summary.warnings, [
      'IPPool bad would be refused by Calico (an import stops on it): spec.cidr "10.0.0.1/16" has host bits set (not strictly masked)',
    ]);
  });

  it('names the first 20 invalid objects and counts the rest', async () => {
    const bad = Array.from({ length: 23 }, (_, i) => pool(`bad-${i}`, 'nope'));
    const { summary } = await exportPools(bad);
    assert.equal(summary.warnings.length, 21);
    assert.equal(summary.warnings[20], '3 more object(s) would be refused by Calico');
  });

  it('exports valid objects without warnings', async () => {
    const { summary } = await exportPools([pool('a', '10.0.0.0/16'), pool('b', 'fd00::/48')]);
    assert.deepEqual(summary.warnings, []);
  });
});
