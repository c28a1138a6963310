/**
 * A throttled API server still gets everything written. The testenv's `throttled` kube-apiserver
 * (v1 CRDs, at most 2 requests / 1 mutating request in flight, API Priority and Fairness off)
 * answers its kubeconfig's user, who is not in system:masters, with HTTP 429 and Retry-After
 * whenever the limit is reached (test/harness/throttled.ts). A few hundred objects are imported
 * with `--concurrency 32`: the import must back off and retry until every write is in (exit 0),
 * verify must pass, and both the CLI and the `--report` JSON must show the ThrottledError retries.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CalicoResource } from '../../../src/model/resource.js';
import { wipeKdd } from '../../helpers/clean-datastores.js';
import { TestServers } from './servers.js';
import type { ReportedRun } from './support.js';
import {
  assertExit,
  calicoObject,
  importInto,
  resultOf,
  totalOf,
  verifyAgainst,
  writeTestArchive,
} from './support.js';

const SETS = 150;
const POLICIES = 100;
const HANDLES = 50;
const TOTAL = 1 + SETS + POLICIES + HANDLES;

/** A tier, and many network sets, policies in that tier and IPAM handles. */
function generateObjects(): CalicoResource[] {
  const pad = (i: number) => String(i).padStart(3, '0');
  return [
    calicoObject('Tier', 'throttled', { order: 500, defaultAction: 'Pass' }),
    ...Array.from({ length: SETS }, (_, i) =>
      calicoObject(
        'GlobalNetworkSet',
        `throttled-set-${pad(i)}`,
        { nets: [`10.${i}.0.0/16`] },
        { labels: { feed: `feed-${i % 7}` } },
      ),
    ),
    ...Array.from({ length: POLICIES }, (_, i) =>
      calicoObject(
        'GlobalNetworkPolicy',
        `throttled.deny-feed-${pad(i)}`,
        {
          tier: 'throttled',
          order: i,
          selector: 'all()',
          types: ['Ingress'],
          ingress: [{ action: 'Deny', source: { selector: `feed == 'feed-${i % 7}'` } }],
        },
        { labels: { 'projectcalico.org/tier': 'throttled' } },
      ),
    ),
    ...Array.from({ length: HANDLES }, (_, i) => {
      const handleID = `k8s-pod-network.throttled-${pad(i)}`;
      return calicoObject('IPAMHandle', handleID, {
        handleID,
        block: { '10.250.0.0/26': 1 },
        deleted: false,
      });
    }),
  ];
}

describe('import into a throttled API server (HTTP 429 for a user outside system:masters)', () => {
  let servers: TestServers;
  let imported: ReportedRun;
  let verified: ReportedRun;

  before(async () => {
    servers = await TestServers.open('throttled');
    assert.ok(servers.env.apiservers.throttled?.throttle, 'the throttled apiserver is running');
    await wipeKdd(servers.api('throttled'));
    const archive = await writeTestArchive(join(servers.dir, 'many.tar.gz'), generateObjects());
    imported = await importInto(servers.env, servers.dir, archive, 'throttled', [
      '--concurrency',
      '32',
    ]);
    verified = await verifyAgainst(servers.env, servers.dir, archive, 'throttled');
  });

  after(async () => {
    await servers?.close(['throttled']);
  });

  it('writes and verifies every object (exit 0)', () => {
    assertExit(imported.result, 0, 'import');
    const result = resultOf(imported.report)!;
    assert.equal(totalOf(result, 'create'), TOTAL);
    assert.equal(totalOf(result, 'matched'), TOTAL);
    assert.deepEqual(result.failures, []);
  });

  it('was throttled and retried: the CLI says so, and the report counts the retries', (t) => {
    const retries = imported.report.retries as Record<string, number>;
    t.diagnostic(`retries: ${JSON.stringify(retries)}`);
    assert.ok((retries.ThrottledError ?? 0) > 0, 'some requests got HTTP 429 and were retried');
    const printed = /retried: (?:.*, )?(\d+) x ThrottledError/.exec(imported.result.stderr);
    assert.ok(printed, `stderr names the retries:\n${imported.result.stderr}`);
    assert.equal(Number(printed[1]), retries.ThrottledError);
  });

  it('verify passes against the throttled server too', () => {
    assertExit(verified.result, 0, 'verify');
    assert.equal(totalOf(resultOf(verified.report)!, 'matched'), TOTAL);
  });

  it('the objects are really there (read with the admin client)', async () => {
    const api = servers.api('throttled');
    const count = async (plural: string) =>
      (await api.list(`/apis/crd.projectcalico.org/v1/${plural}`)).length;
    assert.equal(await count('globalnetworksets'), SETS);
    assert.equal(await count('globalnetworkpolicies'), POLICIES);
    assert.equal(await count('ipamhandles'), HANDLES);
    assert.equal(await count('tiers'), 1);
  });
});
