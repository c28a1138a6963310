import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeArchive, type ArchiveInputItem } from '../../../src/archive/index.js';
import { repoRoot } from '../../helpers/paths.js';
import { makeTempDir, unpack } from './archive-fixtures.js';

/** The objects docs/archive-format.md says its example manifest describes. */
const EXAMPLE_ITEMS: ArchiveInputItem[] = [
  {
    type: 'resource',
    resource: {
      apiVersion: 'projectcalico.org/v3',
      kind: 'Tier',
      metadata: { name: 'default' },
      spec: { order: 1000000 },
    },
  },
  {
    type: 'resource',
    resource: {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'knp.default.deny', namespace: 'ns' },
      spec: { tier: 'default', selector: 'all()', types: ['Ingress'] },
    },
    derived: true,
  },
  {
    type: 'raw',
    raw: { source: 'etcd', key: '/calico/x/y', value: Buffer.from('odd\n'), reason: 'unknown key' },
  },
];

const EXAMPLE_SOURCE = {
  type: 'etcdv3',
  endpoints: ['https://etcd-0:2379'],
  calicoVersion: 'v3.31.0',
  clusterGUID: '3e5f0a5cb4c44b0f9d6f2a7b3c0e9d11',
  position: { type: 'etcd' as const, revision: '18231' },
};

describe('docs/archive-format.md', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await makeTempDir()));
  after(() => cleanup());

  it('shows, byte for byte, the manifest the writer produces for its example', async () => {
    const doc = await readFile(join(repoRoot, 'docs/archive-format.md'), 'utf8');
    const example = /### Example\n\n<!-- prettier-ignore -->\n```json\n([\s\S]*?)```/.exec(
      doc,
    )?.[1];
    assert.ok(example, 'the example block is where the test expects it');
    const path = join(dir, 'example.tar.gz');
    await writeArchive(
      path,
      {
        tool: { name: 'calico-migrate', version: '0.1.0' },
        createdAt: new Date('2025-01-02T03:04:05Z'),
      },
      EXAMPLE_ITEMS,
      () => ({ source: EXAMPLE_SOURCE, skipped: { '/calico/felix/': 12 } }),
    );
    const manifest = (await unpack(await readFile(path))).at(-1)!;
    assert.equal(manifest.data.toString('utf8'), example);
  });
});
