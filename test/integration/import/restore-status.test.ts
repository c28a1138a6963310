/**
 * `--restore-status`: status lives in a status subresource in KDD (the API server ignores it on the
 * main resource), so import writes it, with a second request, only when asked. A Tier and an
 * IPPool with status conditions are imported into KDD (both CRD modes) without and with the flag:
 * without it the stored CRs have no status and verify passes unless asked to compare status; with
 * it the stored CRs carry exactly the archived status and verify passes comparing status.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JsonObject } from '../../../src/model/json.js';
import { isJsonObject } from '../../../src/model/json.js';
import type { CalicoResource } from '../../../src/model/resource.js';
import { TestServers } from './servers.js';
import type { ReportedRun } from './support.js';
import {
  assertExit,
  calicoObject,
  exportFrom,
  identityOfListed,
  importInto,
  resultOf,
  totalOf,
  verifyAgainst,
  writeTestArchive,
} from './support.js';
import { customResourcePath } from './target-state.js';

const readyCondition = (reason: string, message: string): JsonObject => ({
  type: 'Ready',
  status: 'True',
  reason,
  message,
  lastTransitionTime: '2025-03-04T05:06:07Z',
});

const TIER = calicoObject(
  'Tier',
  'with-status',
  { order: 400, defaultAction: 'Deny' },
  { status: { conditions: [readyCondition('TierReady', 'tier is ready')] } },
);
const POOL = calicoObject(
  'IPPool',
  'with-status',
  {
    cidr: '10.70.0.0/16',
    ipipMode: 'Never',
    vxlanMode: 'Always',
    natOutgoing: true,
    blockSize: 26,
    nodeSelector: 'all()',
  },
  { status: { conditions: [readyCondition('PoolReady', 'pool is allocatable')] } },
);
const OBJECTS: { object: CalicoResource; plural: string }[] = [
  { object: TIER, plural: 'tiers' },
  { object: POOL, plural: 'ippools' },
];

for (const mode of ['v1', 'v3'] as const) {
  describe(`--restore-status into KDD ${mode}`, () => {
    let servers: TestServers;
    let archive: string;

    /** The status of the stored custom resource (read with the admin client). */
    async function storedStatus(plural: string, name: string): Promise<JsonObject | undefined> {
      const { body } = await servers.api(mode).send('GET', customResourcePath(mode, plural, name));
      return isJsonObject(body) && isJsonObject(body.status) ? body.status : undefined;
    }

    before(async () => {
      servers = await TestServers.open(`restore-status-${mode}`);
      archive = await writeTestArchive(
        join(servers.dir, 'with-status.tar.gz'),
        OBJECTS.map((o) => o.object),
      );
    });

    after(async () => {
      await servers?.close([mode]);
    });

    describe('without --restore-status', () => {
      let imported: ReportedRun;
      let verified: ReportedRun;
      let verifiedWithStatus: ReportedRun;
      let exported: Map<string, CalicoResource>;

      before(async () => {
        await servers.emptyTarget(mode);
        imported = await importInto(servers.env, servers.dir, archive, mode);
        verified = await verifyAgainst(servers.env, servers.dir, archive, mode);
        verifiedWithStatus = await verifyAgainst(servers.env, servers.dir, archive, mode, [
          '--restore-status',
        ]);
        exported = (await exportFrom(servers.env, servers.dir, mode)).contents.objects;
      });

      it('imports and verifies (exit 0), status not compared', () => {
        assertExit(imported.result, 0, 'import');
        assert.equal(totalOf(resultOf(imported.report)!, 'matched'), OBJECTS.length);
        assertExit(verified.result, 0, 'verify');
      });

      it('writes no status', async () => {
        for (const { object, plural } of OBJECTS) {
          const status = await storedStatus(plural, object.metadata.name);
          assert.ok(
            !status?.conditions,
            `${object.kind}: no conditions (${JSON.stringify(status)})`,
          );
          assert.equal(exported.get(`${object.kind} ${object.metadata.name}`)?.status, undefined);
        }
      });

      it('verify --restore-status shows the status as the difference (exit 1)', () => {
        assertExit(verifiedWithStatus.result, 1, 'verify --restore-status');
        const differences = resultOf(verifiedWithStatus.report)!.differences;
        assert.deepEqual(differences.map(identityOfListed).sort(), [
          'IPPool with-status',
          'Tier with-status',
        ]);
        for (const difference of differences)
          assert.deepEqual(
            difference.fields?.map((field) => field.path),
            ['status'],
          );
      });
    });

    describe('with --restore-status', () => {
      let imported: ReportedRun;
      let verified: ReportedRun;
      let exported: Map<string, CalicoResource>;

      before(async () => {
        await servers.emptyTarget(mode);
        imported = await importInto(servers.env, servers.dir, archive, mode, ['--restore-status']);
        verified = await verifyAgainst(servers.env, servers.dir, archive, mode, [
          '--restore-status',
        ]);
        exported = (await exportFrom(servers.env, servers.dir, mode)).contents.objects;
      });

      it('imports and verifies status too (exit 0)', () => {
        assertExit(imported.result, 0, 'import --restore-status');
        assert.equal(totalOf(resultOf(imported.report)!, 'matched'), OBJECTS.length);
        assertExit(verified.result, 0, 'verify --restore-status');
        assert.equal(totalOf(resultOf(verified.report)!, 'matched'), OBJECTS.length);
      });

      it('stores exactly the archived status', async () => {
        for (const { object, plural } of OBJECTS) {
          assert.deepEqual(await storedStatus(plural, object.metadata.name), object.status);
          assert.deepEqual(
            exported.get(`${object.kind} ${object.metadata.name}`)?.status,
            object.status,
          );
        }
      });
    });
  });
}
