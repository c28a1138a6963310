import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resumeCommand } from '../../../src/cli/commands/migrate.js';
import { planLock } from '../../../src/migrate/lock.js';
import { lockStateOf } from '../../../src/migrate/lock-record.js';
import {
  nextSteps,
  quoteShellWord,
  recoveryInstructions,
} from '../../../src/migrate/next-steps.js';

describe('quoteShellWord', () => {
  it('leaves safe words bare and single-quotes the rest so the shell reads them back', () => {
    assert.equal(quoteShellWord('--from'), '--from');
    assert.equal(quoteShellWord('/tmp/a b.tar.gz'), "'/tmp/a b.tar.gz'");
    assert.equal(quoteShellWord("it's"), "'it'\\''s'");
  });
});

describe('resumeCommand', () => {
  const paths = { archive: '/b/calico.tar.gz', migrationArchive: '/b/calico-for-kdd.tar.gz' };
  it('pins the archive paths so a resume reuses them', () => {
    assert.equal(
      resumeCommand(['migrate', '--from', 'etcd', '--to', 'kdd'], paths),
      'calico-migrate migrate --from etcd --to kdd --archive /b/calico.tar.gz --migration-archive /b/calico-for-kdd.tar.gz',
    );
    const given = resumeCommand(
      ['migrate', '--archive', '/x y.tar.gz', '--migration-archive=/m.tar.gz'],
      paths,
    );
    assert.equal(
      given,
      "calico-migrate migrate --archive '/x y.tar.gz' --migration-archive=/m.tar.gz",
    );
  });
  it('never prints an etcd password given as a flag', () => {
    const command = resumeCommand(
      ['migrate', '--etcd-password', 's3cret', '--etcd-password=other'],
      paths,
    );
    assert.ok(!command.includes('s3cret') && !command.includes('other'));
    assert.match(command, /--etcd-password "\$ETCD_PASSWORD" --etcd-password="\$ETCD_PASSWORD"/);
  });
});

describe('instructions', () => {
  const context = {
    direction: 'etcd-to-kdd' as const,
    command: 'calico-migrate migrate --from etcd --to kdd',
    archive: '/b/a.tar.gz',
    migrationArchive: '/b/m.tar.gz',
    by: 'ops@jump',
    connectionFlags: { etcd: ' --etcd-endpoints https://e:2379', kdd: ' --kubeconfig /k' },
  };
  it('says how to resume and how to roll back, with the connection flags of each side', () => {
    const text = recoveryInstructions(context).join('\n');
    assert.match(text, /calico-migrate migrate --from etcd --to kdd/);
    assert.match(text, /calico-migrate import \/b\/m\.tar\.gz --to kdd --kubeconfig \/k/);
    assert.match(
      text,
      /calico-migrate unlock --datastore etcd --etcd-endpoints https:\/\/e:2379 --by ops@jump/,
    );
  });
  it('tells to unlock the target only when it is still locked', () => {
    assert.match(
      nextSteps(context, false).join('\n'),
      /unlock --datastore kdd --kubeconfig \/k --by ops@jump/,
    );
    assert.match(nextSteps(context, true).join('\n'), /KDD is already unlocked/);
  });
});

describe('planLock on an empty datastore', () => {
  it('creates ClusterInformation with a uid and creation time, as clientv3 Create would', () => {
    const plan = planLock(
      lockStateOf(undefined),
      { by: 'a', now: new Date('2026-01-02T03:04:05Z') },
      'etcdv3',
    );
    assert.equal(plan.type, 'create');
    const resource = (
      plan as { resource: { metadata: Record<string, unknown>; spec: Record<string, unknown> } }
    ).resource;
    assert.match(String(resource.metadata.uid), /^[0-9a-f-]{36}$/);
    assert.equal(resource.metadata.creationTimestamp, '2026-01-02T03:04:05Z');
    assert.equal(resource.spec.datastoreReady, false);
  });
});
