/**
 * A damaged archive writes nothing: the whole archive is validated before the target is touched.
 * Each damaged copy (one byte changed, cut off, an unknown major format version, an object that is
 * not the one its path names) must end with exit 2, one error line on stderr and no report, and
 * leave the target (etcd, and KDD in v3 CRD mode) exactly as it was. The target holds the archive
 * minus a few objects, so any write would show. A copy re-packed by the same code without damage
 * imports fine, so the refusals are about the damage, not the re-packing. A sound archive holding
 * an object Calico would refuse is planned, stops with exit 2 before any write, and lists the
 * object as invalid; `--skip-invalid` restores the rest.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CliResult } from '../../helpers/run-cli.js';
import {
  flipByte,
  invalidNetworkSet,
  objectAtWrongPath,
  repackUnchanged,
  truncate,
  unknownMajorVersion,
  writeDamaged,
} from './damage.js';
import { TestServers } from './servers.js';
import {
  assertExit,
  exportFrom,
  importInto,
  planOf,
  runImport,
  totalOf,
  resultOf,
} from './support.js';
import type { TargetState } from './target-state.js';
import {
  assertUnchanged,
  customResourcePath,
  readEtcdState,
  readKddState,
} from './target-state.js';

const WRONG_PATH_ENTRY = 'resources/globalnetworksets/cluster/known-bad-hosts.json';
/** Policies removed from the target after the first import: a re-import would create them. */
const REMOVED_POLICIES = ['allow-cluster-dns', 'allow-monitoring'];

interface Damage {
  name: string;
  damage: (archive: Buffer) => Buffer | Promise<Buffer>;
  /** What the error line must mention. */
  says: RegExp;
}

const DAMAGES: Damage[] = [
  { name: 'one byte changed', damage: flipByte, says: /damaged|checksum|corrupt|does not match/i },
  { name: 'truncated', damage: truncate, says: /truncated/ },
  {
    name: 'unknown major format version',
    damage: unknownMajorVersion,
    says: /format 2\.0\.0 is not supported/,
  },
  {
    name: 'an object at the wrong path',
    damage: (archive) => objectAtWrongPath(archive, WRONG_PATH_ENTRY),
    says: /known-bad-hosts\.json does not hold the object its path names/,
  },
];

/** Exit 2 and exactly one `calico-migrate: error:` line that mentions `says`. */
function assertRefused(result: CliResult, says: RegExp): void {
  assertExit(result, 2, 'import');
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  assert.equal(lines.length, 1, `one line on stderr:\n${result.stderr}`);
  assert.match(lines[0]!, /^calico-migrate: error: /);
  assert.match(lines[0]!, says);
}

for (const target of ['etcd', 'v3'] as const) {
  describe(`import of a damaged archive into ${target} writes nothing`, () => {
    let servers: TestServers;
    let archive: string;

    const readState = (): Promise<TargetState> =>
      target === 'etcd' ? readEtcdState(servers.etcd) : readKddState(servers.api(target));

    async function removePolicies(): Promise<void> {
      for (const name of REMOVED_POLICIES) {
        if (target === 'etcd')
          await servers.etcd
            .delete()
            .key(`/calico/resources/v3/projectcalico.org/globalnetworkpolicies/${name}`);
        else
          await servers
            .api(target)
            .send('DELETE', customResourcePath(target, 'globalnetworkpolicies', name));
      }
    }

    before(async () => {
      servers = await TestServers.open(`corrupt-${target}`);
      await servers.seedEtcd();
      archive = (await exportFrom(servers.env, servers.dir, 'etcd', 'source.tar.gz')).path;
      await servers.emptyTarget(target);
      assertExit((await importInto(servers.env, servers.dir, archive, target)).result, 0, 'import');
      await removePolicies();
    });

    after(async () => {
      await servers?.close([target]);
    });

    for (const { name, damage, says } of DAMAGES) {
      it(`${name}: exit 2, one error line, no report, target unchanged`, async () => {
        const file = join(servers.dir, `${name.replace(/\W+/g, '-')}.tar.gz`);
        const damaged = await writeDamaged(archive, file, damage);
        const report = join(servers.dir, `${name.replace(/\W+/g, '-')}.report.json`);
        const stateBefore = await readState();
        const result = await runImport(servers.env, damaged, target, ['--report', report]);
        const stateAfter = await readState();
        assertRefused(result, says);
        assert.ok(!existsSync(report), 'no report: nothing was planned');
        assertUnchanged(stateBefore, stateAfter, name);
      });
    }

    it('an object Calico would refuse: exit 2, listed as invalid, target unchanged; --skip-invalid restores the rest', async () => {
      const invalid = await writeDamaged(archive, join(servers.dir, 'invalid.tar.gz'), (a) =>
        invalidNetworkSet(a, WRONG_PATH_ENTRY),
      );
      const stateBefore = await readState();
      const stopped = await importInto(servers.env, servers.dir, invalid, target);
      assertUnchanged(stateBefore, await readState(), 'invalid object');
      assertExit(stopped.result, 2, 'import');
      assert.match(
        stopped.result.stderr,
        /import stopped before any write: 1 object\(s\) would be refused by Calico/,
      );
      assert.deepEqual(planOf(stopped.report).invalid, [
        {
          kind: 'GlobalNetworkSet',
          name: 'known-bad-hosts',
          reason: 'invalid: spec.nets[3] "203.0.113.300" is not a CIDR or IP address',
        },
      ]);
      const skipped = await importInto(servers.env, servers.dir, invalid, target, [
        '--skip-invalid',
      ]);
      assertExit(skipped.result, 0, 'import --skip-invalid');
      assert.equal(totalOf(resultOf(skipped.report)!, 'create'), REMOVED_POLICIES.length);
      assert.deepEqual(
        resultOf(skipped.report)!.skips.filter((s) => s.reason.includes('--skip-invalid')),
        [
          {
            kind: 'GlobalNetworkSet',
            name: 'known-bad-hosts',
            reason:
              'invalid: spec.nets[3] "203.0.113.300" is not a CIDR or IP address (--skip-invalid)',
          },
        ],
      );
      await removePolicies();
    });

    it('control: the same re-packing without damage imports (the removed policies come back)', async () => {
      const repacked = await writeDamaged(
        archive,
        join(servers.dir, 'repacked.tar.gz'),
        repackUnchanged,
      );
      const run = await importInto(servers.env, servers.dir, repacked, target);
      assertExit(run.result, 0, 'import');
      assert.equal(totalOf(resultOf(run.report)!, 'create'), REMOVED_POLICIES.length);
    });
  });
}
