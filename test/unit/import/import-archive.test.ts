import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createArchiveWriter, validateArchive } from '../../../src/archive/index.js';
import type { TargetProfile } from '../../../src/import/compare.js';
import type { ImportArchiveOptions } from '../../../src/import/import-archive.js';
import { importArchive } from '../../../src/import/import-archive.js';
import { AlreadyExistsError, ThrottledError } from '../../../src/model/errors.js';
import type { CalicoResource } from '../../../src/model/resource.js';
import { MemoryDatastore } from '../../helpers/memory-datastore.js';

const dir = mkdtempSync(join(tmpdir(), 'cm-import-'));
const object = (kind: string, name: string, spec: object): CalicoResource => ({
  apiVersion: 'projectcalico.org/v3',
  kind,
  metadata: { name },
  spec: spec as CalicoResource['spec'],
});
const objects = [
  object('Tier', 'security', { order: 100 }),
  ...Array.from({ length: 30 }, (_, i) =>
    object('IPPool', `pool-${i}`, { cidr: `10.${i}.0.0/16` }),
  ),
  object('GlobalNetworkPolicy', 'deny', { tier: 'security', selector: 'all()' }),
];

async function writeArchive(content = objects): Promise<string> {
  const path = join(dir, `a-${Math.random()}.tar.gz`);
  const writer = await createArchiveWriter(path, { tool: { name: 't', version: '0' } });
  for (const resource of content) await writer.writeResource(resource);
  await writer.finish({ source: { type: 'etcdv3', endpoints: ['memory://'] } });
  return path;
}

async function run(
  target: MemoryDatastore,
  overrides: Partial<ImportArchiveOptions> = {},
  content = objects,
) {
  const path = await writeArchive(content);
  const summary = await validateArchive(path);
  const profile: TargetProfile = { type: 'etcdv3', restoreStatus: false };
  return importArchive({
    archivePath: path,
    label: path,
    archiveKinds: Object.keys(summary.kinds),
    hasRaw: false,
    reader: target,
    writer: target,
    profile,
    policy: { onConflict: 'fail', skipDerived: false },
    concurrency: 4,
    batchSize: 64,
    dryRun: false,
    ...overrides,
  });
}

describe('importArchive', () => {
  it('creates everything in an empty target, in kind order, and verifies it', async () => {
    const target = new MemoryDatastore();
    const outcome = await run(target);
    assert.equal(outcome.apply!.total('create'), 32);
    assert.equal(outcome.apply!.total('matched'), 32);
    assert.equal(outcome.apply!.hasProblems(), false);
    assert.equal(target.objects.size, 32);
    const order = [...target.objects.values()].map((o) => o.kind);
    assert.ok(order.indexOf('Tier') < order.indexOf('GlobalNetworkPolicy'));
  });

  it('converges when run again after an interruption: done objects are unchanged', async () => {
    const target = new MemoryDatastore().seed(...objects.slice(0, 12));
    const outcome = await run(target);
    assert.equal(outcome.apply!.total('unchanged'), 12);
    assert.equal(outcome.apply!.total('create'), 20);
    assert.equal(outcome.apply!.total('matched'), 32);
    const again = await run(target);
    assert.equal(again.apply!.total('unchanged'), 32);
    assert.equal(again.apply!.total('create'), 0);
  });

  it('stops before any write on conflicts under the default policy', async () => {
    const target = new MemoryDatastore().seed(
      object('IPPool', 'pool-3', { cidr: '192.168.0.0/16' }),
    );
    const outcome = await run(target);
    assert.match(outcome.stoppedBecause!, /1 object/);
    assert.equal(outcome.apply, undefined);
    assert.equal(target.objects.size, 1);
    assert.ok(
      !target.calls.some(
        (call) => call === 'create' || call === 'createBatch' || call === 'update',
      ),
    );
    assert.deepEqual(
      outcome.plan.lists.conflicts.map((c) => c.name),
      ['pool-3'],
    );
  });

  it('stops before any write when an object is invalid, or leaves it out under --skip-invalid', async () => {
    const withBad = [...objects, object('IPPool', 'bad', { cidr: '10.0.0.0/33' })];
    const target = new MemoryDatastore();
    const stopped = await run(target, {}, withBad);
    assert.match(stopped.stoppedBecause!, /^1 object\(s\) would be refused by Calico/);
    assert.equal(target.objects.size, 0);
    assert.deepEqual(
      stopped.plan.lists.invalid.map((o) => [o.name, o.reason]),
      [['bad', 'invalid: spec.cidr "10.0.0.0/33" is not a CIDR or IP address']],
    );
    const skipped = await run(
      target,
      { policy: { onConflict: 'fail', skipDerived: false, skipInvalid: true } },
      withBad,
    );
    assert.equal(skipped.stoppedBecause, undefined);
    assert.equal(target.objects.size, 32);
    assert.equal(skipped.apply!.total('skip'), 1);
    assert.equal(skipped.apply!.hasProblems(), false);
  });

  it('skips or overwrites conflicts when told to', async () => {
    const seeded = () =>
      new MemoryDatastore().seed(object('IPPool', 'pool-3', { cidr: '192.168.0.0/16' }));
    const skipped = seeded();
    const skip = await run(skipped, { policy: { onConflict: 'skip', skipDerived: false } });
    assert.equal(skip.apply!.total('skip'), 1);
    assert.equal(skipped.objects.get('IPPool//pool-3')!.spec!.cidr, '192.168.0.0/16');
    const overwritten = seeded();
    const overwrite = await run(overwritten, {
      policy: { onConflict: 'overwrite', skipDerived: false },
    });
    assert.equal(overwrite.apply!.total('update'), 1);
    assert.equal(overwrite.apply!.total('matched'), 32);
    assert.equal(overwritten.objects.get('IPPool//pool-3')!.spec!.cidr, '10.3.0.0/16');
  });

  it('re-plans an object that another writer created meanwhile', async () => {
    const target = new MemoryDatastore();
    const create = target.create.bind(target);
    let raced = false;
    target.create = async (resource) => {
      if (!raced && resource.metadata.name === 'pool-5') {
        raced = true;
        await create(resource);
        throw new AlreadyExistsError('pool-5 exists');
      }
      return create(resource);
    };
    const outcome = await run(target, { profile: { type: 'kubernetes', restoreStatus: false } });
    assert.equal(outcome.apply!.total('unchanged'), 1);
    assert.equal(outcome.apply!.total('matched'), 32);
  });

  it('writes nothing in a dry run', async () => {
    const target = new MemoryDatastore();
    const outcome = await run(target, { dryRun: true });
    assert.equal(outcome.plan.total('create'), 32);
    assert.equal(target.objects.size, 0);
  });

  it('counts failures and keeps going', async () => {
    const target = new MemoryDatastore();
    const create = target.create.bind(target);
    target.create = async (resource) => {
      if (resource.metadata.name === 'pool-7')
        throw new ThrottledError('still throttled after retries');
      return create(resource);
    };
    const outcome = await run(target, { profile: { type: 'kubernetes', restoreStatus: false } });
    assert.equal(outcome.apply!.total('failed'), 1);
    assert.equal(outcome.apply!.total('missing'), 1);
    assert.equal(outcome.apply!.total('create'), 31);
    assert.deepEqual(
      outcome.apply!.lists.failures.map((f) => f.name),
      ['pool-7'],
    );
    assert.ok(outcome.apply!.hasProblems());
  });
});
