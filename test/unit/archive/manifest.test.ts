import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { validateArchive, writeArchive, type ManifestSource } from '../../../src/archive/index.js';
import type { DatastoreDescription, SnapshotPosition } from '../../../src/datastores/datastore.js';
import { stripCredentials } from '../../../src/archive/manifest.js';
import { makeTempDir, smallItems, TOOL } from './archive-fixtures.js';

/** Export builds the manifest source from the datastore's description and snapshot position. */
function sourceOf(description: DatastoreDescription, position: SnapshotPosition): ManifestSource {
  return { ...description, position };
}

describe('manifest', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await makeTempDir()));
  after(() => cleanup());

  it('takes the datastore description and snapshot position as its source (type-checked)', () => {
    const source = sourceOf(
      { type: 'etcdv3', endpoints: ['https://e:2379'], clusterGUID: 'g' },
      { type: 'etcd', revision: '7' },
    );
    assert.deepEqual(source.position, { type: 'etcd', revision: '7' });
  });

  it('never records credentials that were part of an endpoint URL', () => {
    assert.equal(stripCredentials('https://root:s3cret@etcd-0:2379'), 'https://etcd-0:2379/');
    assert.equal(stripCredentials('https://token@api:6443/'), 'https://api:6443/');
    assert.equal(stripCredentials('https://etcd-0:2379'), 'https://etcd-0:2379');
    assert.equal(stripCredentials('etcd-0:2379'), 'etcd-0:2379');
  });

  it('keeps the source the caller gives, minus credentials, even with nested "entries" fields', async () => {
    const path = join(dir, 'a.tar.gz');
    const source = {
      type: 'kubernetes',
      endpoints: ['https://admin:pw@10.0.0.1:6443'],
      crdMode: 'v3',
      position: {
        type: 'kdd' as const,
        resourceVersions: { tiers: '100', ipamblocks: '12345678901234567890' },
      },
      extra: { entries: ['not', 'the', 'entry', 'list'] },
    };
    await writeArchive(path, { tool: TOOL }, smallItems(), () => ({
      source,
      warnings: ['  "entries": ['],
    }));
    const summary = await validateArchive(path);
    assert.deepEqual(summary.manifest.source, { ...source, endpoints: ['https://10.0.0.1:6443/'] });
    assert.deepEqual(summary.warnings, ['  "entries": [']);
  });
});
